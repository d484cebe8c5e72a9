import { randomUUID } from 'node:crypto'
import type { Storage } from '../../backends/storage'
import { BackplaneError, ErrorCode } from '../../core/errors'
import type { EventBus } from '../../core/events'
import type { Logger } from '../../core/log'
import { copyLabel, runCopy } from './copy-job'
import { planCopy, type CopyPlan, type CopyRequest } from './copy-plan'
import { Transfer, type TransferSnapshot, type TransferSpec } from './transfer'

export type { CopyRequest } from './copy-plan'

export interface TransferQueueOptions {
  events: EventBus
  log: Logger
  /** The live storage of an alias (the pool's, so an edit drains what runs on it). */
  storageOf(alias: string): Promise<Storage>
  /** Copies and moves running at once (default 2); HTTP transfers run as they come. */
  concurrency?: number
  /** Finished transfers remembered for storage.transfers (default 200). */
  keep?: number
}

/** Transfers not yet finished, at most: a client queueing without end gets a refusal, not a growing heap. */
const MAX_ACTIVE = 1_000
const TRANSFER_ID = /^[A-Za-z0-9_-]{1,100}$/

/**
 * Every transfer the app runs, with its progress (`storage.transfer` events) and its cancel: uploads
 * and downloads over HTTP run as they come; copies and moves between aliases wait in a queue, a few at
 * a time, so a hundred queued copies do not open a hundred connections to the same server.
 */
export class StorageTransfers {
  private readonly transfers = new Map<string, Transfer>()
  private readonly waiting: (() => void)[] = []
  private running = 0
  private readonly concurrency: number
  private readonly keep: number

  constructor(private readonly options: TransferQueueOptions) {
    this.concurrency = options.concurrency ?? 2
    this.keep = options.keep ?? 200
  }

  /** Registers a transfer that runs now (an HTTP request): the caller reports its progress and end. */
  begin(spec: Omit<TransferSpec, 'id'> & { id?: string | undefined }): Transfer {
    const transfer = this.register({ ...spec, id: spec.id ?? randomUUID() })
    transfer.start()
    return transfer
  }

  /**
   * Queues a copy or move; it starts when one of the running ones ends. What can be refused now (a
   * missing name, a folder into itself, two names onto one target) is refused here, by planCopy.
   */
  async startCopy(request: CopyRequest): Promise<{ id: string }> {
    const source = await this.options.storageOf(request.from.alias)
    const target = request.to.alias === request.from.alias ? source : await this.options.storageOf(request.to.alias)
    const plan = await planCopy(request, source, target)
    const transfer = this.register({
      id: randomUUID(),
      kind: request.kind,
      from: { alias: request.from.alias, name: request.from.names[0] ?? '' },
      to: { alias: request.to.alias, name: request.to.folder },
      label: copyLabel(request.kind, request.from.names, request.to.alias, request.to.folder),
    })
    void this.run(transfer, request, plan)
    return { id: transfer.id }
  }

  /** Newest first. */
  list(): TransferSnapshot[] {
    return [...this.transfers.values()].reverse().map((t) => t.view())
  }

  cancel(id: string): boolean {
    return this.transfers.get(id)?.cancel() ?? false
  }

  /** Forgets the finished ones; returns how many. */
  clear(): number {
    let cleared = 0
    for (const [id, transfer] of this.transfers) {
      if (transfer.finished) {
        this.transfers.delete(id)
        cleared++
      }
    }
    return cleared
  }

  /** The app is closing: everything still running stops (and cleans up after itself). */
  close(): void {
    for (const transfer of this.transfers.values()) transfer.cancel()
    this.waiting.length = 0
  }

  private register(spec: TransferSpec): Transfer {
    if (!TRANSFER_ID.test(spec.id)) {
      throw new BackplaneError(ErrorCode.E_INVALID_INPUT, 'A transfer id is 1 to 100 letters, digits, "-" or "_".', { hint: 'Use an id such as upload-3f2a.' })
    }
    const existing = this.transfers.get(spec.id)
    if (existing && !existing.finished) throw new BackplaneError(ErrorCode.E_CONFLICT, `A transfer with the id "${spec.id}" is running.`, { hint: 'Give each transfer its own id.' })
    let active = 0
    for (const t of this.transfers.values()) if (!t.finished) active++
    if (active >= MAX_ACTIVE) throw new BackplaneError(ErrorCode.E_CONFLICT, `${MAX_ACTIVE} transfers are running or waiting already.`, { hint: 'Wait for some to finish, or cancel some.' })
    // A reused id replaces the finished transfer of that id (and moves to the front).
    this.transfers.delete(spec.id)
    const transfer = new Transfer(spec, (t) => this.published(t))
    this.transfers.set(transfer.id, transfer)
    this.published(transfer)
    return transfer
  }

  private published(transfer: Transfer): void {
    this.options.events.emit('storage.transfer', transfer.view())
    if (transfer.finished) this.forgetOldest()
  }

  private forgetOldest(): void {
    let finished = 0
    for (const t of this.transfers.values()) if (t.finished) finished++
    for (const [id, t] of this.transfers) {
      if (finished <= this.keep) break
      if (!t.finished) continue
      this.transfers.delete(id)
      finished--
    }
  }

  private async run(transfer: Transfer, request: CopyRequest, plan: CopyPlan): Promise<void> {
    await this.slot(transfer)
    if (transfer.finished) return this.release()
    transfer.start()
    try {
      // The live backends now (an alias edited while the copy waited is its new version).
      const source = await this.options.storageOf(request.from.alias)
      const target = plan.sameRoot ? source : await this.options.storageOf(request.to.alias)
      await runCopy({ ...plan, source, target }, transfer)
      transfer.finish(null)
    } catch (err) {
      if (!transfer.signal.aborted) this.options.log.info(`transfer ${transfer.id} (${transfer.label}) failed: ${(err as Error).message}`)
      transfer.fail(err)
    } finally {
      this.release()
    }
  }

  /** Waits for a free place among the running copies (or for the transfer to be cancelled meanwhile). */
  private slot(transfer: Transfer): Promise<void> {
    if (this.running < this.concurrency) {
      this.running++
      return Promise.resolve()
    }
    return new Promise((resolve) => {
      const go = () => {
        transfer.signal.removeEventListener('abort', go)
        const at = this.waiting.indexOf(go)
        if (at !== -1) this.waiting.splice(at, 1)
        this.running++
        resolve()
      }
      this.waiting.push(go)
      transfer.signal.addEventListener('abort', go, { once: true })
    })
  }

  private release(): void {
    this.running--
    this.waiting.shift()?.()
  }
}
