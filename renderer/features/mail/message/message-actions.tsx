import { Button, Group } from '@mantine/core'
import { IconDownload, IconMail, IconMailOpened, IconSend, IconTrash } from '@tabler/icons-react'
import { useState } from 'react'
import type { MessageDetailView } from '../../../../main/api/contract'
import { ErrorAlert } from '../../../components/error-alert'
import { ReleaseDialog } from './release-dialog'
import { useDownloadEml } from './use-download-eml'

interface MessageActionsProps {
  message: MessageDetailView
  onToggleRead: () => void
  onDelete: () => void
}

/** What can be done with the open message; the keys r and Delete do the same from the list. */
export function MessageActions({ message, onToggleRead, onDelete }: MessageActionsProps) {
  const [releasing, setReleasing] = useState(false)
  const download = useDownloadEml(message.id)
  return (
    <>
      <Group gap={4} wrap="wrap">
        <Button size="compact-sm" variant="default" leftSection={message.isRead ? <IconMail size={14} /> : <IconMailOpened size={14} />} onClick={onToggleRead} title="r">
          {message.isRead ? 'Mark unread' : 'Mark read'}
        </Button>
        <Button size="compact-sm" variant="default" leftSection={<IconSend size={14} />} onClick={() => setReleasing(true)}>
          Release…
        </Button>
        <Button size="compact-sm" variant="default" leftSection={<IconDownload size={14} />} loading={download.isPending} onClick={() => download.mutate({ id: message.id })}>
          .eml
        </Button>
        <Button size="compact-sm" variant="light" color="red" leftSection={<IconTrash size={14} />} onClick={onDelete} title="Delete">
          Delete
        </Button>
      </Group>
      {download.isError && <ErrorAlert error={download.error} title="Could not download the message" onClose={() => download.reset()} />}
      {releasing && <ReleaseDialog message={message} opened onClose={() => setReleasing(false)} />}
    </>
  )
}
