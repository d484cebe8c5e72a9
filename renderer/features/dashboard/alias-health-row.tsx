import { ActionIcon, Anchor, Code, Collapse, Group, Loader, Paper, Stack, Text, Tooltip, UnstyledButton } from '@mantine/core'
import { IconChevronDown, IconChevronRight, IconRefresh } from '@tabler/icons-react'
import { useState } from 'react'
import { Link } from 'react-router'
import { Kind, type HealthReport } from '../../../main/api/contract'
import { ErrorAlert } from '../../components/error-alert'
import { formatMs } from '../../components/format'
import { HealthStateBadge } from '../../components/health-state-badge'
import { HealthSteps } from '../../components/health-steps'
import { RelativeTime } from '../../components/relative-time'
import { useHealthCheck } from './use-health-check'

/** One alias: its state at a glance, and on expanding, the steps that led to it. */
export function AliasHealthRow({ report, checkingAll }: { report: HealthReport; checkingAll: boolean }) {
  const [expanded, setExpanded] = useState(false)
  const check = useHealthCheck()
  const checking = checkingAll || check.isPending
  const id = `health-${report.kind}-${report.alias}`
  return (
    <Paper withBorder px="sm" py={8} aria-label={`${report.kind} alias ${report.alias}`} role="group">
      <Group gap="sm" wrap="nowrap" align="center">
        <UnstyledButton
          onClick={() => setExpanded((v) => !v)}
          aria-expanded={expanded}
          aria-controls={id}
          aria-label={`${expanded ? 'Hide' : 'Show'} the check steps of ${report.alias}`}
          style={{ display: 'flex' }}
        >
          {expanded ? <IconChevronDown size={16} /> : <IconChevronRight size={16} />}
        </UnstyledButton>
        <Text fw={600} ff="monospace" w={130} truncate title={report.alias}>
          {report.alias}
        </Text>
        <HealthStateBadge state={report.state} />
        <Code fz="xs">{report.engine}</Code>
        <Stack gap={0} style={{ flex: 1, minWidth: 0 }}>
          <Text size="xs" truncate>
            {report.version ?? ''}
            {report.version && report.summary ? ' · ' : ''}
            {report.summary ?? ''}
          </Text>
        </Stack>
        <Text size="xs" c="dimmed" ff="monospace" w={70} ta="right">
          {formatMs(report.latencyMs)}
        </Text>
        <Text size="xs" c="dimmed" w={110} ta="right">
          <RelativeTime iso={report.checkedAt} />
        </Text>
        <Tooltip label={`Check ${report.alias} now`}>
          <ActionIcon aria-label={`Check ${report.kind} alias ${report.alias} now`} onClick={() => check.mutate({ kind: Kind.safeParse(report.kind).data, alias: report.alias })} disabled={checking}>
            {checking ? <Loader size={14} /> : <IconRefresh size={16} />}
          </ActionIcon>
        </Tooltip>
      </Group>
      {report.error && (
        <Text size="xs" c="red" mt={6} ml={28}>
          <Code fz={10}>{report.error.code}</Code> {report.error.message}
          {report.error.hint && (
            <Text span size="xs" c="dimmed" display="block">
              {report.error.hint}{' '}
              <Anchor component={Link} to={`/settings?kind=${report.kind}`} size="xs">
                Open {report.kind} settings
              </Anchor>
            </Text>
          )}
        </Text>
      )}
      {check.isError && <ErrorAlert error={check.error} title="The check could not run" onClose={() => check.reset()} />}
      <Collapse expanded={expanded} id={id}>
        <Stack mt="xs" ml={28}>
          <HealthSteps steps={report.steps} />
        </Stack>
      </Collapse>
    </Paper>
  )
}
