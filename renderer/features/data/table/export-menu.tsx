import { Button, Menu } from '@mantine/core'
import { IconChevronDown, IconFileExport } from '@tabler/icons-react'
import { useApiClient } from '../../../api/hooks'
import { useDesktopExport } from '../export/use-desktop-export'
import type { TableRef } from './table-ref'

/**
 * The whole table as a file, streamed by the server (GET /api/v1/data/export): a plain download, so
 * the browser shows its progress and can cancel it. The desktop app saves through its main process instead.
 */
export function ExportMenu({ alias, table }: { alias: string; table: TableRef }) {
  const { transport } = useApiClient()
  const exportToFile = useDesktopExport(alias)
  if (transport.kind !== 'socket') {
    // The desktop app has no HTTP server to download from: its main process asks where to save and writes there.
    const source = { table: table.schema ? { schema: table.schema, name: table.name } : { name: table.name } }
    return (
      <Menu position="bottom-end" withinPortal>
        <Menu.Target>
          <Button size="compact-sm" variant="default" leftSection={<IconFileExport size={14} />} rightSection={<IconChevronDown size={12} />}>
            Export
          </Button>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Label>The whole table, every row, to a file</Menu.Label>
          <Menu.Item onClick={() => exportToFile('csv', source)}>CSV…</Menu.Item>
          <Menu.Item onClick={() => exportToFile('jsonl', source)}>JSON Lines…</Menu.Item>
        </Menu.Dropdown>
      </Menu>
    )
  }
  const url = (format: 'csv' | 'jsonl') => {
    const query = new URLSearchParams({ alias, format, table: table.name, ...(table.schema ? { schema: table.schema } : {}) })
    return `/api/v1/data/export?${query.toString()}`
  }
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <Button size="compact-sm" variant="default" leftSection={<IconFileExport size={14} />} rightSection={<IconChevronDown size={12} />}>
          Export
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>The whole table, every row</Menu.Label>
        <Menu.Item component="a" href={url('csv')} download={`${table.name}.csv`}>
          CSV
        </Menu.Item>
        <Menu.Item component="a" href={url('jsonl')} download={`${table.name}.jsonl`}>
          JSON Lines
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  )
}
