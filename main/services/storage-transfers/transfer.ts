import { BackplaneError, ErrorCode, toBackplaneError } from '../../core/errors'
import type { ErrorPayload } from '../../core/schemas/error'
import { ProgressMeter } from './progress-meter'

export type TransferKind = 'upload' | 'download' | 'copy' | 'move' | 'zip'
export type TransferState = 'queued' | 'running' | 'done' | 'failed' | 'cancelled'
export interface Place {
  alias: string
  name: string
}

/** The API's TransferView (main/api/contract/storage.ts), spelled out here: services sit below the contract. */
export interface TransferSnapshot {
  id: string
  kind: TransferKind
  state: TransferState
  from: Place | null
  to: Place | null
  label: string
  bytesDone: number
  bytesTotal: number | null
  filesDone: number
  filesTotal: number | null
  bytesPerSecond: number
  secondsLeft: number | null
  current: string | null
  startedAt: string
  finishedAt: string | null
  resultName: string | null
  error: ErrorPayload | null
}

export interface TransferSpec {
  id: string
  kind: TransferKind
  from: Place | null
  to: Place | null
  label: string
  bytesTotal?: number | null
  filesTotal?: number | null
}

/** Progress is published at most this often per transfer; a change of state always at once. */
const PUBLISH_EVERY_MS = 250

/**
 * One upload, download, copy, move or zip: its progress, its state, and the AbortController that
 * stops its work (the engines get the signal, so a cancelled write leaves nothing behind).
 */
export class Transfer {
  readonly id: string
  readonly kind: TransferKind
  readonly from: Place | null
  readonly to: Place | null
  readonly label: string
  readonly meter: ProgressMeter
  readonly startedAt = new Date()
  state: TransferState = 'queued'
  current: string | null = null
  private finishedAt: Date | null = null
  private resultName: string | null = null
  private error: ErrorPayload | null = null
  private skippedEntries = 0
  private readonly controller = new AbortController()
  private lastPublished = 0
  private trailing: NodeJS.Timeout | undefined

  constructor(
    spec: TransferSpec,
    private readonly publish: (transfer: Transfer) => void,
  ) {
    this.id = spec.id
    this.kind = spec.kind
    this.from = spec.from
    this.to = spec.to
    this.label = spec.label
    this.meter = new ProgressMeter(spec.bytesTotal ?? null, spec.filesTotal ?? null)
  }

  /** Aborted by cancel(); the work passes it to every engine call. */
  get signal(): AbortSignal {
    return this.controller.signal
  }

  get finished(): boolean {
    return this.state === 'done' || this.state === 'failed' || this.state === 'cancelled'
  }

  start(): void {
    if (this.state !== 'queued') return
    this.state = 'running'
    this.publishNow()
  }

  /** Counts bytes as they pass, published at most four times a second. */
  progress(bytes: number): void {
    if (this.finished) return
    this.meter.add(bytes)
    this.publishSoon()
  }

  setTotals(bytesTotal: number | null, filesTotal: number | null): void {
    this.meter.bytesTotal = bytesTotal
    this.meter.filesTotal = filesTotal
    this.publishSoon()
  }

  fileStarted(name: string): void {
    this.current = name
    this.publishSoon()
  }

  fileDone(): void {
    this.meter.filesDone++
    this.publishSoon()
  }

  /** An entry the walk left out (a name no Backplane name can address): the label says how many. */
  skipped(): void {
    this.skippedEntries++
    this.publishSoon()
  }

  finish(resultName: string | null = null): void {
    if (this.finished) return
    this.resultName = resultName
    this.settle('done')
  }

  /** A failure after a cancel is the cancel's doing: the transfer stays cancelled. */
  fail(err: unknown): void {
    if (this.finished) return
    if (this.signal.aborted) {
      this.cancel()
      return
    }
    this.error = toBackplaneError(err).toPayload()
    this.settle('failed')
  }

  /** Stops the work; true if there was work to stop. */
  cancel(): boolean {
    if (this.finished) return false
    this.controller.abort(new BackplaneError(ErrorCode.E_CANCELLED, `The transfer "${this.label}" was cancelled.`, { hint: 'Start it again if you still want it.' }))
    this.settle('cancelled')
    return true
  }

  view(): TransferSnapshot {
    return {
      id: this.id,
      kind: this.kind,
      state: this.state,
      from: this.from,
      to: this.to,
      // The count rides on the label: the transfer did what it could, and says what it could not.
      label: this.skippedEntries ? `${this.label} (${this.skippedEntries} skipped: names Backplane cannot address)` : this.label,
      bytesDone: this.meter.bytesDone,
      bytesTotal: this.meter.bytesTotal,
      filesDone: this.meter.filesDone,
      filesTotal: this.meter.filesTotal,
      bytesPerSecond: this.finished ? 0 : this.meter.bytesPerSecond,
      secondsLeft: this.finished ? null : this.meter.secondsLeft,
      current: this.finished ? null : this.current,
      startedAt: this.startedAt.toISOString(),
      finishedAt: this.finishedAt?.toISOString() ?? null,
      resultName: this.resultName,
      error: this.error,
    }
  }

  private settle(state: TransferState): void {
    this.state = state
    this.finishedAt = new Date()
    this.publishNow()
  }

  private publishSoon(): void {
    if (this.trailing) return
    const wait = this.lastPublished + PUBLISH_EVERY_MS - Date.now()
    if (wait <= 0) return this.publishNow()
    // The last bytes of a burst are published too, once the quarter second is up.
    this.trailing = setTimeout(() => this.publishNow(), wait)
    this.trailing.unref()
  }

  private publishNow(): void {
    clearTimeout(this.trailing)
    this.trailing = undefined
    this.lastPublished = Date.now()
    this.publish(this)
  }
}
