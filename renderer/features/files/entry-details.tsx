import { ActionIcon, Button, Code, Group, Select, Stack, Table, Text, Tooltip } from '@mantine/core'
import { IconCopy, IconLink } from '@tabler/icons-react'
import { notifications } from '@mantine/notifications'
import { useState, type ReactNode } from 'react'
import { ApiError } from '../../api/api-error'
import { useApiClient, useApiQuery } from '../../api/hooks'
import { copyText } from '../../components/copy-text'
import { ErrorAlert } from '../../components/error-alert'
import { formatBytes } from '../../components/format'
import type { StorageEntry } from './types'

const EXPIRIES = [
  { value: '3600', label: '1 hour' },
  { value: '86400', label: '1 day' },
  { value: '604800', label: '7 days' },
]

async function copyAndSay(text: string, what: string) {
  try {
    await copyText(text)
    notifications.show({ message: `${what} copied`, color: 'teal', autoClose: 2500 })
  } catch (error) {
    notifications.show({ title: `Could not copy the ${what.toLowerCase()}`, message: ApiError.from(error).message, color: 'red' })
  }
}

function Fact({ label, children, copy }: { label: string; children: ReactNode; copy?: string }) {
  return (
    <Table.Tr>
      <Table.Th fw={500} c="dimmed" w={110} style={{ verticalAlign: 'top' }}>
        {label}
      </Table.Th>
      <Table.Td style={{ wordBreak: 'break-all' }}>
        <Group gap={4} wrap="nowrap" justify="space-between">
          <span>{children}</span>
          {copy && (
            <Tooltip label={`Copy the ${label.toLowerCase()}`}>
              <ActionIcon size="sm" variant="subtle" aria-label={`Copy the ${label.toLowerCase()}`} onClick={() => void copyAndSay(copy, label)}>
                <IconCopy size={12} />
              </ActionIcon>
            </Tooltip>
          )}
        </Group>
      </Table.Td>
    </Table.Tr>
  )
}

const time = (iso: string | undefined) => (iso ? new Date(iso).toLocaleString() : undefined)

/** What the storage says about one entry (storage.stat), its URLs, and a presigned URL where the engine has them. */
export function EntryDetails({ alias, entry }: { alias: string; entry: StorageEntry }) {
  const client = useApiClient()
  const stat = useApiQuery('storage.stat', { alias, name: entry.name })
  const features = useApiQuery('storage.features', { alias }, { staleTime: 60_000 })
  const [expiry, setExpiry] = useState('3600')
  const [presigned, setPresigned] = useState<{ url: string; expiresAt: string | null } | null>(null)
  const [presignError, setPresignError] = useState<unknown>(null)
  const facts = stat.data ?? { ...entry, url: null, localPath: null }
  const presign = async () => {
    setPresignError(null)
    try {
      const answer = await client.call('storage.url', { alias, name: entry.name, presign: true, expiresInSeconds: Number(expiry) })
      if (!answer.url) return
      setPresigned({ url: answer.url, expiresAt: answer.expiresAt })
      await copyAndSay(answer.url, 'Presigned URL')
    } catch (error) {
      setPresignError(error)
    }
  }
  return (
    <Stack gap={6}>
      <Table fz="xs" verticalSpacing={2} horizontalSpacing={4} aria-label="Details">
        <Table.Tbody>
          <Fact label="Name" copy={entry.name}>
            <Code fz={10}>{entry.name}</Code>
          </Fact>
          {facts.type === 'file' && facts.size !== undefined && <Fact label="Size">{`${formatBytes(facts.size)} (${facts.size.toLocaleString('en')} bytes)`}</Fact>}
          {facts.modified && <Fact label="Modified">{time(facts.modified)}</Fact>}
          {facts.created && <Fact label="Created">{time(facts.created)}</Fact>}
          {facts.accessed && <Fact label="Accessed">{time(facts.accessed)}</Fact>}
          {facts.contentType && <Fact label="Content type">{facts.contentType}</Fact>}
          {facts.etag && (
            <Fact label="ETag" copy={facts.etag}>
              <Code fz={10}>{facts.etag}</Code>
            </Fact>
          )}
          {facts.localPath && (
            <Fact label="Local path" copy={facts.localPath}>
              <Code fz={10}>{facts.localPath}</Code>
            </Fact>
          )}
          {facts.url && (
            <Fact label="URL" copy={facts.url}>
              <Code fz={10}>{facts.url}</Code>
            </Fact>
          )}
        </Table.Tbody>
      </Table>
      {stat.isError && <ErrorAlert error={stat.error} title="Could not read the details" />}
      {entry.type === 'file' && features.data?.presignedUrls && (
        <Group gap="xs" align="flex-end">
          <Select size="xs" w={110} label="Presigned URL for" data={EXPIRIES} value={expiry} onChange={(value) => value && setExpiry(value)} allowDeselect={false} comboboxProps={{ withinPortal: true }} />
          <Button size="xs" variant="default" leftSection={<IconLink size={14} />} onClick={() => void presign()}>
            Copy presigned URL
          </Button>
        </Group>
      )}
      {presigned && (
        <Text size="xs" c="dimmed" aria-label="Presigned URL">
          Works without Backplane{presigned.expiresAt ? ` until ${new Date(presigned.expiresAt).toLocaleString()}` : ''}: <Code fz={10}>{presigned.url}</Code>
        </Text>
      )}
      {presignError !== null && <ErrorAlert error={presignError} title="Could not presign the URL" onClose={() => setPresignError(null)} />}
    </Stack>
  )
}
