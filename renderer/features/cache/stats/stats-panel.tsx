import { Button, Card, Group, SimpleGrid, Stack, Text } from '@mantine/core'
import { IconChartLine, IconRefresh } from '@tabler/icons-react'
import { ApiError } from '../../../api/api-error'
import { EmptyMessage } from '../../../components/empty-message'
import { ErrorAlert } from '../../../components/error-alert'
import { formatBytes, formatSeconds } from '../../../components/format'
import { ErrorCode } from '../../../../main/api/contract'
import { Sparkline } from './sparkline'
import { HISTORY_MS, statsSeries } from './stats-series'
import { useStatsHistory } from './use-stats-history'

const MIN_SPAN_MS = 60_000
const COLORS: Record<string, string> = { hits: 'teal', misses: 'orange', hitRatio: 'green', ops: 'blue', memory: 'violet', connections: 'cyan', evictions: 'red', keys: 'indigo' }

/**
 * The alias's counters every 2 s while the page is visible, the last five minutes kept here (not on
 * the server), drawn as sparklines with the value now. What the engine does not report is not drawn.
 */
export function StatsPanel({ alias }: { alias: string }) {
  const { samples, error, visible, retry } = useStatsHistory(alias)

  if (error !== null && ApiError.from(error).code === ErrorCode.E_UNSUPPORTED) {
    return (
      <EmptyMessage icon={<IconChartLine />} title="This engine reports no statistics">
        {`The engine of alias “${alias}” keeps no hit, miss or memory counters. Redis, Memcached and locmem do.`}
      </EmptyMessage>
    )
  }
  const now = samples.at(-1)?.at ?? 0
  // The charts span what has been gathered (at least a minute), up to five minutes: a fresh panel does
  // not squeeze its first points against the right edge.
  const from = Math.max(now - HISTORY_MS, Math.min(samples[0]?.at ?? now, now - MIN_SPAN_MS))
  const series = statsSeries(samples, formatBytes)
  const latest = samples.at(-1)?.stats
  return (
    <Stack gap="sm" aria-label="Statistics">
      {error !== null && (
        <ErrorAlert
          error={error}
          title="Could not read the statistics"
          actions={
            <Button size="xs" variant="default" leftSection={<IconRefresh size={14} />} onClick={retry}>
              Retry
            </Button>
          }
        />
      )}
      <Group gap="lg">
        <Text size="xs" c="dimmed">
          {visible ? 'Every 2 s' : 'Paused while the window is hidden'} · last {Math.round(Math.min(HISTORY_MS, now - (samples[0]?.at ?? now)) / 1000)} s of {HISTORY_MS / 60_000} min
        </Text>
        {latest?.uptimeSeconds !== undefined && (
          <Text size="xs" c="dimmed">
            Server up {formatSeconds(latest.uptimeSeconds)}
          </Text>
        )}
        {latest?.maxMemoryBytes !== undefined && (
          <Text size="xs" c="dimmed">
            Memory limit {formatBytes(latest.maxMemoryBytes)}
          </Text>
        )}
      </Group>
      {samples.length > 0 && series.length === 0 && (
        <EmptyMessage icon={<IconChartLine />} title="No counters yet">
          The engine answered without any of the counters charted here.
        </EmptyMessage>
      )}
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} spacing="sm">
        {series.map((s) => {
          const current = s.points.at(-1)?.value
          return (
            <Card key={s.id} withBorder padding="xs" role="group" aria-label={s.label}>
              <Group justify="space-between" gap={4} mb={4} wrap="nowrap">
                <Text size="xs" c="dimmed">
                  {s.label}
                </Text>
                <Text size="sm" fw={600} ff="monospace" aria-label={`${s.label} now`}>
                  {current === undefined ? '…' : s.format(current)}
                </Text>
              </Group>
              <Sparkline points={s.points} from={from} to={now} label={`${s.label} over the last five minutes`} color={COLORS[s.id] ?? 'blue'} unitRange={s.id === 'hitRatio'} />
            </Card>
          )
        })}
      </SimpleGrid>
    </Stack>
  )
}
