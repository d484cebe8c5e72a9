import { Button, Group, Paper, Progress, SimpleGrid, Stack, Text, Title } from '@mantine/core'
import { IconPlayerPlay, IconPlayerStop } from '@tabler/icons-react'
import type { ReactNode } from 'react'
import { ErrorAlert } from '../../../components/error-alert'
import { formatMs } from '../../../components/format'
import { LatencyHistogram } from './latency-histogram'
import { useWorkloadRun, type WorkloadResult } from './use-workload-run'
import type { WorkloadSettings } from './workload-settings'

const opsPerSecond = (value: number) => `${Math.round(value).toLocaleString('en')} ops/s`

function Figure({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Stack gap={0}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" fw={600} ff="monospace" aria-label={label}>
        {children}
      </Text>
    </Stack>
  )
}

function ResultView({ result }: { result: WorkloadResult }) {
  const { latencyMs } = result
  return (
    <Stack gap="xs" aria-label="Workload result">
      <Group gap="xs">
        <Text size="xl" fw={700} ff="monospace" aria-label="Throughput">
          {opsPerSecond(result.opsPerSecond)}
        </Text>
        {result.cancelled && (
          <Text size="xs" c="orange">
            cancelled after {result.seconds.toFixed(1)} s
          </Text>
        )}
      </Group>
      <SimpleGrid cols={4} spacing="xs">
        <Figure label="p50">{formatMs(latencyMs.p50)}</Figure>
        <Figure label="p90">{formatMs(latencyMs.p90)}</Figure>
        <Figure label="p99">{formatMs(latencyMs.p99)}</Figure>
        <Figure label="max">{formatMs(latencyMs.max)}</Figure>
      </SimpleGrid>
      <LatencyHistogram buckets={result.histogram} />
      <Text size="xs" c="dimmed">
        {result.operations.toLocaleString('en')} operations in {result.seconds.toFixed(1)} s: {result.gets.toLocaleString('en')} gets ({result.hits.toLocaleString('en')} hits, {result.misses.toLocaleString('en')} misses), {result.sets.toLocaleString('en')} sets
      </Text>
      <Text size="xs" c={result.errors > 0 ? 'red' : 'dimmed'} aria-label="Errors">
        {result.errors === 0 ? 'No errors' : `${result.errors.toLocaleString('en')} errors; the first: ${result.firstError ?? 'no message'}`}
      </Text>
    </Stack>
  )
}

interface WorkloadColumnProps {
  /** The column's alias picker (the second column), or its name. */
  header: ReactNode
  alias: string | null
  settings: WorkloadSettings
  /** Another column is running: the two would slow each other down and compare nothing. */
  otherRunning: boolean
  onRunningChange: (running: boolean) => void
  label: string
}

/** One alias's run: start, a progress bar from the server's events, cancel, and the result with its histogram. */
export function WorkloadColumn({ header, alias, settings, otherRunning, onRunningChange, label }: WorkloadColumnProps) {
  const run = useWorkloadRun()
  const { progress } = run
  const start = async () => {
    if (!alias) return
    onRunningChange(true)
    await run.start(alias, settings)
    onRunningChange(false)
  }
  const elapsed = progress?.elapsedSeconds ?? 0
  const duration = progress?.durationSeconds ?? settings.durationSeconds
  return (
    <Paper withBorder p="sm" component="section" aria-label={label}>
      <Stack gap="sm">
        <Group justify="space-between" align="flex-end">
          {typeof header === 'string' ? <Title order={3}>{header}</Title> : header}
          {run.running ? (
            <Button color="red" variant="light" leftSection={<IconPlayerStop size={14} />} onClick={() => void run.cancel()} loading={run.cancelling}>
              Cancel
            </Button>
          ) : (
            <Button leftSection={<IconPlayerPlay size={14} />} onClick={() => void start()} disabled={!alias || otherRunning}>
              Run
            </Button>
          )}
        </Group>
        {run.running && (
          <Stack gap={4} aria-label="Workload progress">
            <Progress value={Math.min(100, (elapsed / duration) * 100)} animated aria-label="Progress" />
            <Text size="xs" c="dimmed">
              {elapsed.toFixed(1)} of {duration} s · {progress ? `${opsPerSecond(progress.opsPerSecond)} · ${progress.operations.toLocaleString('en')} operations${progress.errors > 0 ? ` · ${progress.errors} errors` : ''}` : 'starting…'}
            </Text>
          </Stack>
        )}
        {run.error !== null && <ErrorAlert error={run.error} title="The workload did not run" />}
        {run.result && <ResultView result={run.result} />}
        {!run.running && !run.result && run.error === null && (
          <Text size="sm" c="dimmed">
            Runs the mix above on keys of its own (__backplane_workload__:*), deleted afterwards.
          </Text>
        )}
      </Stack>
    </Paper>
  )
}
