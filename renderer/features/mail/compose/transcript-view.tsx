import { Box, ScrollArea, Text } from '@mantine/core'
import type { SendTraceView } from '../../../../main/api/contract'
import type { z } from 'zod'

type TranscriptLine = z.infer<typeof SendTraceView>['transcript'][number]

const COLOR: Record<TranscriptLine['direction'], string> = { client: 'indigo', server: 'teal', info: 'dimmed' }
const ARROW: Record<TranscriptLine['direction'], string> = { client: 'C:', server: 'S:', info: '*' }

/** The SMTP conversation as it happened: what we said (C:), what the server answered (S:), and notes. */
export function TranscriptView({ lines }: { lines: readonly TranscriptLine[] }) {
  if (lines.length === 0) return null
  return (
    <ScrollArea.Autosize mah={320} type="auto" style={{ border: '1px solid var(--mantine-color-default-border)', borderRadius: 'var(--mantine-radius-sm)' }}>
      <Box component="ol" aria-label="Transcript" m={0} p="xs" style={{ listStyle: 'none' }} ff="monospace" fz="xs">
        {lines.map((line, index) => (
          <Box component="li" key={index} style={{ display: 'grid', gridTemplateColumns: '64px 24px 1fr', gap: 6 }}>
            <Text span c="dimmed" fz="xs" ta="right" ff="monospace">
              {line.ms.toFixed(1)}
            </Text>
            <Text span c={COLOR[line.direction]} fz="xs" ff="monospace" fw={600}>
              {ARROW[line.direction]}
            </Text>
            <Text span c={line.direction === 'info' ? 'dimmed' : undefined} fz="xs" ff="monospace" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
              {line.text}
            </Text>
          </Box>
        ))}
      </Box>
    </ScrollArea.Autosize>
  )
}
