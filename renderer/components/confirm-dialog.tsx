import { Button, Group, Modal, Text } from '@mantine/core'
import type { ReactNode } from 'react'
import { ErrorAlert } from './error-alert'
import { useDialogAction } from './use-dialog-action'

interface ConfirmDialogProps {
  opened: boolean
  onClose: () => void
  /** The question, naming exactly what will be lost ("Delete the cache alias “sessions”?"). */
  title: string
  message?: ReactNode
  confirmLabel: string
  /** May be async: the dialog stays open with a spinner until it settles, and shows its error. */
  onConfirm: () => unknown
}

/**
 * The question every destructive action asks first. The confirm button has focus, so a keyboard
 * user confirms with Enter and backs out with Esc.
 */
export function ConfirmDialog({ opened, onClose, title, message, confirmLabel, onConfirm }: ConfirmDialogProps) {
  const { busy, error, clearError, run } = useDialogAction(onClose)
  const close = () => {
    if (busy) return
    clearError()
    onClose()
  }
  const confirm = () => run(onConfirm)
  return (
    <Modal opened={opened} onClose={close} title={title} size="sm" centered>
      {message && <Text mb="md">{message}</Text>}
      {error !== null && <ErrorAlert error={error} title="It did not work" />}
      <Group justify="flex-end" mt="md">
        <Button variant="default" onClick={close} disabled={busy}>
          Cancel
        </Button>
        <Button color="red" onClick={() => void confirm()} loading={busy} data-autofocus>
          {confirmLabel}
        </Button>
      </Group>
    </Modal>
  )
}
