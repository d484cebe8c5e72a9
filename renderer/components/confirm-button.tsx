import { ActionIcon, Button, Group, Modal, Text, Tooltip, type ButtonProps } from '@mantine/core'
import { useState, type ReactNode } from 'react'
import { ErrorAlert } from './error-alert'

interface ConfirmButtonProps extends Omit<ButtonProps, 'children' | 'onClick'> {
  children: ReactNode
  /** The question, naming exactly what will be lost ("Delete the cache alias “sessions”?"). */
  title: string
  message?: ReactNode
  confirmLabel: string
  /** May be async: the dialog stays open with a spinner until it settles, and shows its error. */
  onConfirm: () => unknown
  'aria-label'?: string
  /** Renders an icon button instead (in table rows); children become its tooltip. */
  icon?: ReactNode
}

/** Every destructive action goes through this: a button that asks first, naming what it destroys. */
export function ConfirmButton({ children, title, message, confirmLabel, onConfirm, icon, 'aria-label': ariaLabel, ...buttonProps }: ConfirmButtonProps) {
  const [opened, setOpened] = useState(false)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>(null)
  const close = () => {
    if (busy) return
    setOpened(false)
    setError(null)
  }
  const confirm = async () => {
    setBusy(true)
    setError(null)
    try {
      await onConfirm()
      setOpened(false)
    } catch (err) {
      setError(err)
    } finally {
      setBusy(false)
    }
  }
  return (
    <>
      {icon ? (
        <Tooltip label={children}>
          <ActionIcon color="red" aria-label={ariaLabel} onClick={() => setOpened(true)} disabled={buttonProps.disabled}>
            {icon}
          </ActionIcon>
        </Tooltip>
      ) : (
        <Button color="red" variant="light" aria-label={ariaLabel} {...buttonProps} onClick={() => setOpened(true)}>
          {children}
        </Button>
      )}
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
    </>
  )
}
