/** The smallest latency told apart: 1 µs (a locmem get takes about that). */
const FLOOR_MS = 0.001
/** Buckets per doubling: each is about 19 % wider than the one before, so a percentile is off by at most that. */
const PER_OCTAVE = 4
/** 2^30 µs is about 18 minutes, beyond the longest run (300 s); slower operations land in the last bucket. */
const OCTAVES = 30
const BUCKETS = OCTAVES * PER_OCTAVE + 1

export interface LatencySummary {
  p50: number
  p90: number
  p99: number
  max: number
}

export interface HistogramBucket {
  /** Operations in this bucket took at most this long, and longer than the bucket before. */
  upToMs: number
  count: number
}

/**
 * Operation latencies in fixed log-scale buckets (as HdrHistogram, coarser): the memory is the same
 * for ten operations and for the 30 million of a 300 s run at 100k ops/s, and recording one is a
 * logarithm and an increment.
 */
export class LatencyHistogram {
  private readonly counts = new Float64Array(BUCKETS)
  private total = 0
  private maxMs = 0

  record(ms: number): void {
    this.counts[bucketOf(ms)]!++
    this.total++
    if (ms > this.maxMs) this.maxMs = ms
  }

  get count(): number {
    return this.total
  }

  /**
   * The latency under which a fraction q of the operations finished: the upper bound of the bucket that
   * holds the q-th operation, never more than the slowest seen (so p50 ≤ p90 ≤ p99 ≤ max always).
   */
  percentile(q: number): number {
    if (this.total === 0) return 0
    const rank = Math.max(1, Math.ceil(q * this.total))
    let seen = 0
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i]!
      if (seen >= rank) return Math.min(upperBound(i), this.maxMs)
    }
    return this.maxMs
  }

  summary(): LatencySummary {
    return { p50: round(this.percentile(0.5)), p90: round(this.percentile(0.9)), p99: round(this.percentile(0.99)), max: round(this.maxMs) }
  }

  /** The buckets from the fastest operation's to the slowest one's, empty ones between included, so a chart has no gaps. */
  buckets(): HistogramBucket[] {
    let first = 0
    let last = BUCKETS - 1
    while (first < BUCKETS && this.counts[first] === 0) first++
    while (last >= first && this.counts[last] === 0) last--
    const out: HistogramBucket[] = []
    for (let i = first; i <= last; i++) out.push({ upToMs: round(upperBound(i)), count: this.counts[i]! })
    return out
  }
}

function bucketOf(ms: number): number {
  if (!(ms > FLOOR_MS)) return 0
  return Math.min(BUCKETS - 1, Math.ceil(Math.log2(ms / FLOOR_MS) * PER_OCTAVE))
}

function upperBound(bucket: number): number {
  return FLOOR_MS * 2 ** (bucket / PER_OCTAVE)
}

/** Four significant digits: bucket bounds below 0.01 ms stay apart, and nobody reads a fifth. */
function round(ms: number): number {
  return Number(ms.toPrecision(4))
}
