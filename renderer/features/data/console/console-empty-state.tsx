import { Button, Code, Kbd, Stack, Text } from '@mantine/core'
import { IconTerminal2 } from '@tabler/icons-react'
import { EmptyMessage } from '../../../components/empty-message'
import { MOD_KEY_LABEL } from '../../../components/mod-key'

/** Before the first run: the shortcuts, and a statement to try. */
export function ConsoleEmptyState({ example, onExample }: { example: string; onExample: () => void }) {
  return (
    <EmptyMessage
      icon={<IconTerminal2 size={20} />}
      title="Run SQL against this database"
      details={
        <Stack gap={4} align="center" mt="xs">
          <Text size="sm" c="dimmed">
            <Kbd size="xs">{MOD_KEY_LABEL}</Kbd> + <Kbd size="xs">Enter</Kbd> runs the statement under the cursor (or the selection); <Kbd size="xs">Shift</Kbd> + <Kbd size="xs">{MOD_KEY_LABEL}</Kbd> + <Kbd size="xs">Enter</Kbd> runs them
            all; <Kbd size="xs">Esc</Kbd> cancels.
          </Text>
          <Text size="sm" c="dimmed">
            For example: <Code>{example}</Code>
          </Text>
        </Stack>
      }
      actions={
        <Button size="xs" variant="light" onClick={onExample}>
          Put the example in the editor
        </Button>
      }
    >
      Each statement's result gets a tab here; destructive statements ask first.
    </EmptyMessage>
  )
}
