import { Button, Group, List, Modal, Stack, Text } from '@mantine/core'
import { CodeBlock } from '../../../components/code-block'
import type { PendingConfirmation } from './use-console-run'

interface ConfirmDestructiveDialogProps {
  confirmation: PendingConfirmation | null
  onCancel: () => void
  onConfirm: (confirmation: PendingConfirmation) => void
}

/** Nothing of the script has run yet: the server refused it whole and said which statements destroy data, and why. */
export function ConfirmDestructiveDialog({ confirmation, onCancel, onConfirm }: ConfirmDestructiveDialogProps) {
  const statements = confirmation?.statements ?? []
  return (
    <Modal opened={confirmation !== null} onClose={onCancel} title="Run statements that destroy data?" size="lg" centered>
      <Stack gap="sm">
        <Text size="sm">Nothing has run yet. {statements.length === 1 ? 'This statement' : 'These statements'} cannot be undone:</Text>
        <List spacing="sm" size="sm" aria-label="Destructive statements" listStyleType="none" ml={0} pl={0}>
          {statements.map((s) => (
            <List.Item key={s.index}>
              <Text size="sm" fw={600}>
                Statement {s.index + 1}: {s.reason}
              </Text>
              <CodeBlock maxHeight={120}>{s.text}</CodeBlock>
            </List.Item>
          ))}
        </List>
        <Group justify="flex-end" mt="xs">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button color="red" onClick={() => confirmation && onConfirm(confirmation)} data-autofocus>
            Run anyway
          </Button>
        </Group>
      </Stack>
    </Modal>
  )
}
