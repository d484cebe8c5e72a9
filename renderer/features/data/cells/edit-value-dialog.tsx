import { Alert, Button, Group, Kbd, Modal, Text, Textarea } from '@mantine/core'
import { getHotkeyHandler } from '@mantine/hooks'
import { useState } from 'react'
import { MOD_KEY_LABEL } from '../../../components/mod-key'
import { parseTyped, type EditMode } from './cell-input'

interface EditValueDialogProps {
  title: string
  initialText: string
  mode: EditMode
  type?: string
  nullable: boolean
  onSave: (value: unknown) => void
  onClose: () => void
}

/** For values that do not fit one line: JSON (checked before it is kept, sent as JSON) and multi-line text. */
export function EditValueDialog({ title, initialText, mode, type, nullable, onSave, onClose }: EditValueDialogProps) {
  const [text, setText] = useState(initialText)
  const [error, setError] = useState<string | null>(null)
  const save = () => {
    const parsed = parseTyped(text, mode, type)
    if (!parsed.ok) {
      setError(parsed.error)
      return
    }
    onSave(parsed.value)
  }
  return (
    <Modal opened onClose={onClose} title={title} size="lg">
      <Textarea
        aria-label="Value"
        value={text}
        onChange={(event) => {
          setText(event.currentTarget.value)
          setError(null)
        }}
        onKeyDown={getHotkeyHandler([['mod+Enter', save]])}
        autosize
        minRows={8}
        maxRows={22}
        spellCheck={false}
        data-autofocus
        styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 'var(--mantine-font-size-xs)' } }}
      />
      {error && (
        <Alert color="red" variant="light" mt="xs" role="alert" p="xs">
          {error}
        </Alert>
      )}
      <Group justify="space-between" mt="sm">
        <Text size="xs" c="dimmed">
          {mode === 'json' ? 'Kept as JSON. ' : ''}
          <Kbd size="xs">{MOD_KEY_LABEL}</Kbd> + <Kbd size="xs">Enter</Kbd> keeps it.
        </Text>
        <Group gap="xs">
          <Button variant="default" onClick={() => onSave(null)} disabled={!nullable} title={nullable ? undefined : 'This column is NOT NULL'}>
            Set NULL
          </Button>
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button onClick={save}>Keep</Button>
        </Group>
      </Group>
    </Modal>
  )
}
