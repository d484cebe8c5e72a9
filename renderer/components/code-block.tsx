import { Box, ScrollArea } from '@mantine/core'
import type { ReactNode } from 'react'

/** Monospace, pre-wrapped text in a bordered, scrollable box: JSON values, transcripts, file previews. */
export function CodeBlock({ children, maxHeight = 360, label }: { children: ReactNode; maxHeight?: number; label?: string }) {
  return (
    <ScrollArea.Autosize mah={maxHeight} type="auto" style={{ border: '1px solid var(--mantine-color-default-border)', borderRadius: 'var(--mantine-radius-sm)' }}>
      <Box
        component="pre"
        aria-label={label}
        m={0}
        p="xs"
        ff="monospace"
        fz="xs"
        style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all', background: 'var(--mantine-color-default-hover)' }}
      >
        {children}
      </Box>
    </ScrollArea.Autosize>
  )
}
