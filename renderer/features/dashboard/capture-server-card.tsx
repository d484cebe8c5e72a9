import { Badge, Code, Group, Paper, Skeleton, Text, Title } from '@mantine/core'
import { IconMailbox } from '@tabler/icons-react'
import { useApiQuery } from '../../api/hooks'
import { ErrorAlert } from '../../components/error-alert'
import { RelativeTime } from '../../components/relative-time'

const STATE_COLOR = { running: 'teal', stopped: 'gray', failed: 'red' } as const

/** The SMTP capture server the app under test sends to: where it listens and what it has taken in (live via capture.status). */
export function CaptureServerCard() {
  const status = useApiQuery('outbox.status', {})
  return (
    <Paper withBorder p="sm" component="section" aria-label="SMTP capture server">
      <Group gap={8} mb={6}>
        <IconMailbox size={18} aria-hidden />
        <Title order={2}>SMTP capture server</Title>
        {status.data && (
          <Badge color={STATE_COLOR[status.data.state]} aria-label={`Capture server ${status.data.state}`}>
            {status.data.state}
          </Badge>
        )}
      </Group>
      {status.isPending && <Skeleton h={40} />}
      {status.isError && <ErrorAlert error={status.error} title="Could not read the capture server's status" />}
      {status.data && (
        <>
          <Group gap="lg">
            <Text size="sm">
              Address{' '}
              <Code fz="xs" aria-label="Capture server address">
                {status.data.address ?? '—'}
              </Code>
            </Text>
            <Text size="sm">
              Received <b>{status.data.received}</b>
            </Text>
            <Text size="sm">
              Rejected <b>{status.data.rejected}</b>
            </Text>
            <Text size="sm">Auth {status.data.auth}</Text>
            <Text size="sm">STARTTLS {status.data.starttls ? 'on' : 'off'}</Text>
            {status.data.startedAt && (
              <Text size="sm" c="dimmed">
                started <RelativeTime iso={status.data.startedAt} />
              </Text>
            )}
          </Group>
          {status.data.state === 'running' && (
            <Text size="xs" c="dimmed" mt={4}>
              Point your application's SMTP settings at this address; captured mail shows under Mail.
            </Text>
          )}
          {status.data.error && (
            <div style={{ marginTop: 8 }}>
              <ErrorAlert error={status.data.error} title="The capture server is not running" />
            </div>
          )}
        </>
      )}
    </Paper>
  )
}
