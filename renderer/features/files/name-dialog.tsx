import { Button, Group, Modal, TextInput } from '@mantine/core'
import { useEffect, useRef, useState, type ReactNode } from 'react'
import { ErrorAlert } from '../../components/error-alert'
import { useDialogAction } from '../../components/use-dialog-action'
import { stemLength } from './entry-names'

interface NameDialogProps {
  opened: boolean
  title: string
  label: string
  initial: string
  submitLabel: string
  onClose: () => void
  /** May throw: the dialog stays open and shows the error with its hint. */
  onSubmit: (name: string) => Promise<unknown>
  /** Buttons for the error shown (Replace it, for a taken name). */
  errorActions?: (error: unknown, name: string) => ReactNode
}

/** Asks for one name in a folder (a new folder, a rename): the stem is selected first, so typing keeps the extension. */
export function NameDialog({ opened, title, label, initial, submitLabel, onClose, onSubmit, errorActions }: NameDialogProps) {
  const [name, setName] = useState(initial)
  const { busy, error, run } = useDialogAction(onClose)
  const input = useRef<HTMLInputElement>(null)
  // Mounted per question (the caller renders it only while asking), so the state starts fresh each time.
  useEffect(() => {
    if (!opened) return
    const timer = setTimeout(() => input.current?.setSelectionRange(0, stemLength(initial)), 0)
    return () => clearTimeout(timer)
  }, [opened, initial])
  const problem = name.includes('/') ? 'A name cannot contain “/”.' : name === '.' || name === '..' ? 'Pick another name.' : null
  const submit = async () => {
    if (!name.trim() || problem) return
    await run(() => onSubmit(name.trim()))
  }
  return (
    <Modal opened={opened} onClose={() => !busy && onClose()} title={title} size="md" centered>
      <form
        onSubmit={(event) => {
          event.preventDefault()
          void submit()
        }}
      >
        <TextInput ref={input} label={label} value={name} onChange={(event) => setName(event.currentTarget.value)} error={problem} data-autofocus ff="monospace" spellCheck={false} />
        {error !== null && (
          <div style={{ marginTop: 12 }}>
            <ErrorAlert error={error} title="It did not work" actions={errorActions?.(error, name.trim())} />
          </div>
        )}
        <Group justify="flex-end" mt="md">
          <Button variant="default" onClick={onClose} disabled={busy}>
            Cancel
          </Button>
          <Button type="submit" loading={busy} disabled={!name.trim() || problem !== null || name.trim() === initial}>
            {submitLabel}
          </Button>
        </Group>
      </form>
    </Modal>
  )
}
