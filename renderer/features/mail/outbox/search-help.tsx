import { ActionIcon, Code, Popover, Table, Text, UnstyledButton } from '@mantine/core'
import { IconHelp } from '@tabler/icons-react'
import { useEffect, useState } from 'react'
import { SEARCH_OPERATORS } from './search-operators'

/** The search language at a glance; picking an operator types it into the box. */
export function SearchHelp({ onPick }: { onPick: (insert: string) => void }) {
  const [opened, setOpened] = useState(false)
  // Esc closes it wherever the focus is (Mantine only listens inside the dropdown), before the search
  // box sees the key and clears the search.
  useEffect(() => {
    if (!opened) return
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return
      event.preventDefault()
      event.stopPropagation()
      setOpened(false)
    }
    document.addEventListener('keydown', onKey, true)
    return () => document.removeEventListener('keydown', onKey, true)
  }, [opened])
  return (
    // Below the search box at its right edge and narrow enough to leave the subjects readable; a click
    // anywhere else or Esc closes it.
    <Popover opened={opened} onChange={setOpened} position="bottom-end" width={380} shadow="md" withArrow closeOnClickOutside>
      <Popover.Target>
        <ActionIcon variant="subtle" color="gray" aria-label="Search help" onClick={() => setOpened((o) => !o)}>
          <IconHelp size={16} />
        </ActionIcon>
      </Popover.Target>
      <Popover.Dropdown aria-label="Search operators">
        <Text size="xs" c="dimmed" mb={6}>
          Words match whole words anywhere; <Code fz="xs">word*</Code> matches a prefix. Combine freely. Click one to add it.
        </Text>
        <Table fz="xs" verticalSpacing={3} horizontalSpacing={6}>
          <Table.Tbody>
            {SEARCH_OPERATORS.map((op) => (
              <Table.Tr key={op.insert}>
                <Table.Td>
                  <UnstyledButton
                    onClick={() => {
                      setOpened(false)
                      onPick(op.insert)
                    }}
                    aria-label={`Add ${op.insert}`}
                  >
                    <Code fz="xs">{op.example}</Code>
                  </UnstyledButton>
                </Table.Td>
                <Table.Td>{op.meaning}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        <Text size="xs" c="dimmed" mt={6}>
          Press <Code fz="xs">/</Code> to search from anywhere, <Code fz="xs">Esc</Code> to clear. In the list, <Code fz="xs">j</Code> <Code fz="xs">k</Code> move,{' '}
          <Code fz="xs">Enter</Code> opens, <Code fz="xs">r</Code> toggles read, <Code fz="xs">Delete</Code> deletes.
        </Text>
      </Popover.Dropdown>
    </Popover>
  )
}
