import { ActionIcon, Group, Progress, Stack, Text } from '@mantine/core'
import { IconPaperclip, IconX } from '@tabler/icons-react'
import { formatBytes } from '../../../components/format'
import type { Attachment } from './use-attachments'

export function AttachmentList({ attachments, onRemove }: { attachments: readonly Attachment[]; onRemove: (id: number) => void }) {
  if (attachments.length === 0) return null
  return (
    <Stack gap={4} mt={6} aria-label="Attachments">
      {attachments.map((a) => (
        <div key={a.id}>
          <Group gap={6} wrap="nowrap">
            <IconPaperclip size={14} aria-hidden />
            <Text size="xs" ff="monospace" truncate style={{ flex: 1 }}>
              {a.filename}
            </Text>
            <Text size="xs" c="dimmed">
              {a.contentType} · {formatBytes(a.size)}
            </Text>
            <ActionIcon size="sm" aria-label={`Remove ${a.filename}`} onClick={() => onRemove(a.id)}>
              <IconX size={14} />
            </ActionIcon>
          </Group>
          {a.contentBase64 === undefined && !a.error && <Progress value={a.progress * 100} size="xs" aria-label={`Reading ${a.filename}`} />}
          {a.error && (
            <Text size="xs" c="red">
              {a.error}
            </Text>
          )}
        </div>
      ))}
    </Stack>
  )
}
