import { Button, Menu } from '@mantine/core'
import { IconChevronDown, IconFileExport } from '@tabler/icons-react'
import type { MethodInput } from '../../../../main/api/contract'
import { useApiClient } from '../../../api/hooks'
import { useDesktopExport } from './use-desktop-export'

type ExportSource = Pick<MethodInput<'data.exportToFile'>, 'table' | 'sql'>

const FORMATS = [
  { format: 'csv', label: 'CSV' },
  { format: 'jsonl', label: 'JSON Lines' },
] as const

/**
 * Every row of a table or a query as a file, streamed by the main process. In serve mode a plain
 * download of GET /api/v1/data/export, so the browser shows its progress and can cancel it; the desktop
 * app has no HTTP to download from, so its main process asks where to save and writes there.
 */
export function ExportMenu({ alias, source, title, size }: { alias: string; source: ExportSource; title: string; size: 'compact-sm' | 'compact-xs' }) {
  const client = useApiClient()
  const exportToFile = useDesktopExport(alias)
  const desktop = client.transport.kind !== 'socket'
  const query = (format: string): Record<string, string> =>
    source.table
      ? { alias, format, table: source.table.name, ...(source.table.schema ? { schema: source.table.schema } : {}) }
      : { alias, format, sql: source.sql ?? '' }
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <Button size={size} variant="default" leftSection={<IconFileExport size={size === 'compact-sm' ? 14 : 12} />} rightSection={<IconChevronDown size={12} />}>
          Export
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>{desktop ? `${title}, to a file` : title}</Menu.Label>
        {FORMATS.map(({ format, label }) =>
          desktop ? (
            <Menu.Item key={format} onClick={() => exportToFile(format, source)}>
              {label}…
            </Menu.Item>
          ) : (
            // The file's name is the server's (Content-Disposition: the table's, or export.csv for a query).
            <Menu.Item key={format} component="a" href={client.documentUrl('/api/v1/data/export', query(format))} download="">
              {label}
            </Menu.Item>
          ),
        )}
      </Menu.Dropdown>
    </Menu>
  )
}
