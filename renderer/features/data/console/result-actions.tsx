import { Button, Menu } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { IconChevronDown, IconCopy } from '@tabler/icons-react'
import { copyText } from '../../../components/copy-text'
import { resultText, type CopyFormat, type ResultTable } from './result-text'

const COPY_LABELS: Record<CopyFormat, string> = { csv: 'CSV', tsv: 'TSV (for spreadsheets)', json: 'JSON' }

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
