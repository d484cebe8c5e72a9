import { Button, Group, Modal, TextInput } from '@mantine/core'
import { useState, type FormEvent } from 'react'
import { AliasName } from '../../../main/api/contract'
import { ApiError } from '../../api/api-error'
import { ErrorAlert } from '../../components/error-alert'

interface AliasNameDialogProps {
  title: string
  confirmLabel: string
  initialName: string
  takenNames: readonly string[]
  onClose: () => void
  /** Rejects with an ApiError to keep the dialog open and show why. */
  onSubmit: (name: string) => Promise<unknown>
}

/** Asks for an alias name (duplicating), checking it as the server would before sending it. */
export function AliasNameDialog({ title, confirmLabel, initialName, takenNames, onClose, onSubmit }: AliasNameDialogProps) {
  const [name, setName] = useState(initialName)
  const [busy, setBusy] = useState(false)
  const [serverError, setServerError] = useState<ApiError | null>(null)
  const localError = takenNames.includes(name) ? `"${name}" is taken.` : AliasName.safeParse(name).error?.issues[0]?.message
  const fieldError = serverError?.issues.find((issue) => issue.path[0] === 'to')?.message ?? (name === initialName ? undefined : localError)

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    if (localError) return
    setBusy(true)
    setServerError(null)
    try {
      await onSubmit(name)
      onClose()
    } catch (error) {
      setServerError(ApiError.from(error))
    } finally {
      setBusy(false)
    }
  }

  return (
    <Modal opened onClose={onClose} title={title} size="sm" centered>
      <form onSubmit={(event) => void submit(event)} noValidate>
        <TextInput
          label="New name"
          value={name}
          error={fieldError}
          onChange={(event) => setName(event.currentTarget.value)}
          data-autofocus
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
        />
        {serverError && serverError.issues.length === 0 && <ErrorAlert error={serverError} />}
        <Group justify="flex-end" mt="md">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={busy} disabled={Boolean(localError)}>
            {confirmLabel}
          </Button>
        </Group>
      </form>
    </Modal>
  )
}
