import { Group, Paper, Stack, Text, Title } from '@mantine/core'
import type { ReactNode } from 'react'

interface ItemPanelProps {
  /** The section's accessible name: "Selected key", "File preview". */
  label: string
  /** The item's name, shown monospace and broken anywhere (keys and paths have no spaces). */
  name: ReactNode
  /** A dimmed line under the name: where it is stored, size, age. */
  meta: ReactNode
  /** Actions on the item, at the right of its name (Delete). */
  actions: ReactNode
  children: ReactNode
}

/** The item selected in a workbench list (a cache key, a file): its name, facts, actions, then its content. */
export function ItemPanel({ label, name, meta, actions, children }: ItemPanelProps) {
  return (
    <Paper withBorder p="sm" component="section" aria-label={label}>
      <Group justify="space-between" wrap="nowrap" mb={6}>
        <Stack gap={0} style={{ minWidth: 0 }}>
          <Title order={3} ff="monospace" style={{ wordBreak: 'break-all' }}>
            {name}
          </Title>
          <Text size="xs" c="dimmed">
            {meta}
          </Text>
        </Stack>
        {actions}
      </Group>
      {children}
    </Paper>
  )
}
