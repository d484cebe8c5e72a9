const WINDOW_MS = 3000

/** Bytes per second over the last few seconds, and the time left at that speed. */
export class RateMeter {
  private samples: { at: number; bytes: number }[] = []

  add(bytes: number, at = Date.now()): void {
    this.samples.push({ at, bytes })
    while (this.samples.length > 2 && (this.samples[0]?.at ?? at) < at - WINDOW_MS) this.samples.shift()
  }

  bytesPerSecond(): number {
    const first = this.samples[0]
    const last = this.samples.at(-1)
    if (!first || !last || last.at === first.at) return 0
    return ((last.bytes - first.bytes) * 1000) / (last.at - first.at)
  }

  secondsLeft(total: number | null): number | null {
    const rate = this.bytesPerSecond()
    const done = this.samples.at(-1)?.bytes ?? 0
    return total === null || rate <= 0 ? null : Math.max(0, (total - done) / rate)
  }
}
