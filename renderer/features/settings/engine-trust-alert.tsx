import { Alert, Button, Group, Stack, Text } from '@mantine/core'
import { IconShieldLock } from '@tabler/icons-react'
import type { Kind } from '../../../main/api/contract'
import type { ApiError } from '../../api/api-error'
import { useApiMutation, useApiQuery } from '../../api/hooks'
import { CopyCommand } from '../../components/copy-command'
import { ErrorAlert } from '../../components/error-alert'
import { trustCommand } from './trust-command'

interface EngineTrustAlertProps {
  kind: Kind
  /** The module as the alias names it. */
  spec: string
  error: ApiError
  /** Called once the user trusted the module in the desktop app's dialog: the editor tries again. */
  onTrusted: () => void
}

/**
 * A custom engine module runs only once its exact content is trusted. The renderer cannot trust one
 * (nothing the API accepts may become code): it shows the command to run, and in the desktop app a
 * button that asks the main process to show its own dialog.
 */
export function EngineTrustAlert({ kind, spec, error, onTrusted }: EngineTrustAlertProps) {
  const trusted = useApiQuery('engines.trusted', {})
  const request = useApiMutation('engines.requestTrust', {
    onSuccess: (answer) => {
      if (answer.trusted) onTrusted()
    },
  })
  const command = trustCommand(spec, error, trusted.data?.command)
  return (
    <Alert color="orange" variant="light" icon={<IconShieldLock size={18} />} title="This engine module is not trusted" role="alert">
      <Stack gap={6}>
        <Text size="sm" style={{ wordBreak: 'break-word' }}>
          {error.message}
        </Text>
        {error.hint && (
          <Text size="sm" c="dimmed" style={{ wordBreak: 'break-word' }}>
            {error.hint}
          </Text>
        )}
        {command && <CopyCommand command={command} label="Copy the trust command" />}
        {trusted.data?.canPrompt && (
          <Group gap="xs">
            <Button size="xs" loading={request.isPending} onClick={() => request.mutate({ kind, spec })}>
              Trust this module…
            </Button>
            {request.data && !request.data.trusted && (
              <Text size="xs" c="dimmed">
                Not trusted: the module does not run.
              </Text>
            )}
          </Group>
        )}
        {request.isError && <ErrorAlert error={request.error} title="Could not ask to trust it" />}
      </Stack>
    </Alert>
  )
}
