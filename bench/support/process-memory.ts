import { readFileSync, writeFileSync } from 'node:fs'

/** Memory of another process from /proc/<pid>/status, in bytes (Linux). */
function statusField(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  if (!match) throw new Error(`no ${field} in /proc/${pid}/status`)
  return Number(match[1]) * 1024
}

export interface RssWatch {
  /** RSS when the watch began, bytes. */
  readonly baseline: number
  /** Stops sampling (once; later calls give the same figures): the peak seen (the larger of the kernel's high-water mark, when it could be reset, and the samples) minus the baseline. */
  stop(): { baselineMiB: number; peakMiB: number; growthMiB: number; via: string }
}

/**
 * Watches a process's resident memory over one transfer. The kernel's high-water mark (VmHWM) sees
 * every peak, even one between two samples, but it remembers start-up too; writing 5 to clear_refs
 * resets it to the current RSS (Linux ≥ 4.0, a process of our own). Where that is refused, samples
 * every 10 ms are all there is, and `via` says so.
 */
export function watchRss(pid: number): RssWatch {
  let hwmReset = true
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5')
  } catch {
    hwmReset = false
  }
  const baseline = statusField(pid, 'VmRSS')
  let sampled = baseline
  const timer = setInterval(() => {
    try {
      sampled = Math.max(sampled, statusField(pid, 'VmRSS'))
    } catch {
      // The process went away; what was sampled stays.
    }
  }, 10)
  const mib = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10
  let figures: ReturnType<RssWatch['stop']> | undefined
  return {
    baseline,
    stop() {
      if (figures) return figures
      clearInterval(timer)
      let peak = sampled
      if (hwmReset) {
        try {
          peak = Math.max(peak, statusField(pid, 'VmHWM'))
        } catch {
          hwmReset = false
        }
      }
      figures = { baselineMiB: mib(baseline), peakMiB: mib(peak), growthMiB: mib(peak - baseline), via: hwmReset ? 'VmHWM reset by clear_refs, and VmRSS sampled every 10 ms' : 'VmRSS sampled every 10 ms' }
      return figures
    },
  }
}
