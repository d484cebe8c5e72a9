import { Button, Table, Text } from '@mantine/core'
import { IconDownload } from '@tabler/icons-react'
import { useState } from 'react'
import type { MessageDetailView } from '../../../../main/api/contract'
import { useApiClient } from '../../../api/hooks'
import { ErrorAlert } from '../../../components/error-alert'
import { formatBytes } from '../../../components/format'
import { saveBase64File } from '../../../components/save-base64-file'

type AttachmentInfo = MessageDetailView['attachmentList'][number]

/** Each attachment with its name as sent (any script or charset), type and size; one click saves it. */
export function AttachmentTable({ id, attachments }: { id: number; attachments: readonly AttachmentInfo[] }) {
  const client = useApiClient()
  const [busy, setBusy] = useState<number | null>(null)
  const [error, setError] = useState<unknown>(null)
  if (attachments.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        This message has no attachments.
      </Text>
    )
  }
  const download = async (attachment: AttachmentInfo) => {
    setBusy(attachment.index)
    setError(null)
    try {
      const file = await client.call('outbox.attachment', { id, index: attachment.index })
      saveBase64File(file.filename || attachment.filename || `attachment-${attachment.index + 1}`, file.contentBase64, file.contentType)
    } catch (err) {
      setError(err)
    } finally {
      setBusy(null)
    }
  }
  return (
    <>
      {error !== null && <ErrorAlert error={error} title="Could not download the attachment" onClose={() => setError(null)} />}
      <Table fz="xs" verticalSpacing={4} aria-label="Attachments">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>Type</Table.Th>
            <Table.Th ta="right">Size</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {attachments.map((attachment) => (
            <Table.Tr key={attachment.index}>
              <Table.Td style={{ wordBreak: 'break-word' }}>
                {attachment.filename || <Text span c="dimmed" fz="xs">(no name)</Text>}
                {attachment.contentId && (
                  <Text span c="dimmed" fz="xs">
                    {' '}
                    · inline image
                  </Text>
                )}
              </Table.Td>
              <Table.Td ff="monospace">{attachment.contentType}</Table.Td>
              <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                {formatBytes(attachment.size)}
              </Table.Td>
              <Table.Td ta="right">
                <Button
                  size="compact-xs"
                  variant="light"
                  leftSection={<IconDownload size={12} />}
                  loading={busy === attachment.index}
                  aria-label={`Download ${attachment.filename || `attachment ${attachment.index + 1}`}`}
                  onClick={() => void download(attachment)}
                >
                  Download
                </Button>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </>
  )
}
