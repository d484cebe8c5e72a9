import { ActionIcon, Button, Tooltip, type ButtonProps } from '@mantine/core'
import { useState, type ReactNode } from 'react'
import { ConfirmDialog } from './confirm-dialog'

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
      <ConfirmDialog opened={opened} onClose={() => setOpened(false)} title={title} message={message} confirmLabel={confirmLabel} onConfirm={onConfirm} />
    </>
  )
}
