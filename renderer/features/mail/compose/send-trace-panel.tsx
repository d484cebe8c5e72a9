import { Badge, Group, Paper, Stack, Text, Title } from '@mantine/core'
import type { SendTraceView } from '../../../../main/api/contract'
import type { z } from 'zod'
import { ErrorAlert } from '../../../components/error-alert'
import { formatMs } from '../../../components/format'
import { HealthSteps } from '../../../components/health-steps'
import { SendDiagnosis } from './send-diagnosis'
import { TranscriptView } from './transcript-view'

export type SendTrace = z.infer<typeof SendTraceView>

/** Everything mail.sendTest recorded: the outcome, the steps with timings, the transcript, the diagnosis. */
export function SendTracePanel({ trace }: { trace: SendTrace }) {
  return (
    <Paper withBorder p="sm" component="section" aria-label="Send result">
      <Stack gap="sm">
        <Group gap="sm">
          <Title order={2}>{trace.ok ? 'Sent' : 'Not sent'}</Title>
          <Badge color={trace.ok ? 'teal' : 'red'} size="md">
            {trace.ok ? `${trace.sent} message${trace.sent === 1 ? '' : 's'} sent` : 'failed'}
          </Badge>
          <Text size="xs" c="dimmed" ff="monospace">
            {formatMs(trace.durationMs)}
          </Text>
        </Group>
        {trace.diagnosis && <SendDiagnosis diagnosis={trace.diagnosis} />}
        {trace.error && !trace.diagnosis && <ErrorAlert error={trace.error} title="Sending failed" />}
        <div>
          <Text size="sm" fw={600} mb={4}>
            Steps
          </Text>
          <HealthSteps steps={trace.steps} />
        </div>
        {trace.transcript.length > 0 && (
          <div>
            <Text size="sm" fw={600} mb={4}>
              Transcript
            </Text>
            <TranscriptView lines={trace.transcript} />
          </div>
        )}
      </Stack>
    </Paper>
  )
}
