import type { AuditStore, NewAuditEntry } from './audit-store'

interface LockRow {
  lockedUntil: number
  id: Promise<number | undefined>
  refused: number
  /** An amendment is queued and will write the latest count when it runs. */
  amending: boolean
  words: (refused: number) => string
}

/** Locks remembered at most; ended ones are forgotten first. */
const MAX_LOCKS = 10_000

/**
 * The audit log's rows for refusals of a locked key: one row per key per lock, written on the first
 * refusal and amended with the count of the later ones, so ~100,000 cheap throttled requests cannot
 * push months of real attempts out of the log's retention. Amendments coalesce: while one is queued,
 * further refusals only raise the count it will write.
 */
export class ThrottledAudit {
  private readonly locks = new Map<string, LockRow>()

  constructor(
    private readonly store: AuditStore,
    private readonly onError: (err: unknown) => void,
    /** The throttle's clock, which the locks' ends are on. */
    private readonly now: () => number,
  ) {}

  async refused(lock: { key: string; lockedUntil: number }, entry: NewAuditEntry, words: (refused: number) => string): Promise<void> {
    const row = this.locks.get(lock.key)
    if (row && row.lockedUntil === lock.lockedUntil) {
      row.refused++
      if (row.amending) return
      row.amending = true
      const id = await row.id
      if (id === undefined) return
      await this.store
        .amend(id, () => {
          row.amending = false
          return row.words(row.refused)
        })
        .catch(this.onError)
      return
    }
    this.forgetEnded(this.now())
    const id = this.store.record({ ...entry, reason: words(1) }).catch((err: unknown) => {
      this.onError(err)
      return undefined
    })
    this.locks.delete(lock.key)
    this.locks.set(lock.key, { lockedUntil: lock.lockedUntil, id, refused: 1, amending: false, words })
    await id
  }

  private forgetEnded(now: number): void {
    if (this.locks.size < MAX_LOCKS) return
    for (const [key, row] of this.locks) if (row.lockedUntil <= now) this.locks.delete(key)
    // Still full of live locks: the oldest go; a refusal of theirs will start a new row.
    for (const key of this.locks.keys()) {
      if (this.locks.size < MAX_LOCKS) break
      this.locks.delete(key)
    }
  }
}
