/** Percentiles of latencies in milliseconds, and the rate they imply. */
export interface LatencyStats {
  samples: number
  p50Ms: number
  p99Ms: number
  meanMs: number
}

export function latencyStats(samples: number[]): LatencyStats {
  const sorted = [...samples].sort((a, b) => a - b)
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0
  const mean = sorted.reduce((s, x) => s + x, 0) / Math.max(1, sorted.length)
  return { samples: sorted.length, p50Ms: round(at(0.5)), p99Ms: round(at(0.99)), meanMs: round(mean) }
}

export function round(x: number, digits = 4): number {
  const f = 10 ** digits
  return Math.round(x * f) / f
}
