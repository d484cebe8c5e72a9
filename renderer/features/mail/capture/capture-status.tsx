import { Badge, Code, Group, Paper, Skeleton, Text } from '@mantine/core'
import { useApiQuery } from '../../../api/hooks'
import { ErrorAlert } from '../../../components/error-alert'
import { RelativeTime } from '../../../components/relative-time'

const STATE_COLOR = { running: 'teal', stopped: 'gray', failed: 'red' } as const
const STATE_LABEL = { running: 'running', stopped: 'turned off', failed: 'failed' } as const

/** What the capture server is doing now (kept current by capture.status events). */
export function CaptureStatus() {
  const status = useApiQuery('outbox.status', {})
  if (status.isPending) return <Skeleton h={48} />
  if (status.isError) return <ErrorAlert error={status.error} title="Could not read the capture server's status" />
  const s = status.data
  return (
    <Paper withBorder p="sm" component="section" aria-label="Capture server status">
      <Group gap="lg">
        <Badge color={STATE_COLOR[s.state]} aria-label={`Capture server ${s.state}`}>
          {STATE_LABEL[s.state]}
        </Badge>
        {s.state === 'running' && (
          <Text size="sm">
            at <Code aria-label="Listening address">{s.address}</Code>
            {s.startedAt && (
              <Text span c="dimmed" size="sm">
                {' '}
                since <RelativeTime iso={s.startedAt} />
              </Text>
            )}
          </Text>
        )}
        <Text size="sm">
          Received <b>{s.received}</b>
        </Text>
        <Text size="sm">
          Rejected <b>{s.rejected}</b>
        </Text>
        <Text size="sm">
          Open connections <b>{s.connections}</b>
        </Text>
        <Text size="sm">
          AUTH {s.auth} · STARTTLS {s.starttls ? 'on' : 'off'}
        </Text>
      </Group>
      {s.error && (
        <div style={{ marginTop: 8 }}>
          <ErrorAlert error={s.error} title="The capture server is not running" />
        </div>
      )}
    </Paper>
  )
}
