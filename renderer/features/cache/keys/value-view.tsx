import { Badge, Box, Group, ScrollArea, SegmentedControl, SimpleGrid, Stack, Text } from '@mantine/core'
import { useMemo, useState } from 'react'
import { CodeBlock } from '../../../components/code-block'
import { formatBytes } from '../../../components/format'
import { base64ToBytes, hexDump } from '../../data/cells/cell-value'
import { hasTags, readableValue } from './readable-value'

type View = 'json' | 'readable' | 'text'

interface ValueViewProps {
  value: unknown
  /** The stored bytes, base64 (cache.inspect); absent when the value was read with cache.get. */
  raw?: string | undefined
  rawTruncated?: boolean | undefined
  encoding?: string | undefined
}

const ENCODING_NAMES: Record<string, string> = { int: 'integer', pickle: 'pickle', json: 'JSON', text: 'text', bytes: 'bytes' }

function textOf(value: unknown, bytes: Uint8Array | undefined): string {
  if (typeof value === 'string') return value
  if (bytes) return new TextDecoder('utf-8', { fatal: false }).decode(bytes)
  return JSON.stringify(value) ?? ''
}

/**
 * The decoded value (pretty JSON, Python-readable, or plain text) beside the bytes it was decoded from
 * as a hex dump: what the application sees, and what the server really holds.
 */
export function ValueView({ value, raw, rawTruncated, encoding }: ValueViewProps) {
  const tagged = useMemo(() => hasTags(value), [value])
  const [view, setView] = useState<View>(tagged ? 'readable' : 'json')
  const bytes = useMemo(() => (raw === undefined ? undefined : base64ToBytes(raw)), [raw])
  const dump = useMemo(() => (bytes ? hexDump(bytes) : undefined), [bytes])
  const shown = useMemo(() => (view === 'json' ? (JSON.stringify(value, null, 2) ?? 'undefined') : view === 'readable' ? readableValue(value) : textOf(value, bytes)), [view, value, bytes])
  return (
    <SimpleGrid cols={{ base: 1, xl: dump === undefined ? 1 : 2 }} spacing="sm">
      <Stack gap={4} style={{ minWidth: 0 }}>
        <Group justify="space-between" gap="xs">
          <Group gap={6}>
            <Text size="xs" fw={600}>
              Decoded
            </Text>
            {encoding && (
              <Badge size="xs" variant="outline" aria-label="Encoding">
                {ENCODING_NAMES[encoding] ?? encoding}
              </Badge>
            )}
          </Group>
          <SegmentedControl
            size="xs"
            value={view}
            onChange={(next) => setView(next as View)}
            aria-label="Show the value as"
            data={[
              { value: 'json', label: 'JSON' },
              { value: 'readable', label: 'Python' },
              { value: 'text', label: 'Text' },
            ]}
          />
        </Group>
        <CodeBlock label="Value" maxHeight={420}>
          {shown}
        </CodeBlock>
      </Stack>
      {dump !== undefined && bytes && (
        <Stack gap={4} style={{ minWidth: 0 }}>
          <Group gap={6} h={26}>
            <Text size="xs" fw={600}>
              Raw bytes
            </Text>
            <Text size="xs" c="dimmed">
              {rawTruncated ? `first ${formatBytes(bytes.length)}` : formatBytes(bytes.length)}
            </Text>
          </Group>
          <HexDump dump={dump} />
        </Stack>
      )}
    </SimpleGrid>
  )
}

/** xxd's layout kept on one line per sixteen bytes (scrolling sideways), or the columns would not line up. */
function HexDump({ dump }: { dump: string }) {
  return (
    <ScrollArea.Autosize mah={420} type="auto" style={{ border: '1px solid var(--mantine-color-default-border)', borderRadius: 'var(--mantine-radius-sm)' }}>
      <Box component="pre" aria-label="Raw bytes" m={0} p="xs" ff="monospace" fz="xs" style={{ whiteSpace: 'pre', background: 'var(--mantine-color-default-hover)' }}>
        {dump || '(empty)'}
      </Box>
    </ScrollArea.Autosize>
  )
}
