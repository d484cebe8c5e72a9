import { describe, expect, it } from 'vitest'
import { LatencyHistogram } from './latency-histogram'

describe('the latency histogram', () => {
  it('tells percentiles within a bucket width (about 19 %) of the exact ones', () => {
    const h = new LatencyHistogram()
    // 1..1000 µs, evenly: the exact p50 is 0.5 ms, p90 0.9 ms, p99 0.99 ms.
    for (let us = 1; us <= 1000; us++) h.record(us / 1000)
    const { p50, p90, p99, max } = h.summary()
    expect(p50).toBeGreaterThanOrEqual(0.5)
    expect(p50).toBeLessThan(0.5 * 1.19)
    expect(p90).toBeGreaterThanOrEqual(0.9)
    expect(p90).toBeLessThan(0.9 * 1.19)
    expect(p99).toBeGreaterThanOrEqual(0.99)
    expect(p99).toBeLessThanOrEqual(max)
    expect(max).toBe(1)
  })

  it('never puts a percentile above the slowest operation', () => {
    const h = new LatencyHistogram()
    for (let i = 0; i < 10; i++) h.record(3.1)
    expect(h.summary()).toEqual({ p50: 3.1, p90: 3.1, p99: 3.1, max: 3.1 })
  })

  it('keeps a fixed number of buckets however many operations it counts, and their counts add up', () => {
    const h = new LatencyHistogram()
    for (let i = 0; i < 1_000_000; i++) h.record((i % 5000) * 0.01)
    h.record(0)
    h.record(-1)
    h.record(Number.NaN)
    h.record(10 ** 9)
    const buckets = h.buckets()
    expect(buckets.length).toBeLessThanOrEqual(121)
    expect(buckets.reduce((sum, b) => sum + b.count, 0)).toBe(1_000_004)
    expect(h.count).toBe(1_000_004)
    // Bounds strictly rise, even those below 0.01 ms.
    for (let i = 1; i < buckets.length; i++) expect(buckets[i]!.upToMs).toBeGreaterThan(buckets[i - 1]!.upToMs)
  })

  it('answers zeros and no buckets before anything is recorded', () => {
    const h = new LatencyHistogram()
    expect(h.summary()).toEqual({ p50: 0, p90: 0, p99: 0, max: 0 })
    expect(h.buckets()).toEqual([])
  })
})
