import { Button, Menu, Tooltip } from '@mantine/core'
import { IconChevronDown, IconFileExport } from '@tabler/icons-react'
import { useApiClient } from '../../../api/hooks'
import type { TableRef } from './table-ref'

/**
 * The whole table as a file, streamed by the server (GET /api/v1/data/export): a plain download, so
 * the browser shows its progress and can cancel it. The desktop app has no HTTP server to stream from.
 */
export function ExportMenu({ alias, table }: { alias: string; table: TableRef }) {
  const { transport } = useApiClient()
  if (transport.kind !== 'socket') {
    return (
      <Tooltip label={`The desktop app exports from the command line: npx backplane export data --alias ${alias} ${table.schema ? `--schema ${table.schema} ` : ''}--table ${table.name} --format csv --out ${table.name}.csv`} multiline maw={360}>
        <Button size="compact-sm" variant="default" leftSection={<IconFileExport size={14} />} data-disabled onClick={(event) => event.preventDefault()}>
          Export
        </Button>
      </Tooltip>
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
