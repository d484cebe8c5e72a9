import { Alert, Anchor, Button, Group, Modal, Stack, TagsInput, Text } from '@mantine/core'
import { IconCheck, IconInfoCircle } from '@tabler/icons-react'
import { Link } from 'react-router'
import { useState } from 'react'
import type { MessageDetailView } from '../../../../main/api/contract'
import { useApiMutation } from '../../../api/hooks'
import { AliasSelect } from '../../../components/alias-select'
import { ErrorAlert } from '../../../components/error-alert'
import { useAliasChoice } from '../../../components/use-alias-choice'

interface ReleaseDialogProps {
  message: MessageDetailView
  opened: boolean
  onClose: () => void
}

/**
 * Sends a captured message on for real, bytes unchanged, through a mail alias (a real SMTP server),
 * to its original envelope recipients or to others. Sending through the outbox alias itself would
 * only capture it again, so that alias is not the default.
 */
export function ReleaseDialog({ message, opened, onClose }: ReleaseDialogProps) {
  const { aliases } = useAliasChoice('mail')
  const usable = aliases.filter((alias) => alias.valid && alias.engine !== 'outbox')
  const [alias, setAlias] = useState<string | null>(null)
  const chosen = alias ?? usable[0]?.name ?? null
  const [to, setTo] = useState<string[]>(message.envelopeTo)
  const release = useApiMutation('outbox.release')
  const close = () => {
    release.reset()
    onClose()
  }
  return (
    <Modal opened={opened} onClose={close} title={`Release “${message.subject || '(no subject)'}”`} size="md" centered>
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          The message is sent exactly as it was captured, from {message.envelopeFrom || 'its original sender'}.
        </Text>
        <AliasSelect label="Through mail alias" aliases={aliases} value={chosen} onChange={setAlias} />
        {usable.length === 0 && (
          <Alert color="blue" variant="light" icon={<IconInfoCircle size={16} />} p="xs">
            <Text size="sm">
              No mail alias here sends mail on: the outbox alias would only capture it again.{' '}
              <Anchor component={Link} to="/settings?kind=mail" size="sm">
                Add an SMTP alias in Settings
              </Anchor>
              , then release through it.
            </Text>
          </Alert>
        )}
        <TagsInput label="To" description="The original envelope recipients (Bcc included); change them to send elsewhere." value={to} onChange={setTo} splitChars={[',', ' ', ';']} acceptValueOnBlur />
        {release.isError && <ErrorAlert error={release.error} title="Not released" />}
        {release.isSuccess && (
          <Alert color="teal" variant="light" icon={<IconCheck size={16} />} title="Released" role="status">
            Sent through “{release.variables.alias}” to {release.data.to.join(', ')}.
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={close}>
            {release.isSuccess ? 'Close' : 'Cancel'}
          </Button>
          <Button loading={release.isPending} disabled={chosen === null || to.length === 0} onClick={() => chosen && release.mutate({ id: message.id, alias: chosen, to })}>
            Release
          </Button>
        </Group>
      </Stack>
    </Modal>
  )
}
