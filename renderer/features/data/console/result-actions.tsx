import { Button, Menu } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { IconChevronDown, IconCopy, IconDownload } from '@tabler/icons-react'
import { useApiClient } from '../../../api/hooks'
import { useDesktopExport } from '../export/use-desktop-export'
import { resultText, type CopyFormat, type ResultTable } from './result-text'

const COPY_LABELS: Record<CopyFormat, string> = { csv: 'CSV', tsv: 'TSV (for spreadsheets)', json: 'JSON' }

async function copyText(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text)
  } catch {
    // An insecure origin or a denied permission: the old way still works from a click.
    const area = document.createElement('textarea')
    area.value = text
    area.style.position = 'fixed'
    area.style.opacity = '0'
    document.body.append(area)
    area.select()
    const ok = document.execCommand('copy')
    area.remove()
    if (!ok) throw new Error('The browser did not allow copying.')
  }
}

/** Copies the rows as they are shown (the rows that were read, not the whole table). */
export function CopyResultMenu({ result }: { result: ResultTable }) {
  const copy = async (format: CopyFormat) => {
    try {
      await copyText(resultText(result, format))
      notifications.show({ color: 'teal', title: 'Copied', message: `${result.rows.length.toLocaleString('en')} rows as ${format.toUpperCase()}.` })
    } catch (error) {
      notifications.show({ color: 'red', title: 'Could not copy', message: (error as Error).message })
    }
  }
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <Button size="compact-xs" variant="default" leftSection={<IconCopy size={12} />} rightSection={<IconChevronDown size={12} />}>
          Copy
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>Copy the rows as</Menu.Label>
        {(Object.keys(COPY_LABELS) as CopyFormat[]).map((format) => (
          <Menu.Item key={format} onClick={() => void copy(format)}>
            {COPY_LABELS[format]}
          </Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  )
}

/**
 * Every row of the statement, streamed by the server to a file (not the rows shown). Serve mode has the
 * HTTP route; the desktop app has no download channel for it, so it points to the command line instead.
 */
export function ExportResultMenu({ alias, statement }: { alias: string; statement: string }) {
  const client = useApiClient()
  const exportToFile = useDesktopExport(alias)
  if (client.transport.kind !== 'socket') {
    // The desktop app has no download channel: its main process asks where to save and writes there.
    return (
      <Menu position="bottom-end" withinPortal>
        <Menu.Target>
          <Button size="compact-xs" variant="default" leftSection={<IconDownload size={12} />} rightSection={<IconChevronDown size={12} />}>
            Export
          </Button>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Label>Every row of the statement, to a file, as</Menu.Label>
          <Menu.Item onClick={() => exportToFile('csv', { sql: statement })}>CSV…</Menu.Item>
          <Menu.Item onClick={() => exportToFile('jsonl', { sql: statement })}>JSON lines…</Menu.Item>
        </Menu.Dropdown>
      </Menu>
    )
  }
  const download = (format: 'csv' | 'jsonl') => {
    const link = document.createElement('a')
    link.href = client.documentUrl('/api/v1/data/export', { alias, format, sql: statement })
    link.download = ''
    link.style.display = 'none'
    document.body.append(link)
    link.click()
    link.remove()
  }
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <Button size="compact-xs" variant="default" leftSection={<IconDownload size={12} />} rightSection={<IconChevronDown size={12} />}>
          Export
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>Every row of the statement, as</Menu.Label>
        <Menu.Item onClick={() => download('csv')}>CSV</Menu.Item>
        <Menu.Item onClick={() => download('jsonl')}>JSON lines</Menu.Item>
      </Menu.Dropdown>
    </Menu>
  )
}
