import { Alert, Code, Group, Text } from '@mantine/core'
import { IconAlertTriangle } from '@tabler/icons-react'
import type { ReactNode } from 'react'
import { ApiError } from '../api/api-error'
import { HostKeyPrompt } from './host-key-prompt'

interface ErrorAlertProps {
  error: unknown
  title?: string
  /** Buttons that act on the error (retry, reload…). */
  actions?: ReactNode
  onClose?: () => void
}

/** The one way a failure is shown: what happened, its code (for searching the docs), and what to do. */
export function ErrorAlert({ error, title, actions, onClose }: ErrorAlertProps) {
  const apiError = ApiError.from(error)
  const { code, message, hint } = apiError
  return (
    <Alert
      color="red"
      variant="light"
      icon={<IconAlertTriangle size={18} />}
      withCloseButton={onClose !== undefined}
      onClose={onClose}
      closeButtonLabel="Dismiss"
      title={
        <Group gap={6} wrap="nowrap">
          <span>{title ?? 'Something went wrong'}</span>
          <Code fz="xs">{code}</Code>
        </Group>
      }
      role="alert"
    >
      <Text size="sm" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
        {message}
      </Text>
      {hint && (
        <Text size="sm" c="dimmed" mt={4}>
          {hint}
        </Text>
      )}
      <HostKeyPrompt error={apiError} />
      {actions && (
        <Group gap="xs" mt="xs">
          {actions}
        </Group>
      )}
    </Alert>
  )
}
