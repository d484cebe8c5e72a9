import { Badge, Button, CopyButton, Group, Modal, Stack, Text } from '@mantine/core'
import { IconCheck, IconCopy, IconDownload } from '@tabler/icons-react'
import { useMemo } from 'react'
import { CodeBlock } from '../../../components/code-block'
import { formatBytes } from '../../../components/format'
import { saveBase64File } from '../../../components/save-base64-file'
import { base64ToBytes, cellKind, formatCell, hexDump, type BytesCell, type CutTextCell, type JsonValueCell } from './cell-value'
import { NullBadge } from './cell-view'

interface Shown {
  /** What the box shows, and what Copy copies unless `copy` says otherwise. */
  text: string
  copy?: string
  what: string
  /** Said when the server sent only the first part. */
  cut?: string
}

function shownOf(value: unknown): Shown {
  switch (cellKind(value)) {
    case 'json':
      return { text: JSON.stringify((value as JsonValueCell).$json, null, 2) ?? 'null', what: 'JSON' }
    case 'array':
      return { text: JSON.stringify(JSON.parse(formatCell(value)), null, 2), what: `Array of ${(value as unknown[]).length}` }
    case 'bytes': {
      const cell = value as BytesCell
      const bytes = base64ToBytes(cell.$bytes)
      return {
        text: hexDump(bytes),
        what: `Binary, ${formatBytes(cell.size)}${cell.size >= 1024 ? ` (${cell.size.toLocaleString('en')} bytes)` : ''}`,
        ...(cell.truncated ? { cut: `First ${formatBytes(bytes.length)} shown of ${formatBytes(cell.size)}.` } : {}),
      }
    }
    case 'text': {
      const cell = value as CutTextCell
      return { text: cell.$text, what: 'Text', cut: `First ${cell.$text.length.toLocaleString('en')} of ${cell.size.toLocaleString('en')} characters shown.` }
    }
    case 'string': {
      const text = value as string
      const what = `Text, ${text.length.toLocaleString('en')} characters`
      // JSON kept as text (SQLite has no JSON type; Django's JSONField there is text): shown pretty, copied as stored.
      const pretty = /^\s*[[{]/.test(text) ? prettyJson(text) : undefined
      return pretty ? { text: pretty, copy: text, what: `${what} of JSON` } : { text, what }
    }
    default:
      return { text: formatCell(value), what: typeof value === 'number' ? 'Number' : typeof value === 'boolean' ? 'Boolean' : 'Value' }
  }
}

function prettyJson(text: string): string | undefined {
  try {
    return JSON.stringify(JSON.parse(text), null, 2)
  } catch {
    return undefined
  }
}

/** The whole of one cell: pretty JSON, text as it is, bytes as a hex dump with their size; copy, and save bytes. */
export function CellInspectorBody({ value, fileName = 'value.bin' }: { value: unknown; fileName?: string }) {
  const shown = useMemo(() => (value === null || value === undefined ? undefined : shownOf(value)), [value])
  if (!shown) {
    return (
      <Text size="sm">
        <NullBadge /> SQL NULL: no value at all (not the text “NULL”, not an empty string).
      </Text>
    )
  }
  return (
    <Stack gap="xs">
      <Group justify="space-between" gap="xs">
        <Group gap={6}>
          <Badge variant="light" tt="none" aria-label="Value kind">
            {shown.what}
          </Badge>
          {shown.cut && (
            <Text size="xs" c="orange" aria-label="Cut short">
              {shown.cut}
            </Text>
          )}
        </Group>
        <Group gap={6}>
          {cellKind(value) === 'bytes' && (
            <Button size="compact-xs" variant="default" leftSection={<IconDownload size={12} />} onClick={() => saveBase64File(fileName, (value as BytesCell).$bytes)}>
              Save
            </Button>
          )}
          <CopyButton value={shown.copy ?? shown.text}>
            {({ copied, copy }) => (
              <Button size="compact-xs" variant="default" leftSection={copied ? <IconCheck size={12} /> : <IconCopy size={12} />} onClick={copy}>
                {copied ? 'Copied' : 'Copy'}
              </Button>
            )}
          </CopyButton>
        </Group>
      </Group>
      <CodeBlock maxHeight={480} label="Cell value">
        {shown.text === '' ? ' ' : shown.text}
      </CodeBlock>
    </Stack>
  )
}

interface CellInspectorProps {
  value: unknown
  opened: boolean
  onClose: () => void
  /** The column's name (and type), for the title. */
  title?: string
}

export function CellInspector({ value, opened, onClose, title = 'Value' }: CellInspectorProps) {
  return (
    <Modal opened={opened} onClose={onClose} title={title} size="xl">
      {opened && <CellInspectorBody value={value} fileName={`${title.split(' ')[0] || 'value'}.bin`} />}
    </Modal>
  )
}
