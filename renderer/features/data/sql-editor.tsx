import { Button, Group, Kbd, Text, Textarea } from '@mantine/core'
import { getHotkeyHandler } from '@mantine/hooks'
import { IconPlayerPlay } from '@tabler/icons-react'
import { MOD_KEY_LABEL } from '../../components/mod-key'

interface SqlEditorProps {
  value: string
  onChange: (sql: string) => void
  onRun: () => void
  running: boolean
}

export function SqlEditor({ value, onChange, onRun, running }: SqlEditorProps) {
  return (
    <div>
      <Textarea
        label="SQL"
        aria-label="SQL statement"
        value={value}
        onChange={(event) => onChange(event.currentTarget.value)}
        onKeyDown={getHotkeyHandler([['mod+Enter', onRun]])}
        autosize
        minRows={4}
        maxRows={12}
        spellCheck={false}
        placeholder="SELECT * FROM auth_user LIMIT 10"
        styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 'var(--mantine-font-size-sm)' } }}
      />
      <Group justify="space-between" mt={6}>
        <Text size="xs" c="dimmed">
          <Kbd size="xs">{MOD_KEY_LABEL}</Kbd> + <Kbd size="xs">Enter</Kbd> runs the statement. One statement at a time.
        </Text>
        <Button leftSection={<IconPlayerPlay size={14} />} onClick={onRun} loading={running} disabled={value.trim() === ''}>
          Run
        </Button>
      </Group>
    </div>
  )
}
