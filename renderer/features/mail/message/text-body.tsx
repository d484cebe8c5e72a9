import { Box, Text } from '@mantine/core'

/** The plain-text part as sent: monospace, wrapped, nothing interpreted. */
export function TextBody({ text }: { text: string | null }) {
  if (text === null || text === '') {
    return (
      <Text size="sm" c="dimmed">
        This message has no text part.
      </Text>
    )
  }
  return (
    <Box component="pre" aria-label="Message text" m={0} ff="monospace" fz="xs" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
      {text}
    </Box>
  )
}
