import type { z } from 'zod'
import type { CacheStatsView } from '../../../../main/api/contract'

export type CacheStats = z.infer<typeof CacheStatsView>
export interface StatsSample {
  /** Milliseconds since the epoch, as the server took it. */
  at: number
  stats: CacheStats
}

/** How long the chart looks back; samples older than this are dropped. */
export const HISTORY_MS = 5 * 60_000

export interface Series {
  id: string
  label: string
  /** Points in time order: x in ms, y the value (a rate over the interval that ends at x, or a level). */
  points: { at: number; value: number }[]
  format: (value: number) => string
}

type Counter = 'hits' | 'misses' | 'operations' | 'evictions'
type Level = 'memoryBytes' | 'connections' | 'keys'

/** Per second between two samples; undefined when the counter is missing or went back (the server restarted). */
function rate(before: StatsSample, after: StatsSample, field: Counter): number | undefined {
  const a = before.stats[field]
  const b = after.stats[field]
  const seconds = (after.at - before.at) / 1000
  if (a === undefined || b === undefined || b < a || seconds <= 0) return undefined
  return (b - a) / seconds
}

function hitRatio(before: StatsSample, after: StatsSample): number | undefined {
  const hits = rate(before, after, 'hits')
  const misses = rate(before, after, 'misses')
  if (hits === undefined || misses === undefined) return undefined
  // No reads in the interval: the ratio since the start says more than a gap.
  if (hits + misses === 0) {
    const total = (after.stats.hits ?? 0) + (after.stats.misses ?? 0)
    return total === 0 ? undefined : (after.stats.hits ?? 0) / total
  }
  return hits / (hits + misses)
}

const perSecond = (value: number) => `${value < 10 ? value.toFixed(1) : Math.round(value).toLocaleString('en')}/s`
const count = (value: number) => Math.round(value).toLocaleString('en')
const percent = (value: number) => `${(value * 100).toFixed(1)} %`

/**
 * The charts for a run of samples: rates from the counters, levels as they are. A field the engine
 * does not report gives no chart at all (an absent counter is unknown, not zero).
 */
export function statsSeries(samples: readonly StatsSample[], formatBytes: (bytes: number) => string): Series[] {
  const rates = (id: string, label: string, field: Counter): Series => ({
    id,
    label,
    format: perSecond,
    points: samples.slice(1).flatMap((sample, i) => {
      const value = rate(samples[i]!, sample, field)
      return value === undefined ? [] : [{ at: sample.at, value }]
    }),
  })
  const level = (id: string, label: string, field: Level, format: (value: number) => string): Series => ({
    id,
    label,
    format,
    points: samples.flatMap((sample) => (sample.stats[field] === undefined ? [] : [{ at: sample.at, value: sample.stats[field] }])),
  })
  const reported = (field: keyof CacheStats) => samples.some((sample) => sample.stats[field] !== undefined)
  const all: Series[] = []
  if (reported('hits')) all.push(rates('hits', 'Hits', 'hits'))
  if (reported('misses')) all.push(rates('misses', 'Misses', 'misses'))
  if (reported('hits') && reported('misses')) {
    all.push({
      id: 'hitRatio',
      label: 'Hit ratio',
      format: percent,
      points: samples.slice(1).flatMap((sample, i) => {
        const value = hitRatio(samples[i]!, sample)
        return value === undefined ? [] : [{ at: sample.at, value }]
      }),
    })
  }
  if (reported('operations')) all.push(rates('ops', 'Operations', 'operations'))
  if (reported('memoryBytes')) all.push(level('memory', 'Memory', 'memoryBytes', formatBytes))
  if (reported('connections')) all.push(level('connections', 'Connections', 'connections', count))
  if (reported('evictions')) all.push(rates('evictions', 'Evictions', 'evictions'))
  if (reported('keys')) all.push(level('keys', 'Keys', 'keys', count))
  return all
}

/** Adds a sample and drops those older than the window. */
export function appendSample(samples: readonly StatsSample[], sample: StatsSample): StatsSample[] {
  const since = sample.at - HISTORY_MS
  return [...samples.filter((s) => s.at >= since && s.at < sample.at), sample]
}
