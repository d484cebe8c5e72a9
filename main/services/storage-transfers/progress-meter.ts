/** How far back the speed looks: long enough to smooth bursts, short enough to follow a change of pace. */
const WINDOW_MS = 3_000
const SAMPLE_EVERY_MS = 200

/** Bytes and files done against their totals, with the speed over the last few seconds and the time left. */
export class ProgressMeter {
  bytesDone = 0
  filesDone = 0
  private samples: { at: number; bytes: number }[]

  constructor(
    public bytesTotal: number | null,
    public filesTotal: number | null,
    private readonly now: () => number = Date.now,
  ) {
    this.samples = [{ at: now(), bytes: 0 }]
  }

  add(bytes: number): void {
    this.bytesDone += bytes
    const at = this.now()
    if (at - this.samples.at(-1)!.at >= SAMPLE_EVERY_MS) this.samples.push({ at, bytes: this.bytesDone })
    while (this.samples.length > 2 && at - this.samples[1]!.at > WINDOW_MS) this.samples.shift()
  }

  /** A file that failed or was skipped takes its bytes back out of the count (they are not there). */
  undo(bytes: number): void {
    this.bytesDone = Math.max(0, this.bytesDone - bytes)
    this.samples = [{ at: this.now(), bytes: this.bytesDone }]
  }

  get bytesPerSecond(): number {
    const at = this.now()
    const oldest = this.samples[0]!
    const elapsed = at - oldest.at
    if (elapsed <= 0) return 0
    return Math.max(0, Math.round(((this.bytesDone - oldest.bytes) * 1000) / elapsed))
  }

  get secondsLeft(): number | null {
    if (this.bytesTotal === null) return null
    const speed = this.bytesPerSecond
    if (speed <= 0) return null
    return Math.max(0, Math.ceil((this.bytesTotal - this.bytesDone) / speed))
  }
}
