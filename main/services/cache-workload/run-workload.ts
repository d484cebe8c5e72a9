import type { Cache } from '../../backends/cache'
import type { Logger } from '../../core/log'
import { redact } from '../../core/redact'
import { EventLoopSlices } from './event-loop-slices'
import { LatencyHistogram, type HistogramBucket, type LatencySummary } from './latency-histogram'

/** Every key a workload writes starts so, and the key browser can tell them from the application's. */
export const WORKLOAD_KEY_PREFIX = '__backplane_workload__'
const PROGRESS_EVERY_MS = 250
/** The longest the event loop waits for a turn while an engine answers synchronously (see EventLoopSlices). */
const SLICE_MS = 5
/** After the deadline or a cancel, how long operations in flight may take to finish and be counted. */
const STOP_GRACE_MS = 50
const DELETE_BATCH = 1000
/** Keys are written with this much time to live beyond the run, so a set that lands after the clean-up still goes away. */
const LEFTOVER_TTL_SECONDS = 60
/** How long the answer waits for the clean-up. */
const CLEANUP_WAIT_MS = 1000

export interface WorkloadSpec {
  keys: number
  valueBytes: number
  /** Fraction of operations that are gets (the rest are sets). */
  readRatio: number
  concurrency: number
  durationSeconds: number
}

export interface WorkloadProgress {
  elapsedSeconds: number
  operations: number
  /** Operations per second since the start. */
  opsPerSecond: number
  errors: number
}

export interface WorkloadResult extends Omit<WorkloadProgress, 'elapsedSeconds'> {
  runId: string
  cancelled: boolean
  seconds: number
  gets: number
  sets: number
  hits: number
  misses: number
  firstError?: string
  latencyMs: LatencySummary
  histogram: HistogramBucket[]
}

export interface WorkloadRequest {
  cache: Cache
  runId: string
  spec: WorkloadSpec
  /** Aborting stops the run early; it still cleans up and answers what it measured. */
  signal?: AbortSignal
  onProgress?: (progress: WorkloadProgress) => void
  log?: Logger
}

export function workloadKey(runId: string, n: number): string {
  return `${WORKLOAD_KEY_PREFIX}:${runId}:${n}`
}

/**
 * A get/set mix against one cache for a while, from `concurrency` workers on keys of its own; a get
 * of a key no set has written yet is a miss, as it would be in a cold cache. The keys written are
 * deleted at the end, cancelled or not.
 */
export async function runWorkload({ cache, runId, spec, signal, onProgress, log }: WorkloadRequest): Promise<WorkloadResult> {
  const run = new WorkloadRun(cache, runId, spec)
  const started = performance.now()
  const elapsed = () => (performance.now() - started) / 1000
  const progress = (): WorkloadProgress => ({ elapsedSeconds: round(elapsed()), operations: run.operations, opsPerSecond: rate(run.operations, elapsed()), errors: run.errors })

  let stop!: () => void
  const stopped = new Promise<void>((resolve) => (stop = resolve))
  const deadline = setTimeout(stop, spec.durationSeconds * 1000)
  const onAbort = () => stop()
  signal?.addEventListener('abort', onAbort, { once: true })
  if (signal?.aborted) stop()
  const ticker = onProgress ? setInterval(() => onProgress(progress()), PROGRESS_EVERY_MS) : undefined
  try {
    const workers = Promise.all(Array.from({ length: spec.concurrency }, () => run.worker()))
    await stopped
    run.stopping = true
    await Promise.race([workers, delay(STOP_GRACE_MS)])
    // From here on, operations still in flight are left to finish on their own and are not counted.
    run.finished = true
  } finally {
    clearTimeout(deadline)
    clearInterval(ticker)
    signal?.removeEventListener('abort', onAbort)
  }
  const seconds = elapsed()
  onProgress?.(progress())
  // On a server that does one thing at a time (a SQLite cache table), the deletes queue behind the
  // operations still in flight, up to `concurrency` of them: the answer waits a while, then the clean-up
  // goes on without it (what lands after it expires anyway: LEFTOVER_TTL_SECONDS).
  await settleWithin(run.deleteWritten(log), CLEANUP_WAIT_MS)
  return {
    runId,
    cancelled: signal?.aborted ?? false,
    seconds: round(seconds),
    operations: run.operations,
    gets: run.gets,
    sets: run.sets,
    hits: run.hits,
    misses: run.misses,
    errors: run.errors,
    ...(run.firstError === undefined ? {} : { firstError: run.firstError }),
    opsPerSecond: rate(run.operations, seconds),
    latencyMs: run.latency.summary(),
    histogram: run.latency.buckets(),
  }
}

/** The counters of one run and the loop each of its workers runs. */
class WorkloadRun {
  operations = 0
  gets = 0
  sets = 0
  hits = 0
  misses = 0
  errors = 0
  firstError: string | undefined
  readonly latency = new LatencyHistogram()
  /** Set at the deadline or on cancel: workers start nothing new. */
  stopping = false
  /** Set once the run answers: what finishes later is not counted. */
  finished = false
  /** Which keys a set was sent for (landed or not), so the clean-up deletes only those. */
  private readonly written: Uint8Array
  private readonly value: string
  private readonly setOptions: { timeout: number }
  private readonly slices = new EventLoopSlices(SLICE_MS)

  constructor(
    private readonly cache: Cache,
    private readonly runId: string,
    private readonly spec: WorkloadSpec,
  ) {
    this.written = new Uint8Array(spec.keys)
    this.value = 'x'.repeat(spec.valueBytes)
    this.setOptions = { timeout: Math.ceil(spec.durationSeconds) + LEFTOVER_TTL_SECONDS }
  }

  async worker(): Promise<void> {
    const { keys, readRatio } = this.spec
    while (!this.stopping) {
      // Asked before an operation, not only after one: an engine that encodes a large value synchronously
      // before its first await would otherwise hold the loop through every worker's first operation
      // (256 workers × a 1 MB pickle is a second), and the deadline would fire that much late.
      if (this.slices.due(performance.now())) {
        await this.slices.yield()
        if (this.stopping) return
      }
      const n = Math.floor(Math.random() * keys)
      const key = workloadKey(this.runId, n)
      const isGet = Math.random() < readRatio
      let found: boolean | undefined
      let failure: unknown
      const t0 = performance.now()
      try {
        if (isGet) {
          found = (await this.cache.get(key)) !== undefined
        } else {
          this.written[n] = 1
          await this.cache.set(key, this.value, this.setOptions)
        }
      } catch (err) {
        failure = err
      }
      const t1 = performance.now()
      if (this.finished) return
      this.count(isGet, found, failure, t1 - t0)
    }
  }

  private count(isGet: boolean, found: boolean | undefined, failure: unknown, ms: number): void {
    this.operations++
    this.latency.record(ms)
    if (isGet) this.gets++
    else this.sets++
    if (failure !== undefined) {
      this.errors++
      // It goes back in the answer: masked like any error text that leaves the process.
      this.firstError ??= redact(messageOf(failure))
    } else if (found === true) this.hits++
    else if (found === false) this.misses++
  }

  /** Deletes the keys the run wrote, in batches; a failure is logged, not thrown: the measurement stands and the keys expire anyway. */
  async deleteWritten(log: Logger | undefined): Promise<void> {
    let batch: string[] = []
    try {
      for (let n = 0; n < this.written.length; n++) {
        if (this.written[n]) batch.push(workloadKey(this.runId, n))
        if (batch.length === DELETE_BATCH || (n === this.written.length - 1 && batch.length)) {
          await this.cache.deleteMany(batch)
          batch = []
        }
      }
    } catch (err) {
      log?.warn(`workload ${this.runId}: deleting its keys failed (they expire within ${LEFTOVER_TTL_SECONDS} s of the run's end): ${messageOf(err)}`)
    }
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}

function rate(operations: number, seconds: number): number {
  return seconds > 0 ? Math.round(operations / seconds) : 0
}

function round(seconds: number): number {
  return Math.round(seconds * 1000) / 1000
}

/** Waits for `promise` (which never rejects) at most `ms`. */
async function settleWithin(promise: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  await Promise.race([promise, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))])
  clearTimeout(timer)
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
