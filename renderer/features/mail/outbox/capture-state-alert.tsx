import { Alert, Button, Text } from '@mantine/core'
import { IconPlugConnectedX } from '@tabler/icons-react'
import type { CaptureStatusView } from '../../../../main/api/contract'
import { ErrorAlert } from '../../../components/error-alert'
import { ErrorCode } from '../../../../main/api/contract'

/** Said above the list when mail cannot arrive: what is wrong and where to fix it. */
export function CaptureStateAlert({ status, onOpenSettings }: { status: CaptureStatusView; onOpenSettings: () => void }) {
  const fix = (
    <Button size="xs" variant="light" onClick={onOpenSettings}>
      Open capture settings
    </Button>
  )
  if (status.state === 'failed' || status.error) {
    return <ErrorAlert error={status.error ?? { code: ErrorCode.E_CAPTURE, message: 'The SMTP capture server stopped.' }} title="The capture server is not running: new mail cannot arrive" actions={fix} />
  }
  if (status.state === 'stopped') {
    return (
      <Alert color="yellow" variant="light" icon={<IconPlugConnectedX size={18} />} title="The capture server is turned off" role="status">
        <Text size="sm" mb={6}>
          Applications sending to it get “connection refused”, and nothing new arrives here. Turn it on in the capture settings.
        </Text>
        {fix}
      </Alert>
    )
  }
  return null
}
