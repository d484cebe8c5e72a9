import { Alert, Box, Button, Group, Skeleton, Text } from '@mantine/core'
import { IconDownload } from '@tabler/icons-react'
import { useApiQuery } from '../../../api/hooks'
import { ErrorAlert } from '../../../components/error-alert'
import { formatBytes } from '../../../components/format'
import { useDownloadEml } from './use-download-eml'

/** The message exactly as received (the first 2 MiB), and the whole of it as a .eml file. */
export function RawSource({ id }: { id: number }) {
  const source = useApiQuery('outbox.source', { id })
  const download = useDownloadEml(id)
  return (
    <>
      <Group justify="space-between" mb={6}>
        <Text size="xs" c="dimmed">
          {source.data ? `${formatBytes(source.data.size)} as received` : ' '}
        </Text>
        <Button size="compact-xs" variant="light" leftSection={<IconDownload size={12} />} loading={download.isPending} onClick={() => download.mutate({ id })}>
          Download .eml
        </Button>
      </Group>
      {download.isError && <ErrorAlert error={download.error} title="Could not download the message" />}
      {source.isPending && <Skeleton h={200} />}
      {source.isError && <ErrorAlert error={source.error} title="Could not read the raw message" />}
      {source.data?.truncated && (
        <Alert color="blue" variant="light" p="xs" mb={6}>
          <Text size="xs">Only the first {formatBytes(source.data.text.length)} are shown. Download the .eml for all of it.</Text>
        </Alert>
      )}
      {source.data && (
        <Box component="pre" aria-label="Raw message" m={0} p="xs" ff="monospace" fz="xs" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all', background: 'var(--mantine-color-default-hover)', borderRadius: 'var(--mantine-radius-sm)' }}>
          {source.data.text}
        </Box>
      )}
    </>
  )
}
