import { Group, Kbd, Loader, Text } from '@mantine/core'
import { countOf } from '../../../../main/api/contract'
import { formatMs } from '../../../components/format'
import { ElapsedTime } from './elapsed-time'
import type { Running, RunSummary } from './use-console-run'

function summaryText(summary: RunSummary): string {
  const took = formatMs(summary.durationMs)
  if (summary.outcome === 'cancelled') return `Cancelled after ${took}`
  const ran = countOf(summary.statements, 'statement')
  if (summary.outcome === 'failed') {
    if (summary.failedAt === undefined) return `Failed after ${took}`
    return `Statement ${summary.failedAt + 1} failed${summary.statements > 0 ? ` (${ran} before it ran)` : ''} · ${took}`
  }
  // A run that only wrote says what it changed, not "0 rows" as well.
  const returned = summary.rows > 0 || summary.affected === 0 ? [countOf(summary.rows, 'row')] : []
  return [ran, ...returned, ...(summary.affected > 0 ? [`${countOf(summary.affected, 'row')} affected`] : []), took].join(' · ')
}

/** While running: what, and for how long. After: what the last run did. */
export function RunStatus({ running, summary }: { running: Running | null; summary: RunSummary | null }) {
  if (running) {
    return (
      <Group gap="sm" aria-label="Run status" aria-live="polite" mih={26}>
        <Loader size={14} />
        <Text size="sm">
          {running.cancelling ? 'Cancelling' : 'Running'} {running.what}… <ElapsedTime since={running.startedAt} />
        </Text>
        {running.queryId && !running.cancelling && (
          <Text size="xs" c="dimmed">
            <Kbd size="xs">Esc</Kbd> cancels
          </Text>
        )}
      </Group>
    )
  }
  if (!summary) return null
  const color = summary.outcome === 'ok' ? 'dimmed' : summary.outcome === 'failed' ? 'red' : 'orange'
  return (
    <Text size="sm" c={color} aria-label="Run status" aria-live="polite" mih={26} py={3}>
      {summaryText(summary)}
    </Text>
  )
}
