import type { SqliteDatabase } from '../../core/sqlite'

interface Job {
  work: () => unknown
  resolve: (value: unknown) => void
  reject: (err: unknown) => void
}

/**
 * Group commit: every write queued while the previous transaction ran goes into the next one, and
 * each caller is answered only after COMMIT returned. Under load a transaction carries dozens of
 * messages, so durability costs one commit per batch, not one per message.
 */
export class WriteQueue {
  private queue: Job[] = []
  private scheduled = false

  constructor(
    private readonly db: SqliteDatabase,
    private readonly maxBatch = 1000,
  ) {}

  run<T>(work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (v: unknown) => void, reject })
      if (!this.scheduled) {
        this.scheduled = true
        // setImmediate runs after this turn's I/O callbacks: all data that arrived together commits together.
        setImmediate(() => this.flush())
      }
    })
  }

  private flush(): void {
    const batch = this.queue.splice(0, this.maxBatch)
    this.scheduled = this.queue.length > 0
    if (this.scheduled) setImmediate(() => this.flush())
    const results: unknown[] = []
    try {
      this.db.transaction(() => {
        for (const job of batch) results.push(job.work())
      })()
    } catch {
      // One bad write must not fail its neighbours: retry each on its own, so only the culprit fails.
      for (const job of batch) {
        try {
          job.resolve(this.db.transaction(job.work)())
        } catch (err) {
          job.reject(err)
        }
      }
      return
    }
    batch.forEach((job, i) => job.resolve(results[i]))
  }
}
