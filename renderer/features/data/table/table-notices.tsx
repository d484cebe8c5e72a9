import { Alert, Group, Text } from '@mantine/core'
import { IconAlertTriangle, IconLock } from '@tabler/icons-react'

export const NO_KEY_WARNING = 'This table has no primary key: an edit finds its row by every column’s value, and changes every row equal to it.'

/** Why the table is not editable, or what editing a table without a key means. */
export function TableNotices({ readOnly, noKey }: { readOnly: string | null; noKey: boolean }) {
  if (readOnly) {
    return (
      <Group gap={6} c="dimmed" aria-label="Read-only">
        <IconLock size={14} />
        <Text size="xs">Read-only. {readOnly}</Text>
      </Group>
    )
  }
  if (!noKey) return null
  return (
    <Alert color="yellow" variant="light" p={6} icon={<IconAlertTriangle size={14} />} aria-label="No primary key">
      <Text size="xs">{NO_KEY_WARNING}</Text>
    </Alert>
  )
}
