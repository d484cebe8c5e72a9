import { Code, Group, Paper, Text } from '@mantine/core'
import type { HealthReport } from '../../../main/api/contract'
import { formatMs } from '../../components/format'
import { HealthStateBadge } from '../../components/health-state-badge'
import { HealthSteps } from '../../components/health-steps'

/** What "Test" found for the draft: the same report the dashboard shows, before anything is saved. */
export function AliasTestResult({ report }: { report: HealthReport }) {
  return (
    <Paper withBorder p="sm" component="section" aria-label="Test result">
      <Group gap="sm" mb={6}>
        <Text fw={600}>Test</Text>
        <HealthStateBadge state={report.state} />
        <Text size="xs" c="dimmed" ff="monospace">
          {formatMs(report.latencyMs)}
        </Text>
        {report.version && <Text size="xs">{report.version}</Text>}
      </Group>
      {report.summary && <Text size="xs">{report.summary}</Text>}
      {report.error && (
        <Text size="xs" c="red" mb={4}>
          <Code fz={10}>{report.error.code}</Code> {report.error.message}
          {report.error.hint && (
            <Text span size="xs" c="dimmed" display="block">
              {report.error.hint}
            </Text>
          )}
        </Text>
      )}
      <HealthSteps steps={report.steps} />
    </Paper>
  )
}
