import { describe, expect, it } from 'vitest'
import { appendSample, HISTORY_MS, statsSeries, type StatsSample } from './stats-series'

const bytes = (n: number) => `${n} B`

describe('statsSeries', () => {
  it('charts rates from counters and levels as they are', () => {
    const samples: StatsSample[] = [
      { at: 0, stats: { hits: 0, misses: 0, keys: 3 } },
      { at: 2000, stats: { hits: 30, misses: 10, keys: 5 } },
    ]
    const series = statsSeries(samples, bytes)
    expect(series.map((s) => s.id)).toEqual(['hits', 'misses', 'hitRatio', 'keys'])
    expect(series.find((s) => s.id === 'hits')!.points).toEqual([{ at: 2000, value: 15 }])
    expect(series.find((s) => s.id === 'hitRatio')!.points).toEqual([{ at: 2000, value: 0.75 }])
    expect(series.find((s) => s.id === 'keys')!.points.map((p) => p.value)).toEqual([3, 5])
  })

  it('leaves out what the engine does not report, rather than showing 0', () => {
    expect(statsSeries([{ at: 0, stats: { memoryBytes: 10 } }], bytes).map((s) => s.id)).toEqual(['memory'])
    expect(statsSeries([{ at: 0, stats: {} }], bytes)).toEqual([])
  })

  it('skips an interval where a counter went back (a restart)', () => {
    const series = statsSeries([{ at: 0, stats: { operations: 100 } }, { at: 1000, stats: { operations: 5 } }, { at: 2000, stats: { operations: 25 } }], bytes)
    expect(series[0]!.points).toEqual([{ at: 2000, value: 20 }])
  })
})

describe('appendSample', () => {
  it('keeps five minutes', () => {
    const old: StatsSample = { at: 0, stats: {} }
    const kept: StatsSample = { at: 1000, stats: {} }
    expect(appendSample([old, kept], { at: HISTORY_MS + 500, stats: {} }).map((s) => s.at)).toEqual([1000, HISTORY_MS + 500])
  })
})
