import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'
import type * as WorkerThreads from 'node:worker_threads'
import type BetterSqlite3 from 'better-sqlite3'
import { BackplaneError, ErrorCode } from '../../core/errors'

/** A statement parameter; `{ $ref: n }` stands for the row id inserted by step n of the same job. */
export type WriteParam = string | number | bigint | null | Uint8Array | { $ref: number }

export interface WriteStep {
  sql: string
  params: WriteParam[]
}

export interface StepResult {
  changes: number
  lastInsertRowid: number
}

interface Pending {
  resolve: (results: StepResult[]) => void
  reject: (err: Error) => void
}

/**
 * The outbox's only writer, on a thread of its own, so SQLite's work never holds up the SMTP server on
 * the main thread. It does group commit: every job that arrives while a transaction runs goes into
 * the next one, and each caller is answered only after COMMIT returned — so a 250 sent on that answer
 * means the message is in the database file. Reads use their own connection on the main thread (WAL).
 */
export class SqliteWriter {
  private worker: Worker | undefined
  private readonly pending = new Map<number, Pending>()
  private nextId = 0
  private closed = false

  constructor(private readonly file: string) {}

  run(steps: WriteStep[]): Promise<StepResult[]> {
    if (this.closed) return Promise.reject(new BackplaneError(ErrorCode.E_OUTBOX_CLOSED, 'The outbox is closed.'))
    const worker = this.ensureWorker()
    const id = ++this.nextId
    // Referenced while a job is out, so the process cannot end waiting for a commit; idle, it does not hold the process open.
    if (this.pending.size === 0) worker.ref()
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject })
      worker.postMessage({ id, steps })
    })
  }

  async close(): Promise<void> {
    if (this.closed) return
    await this.run([]).catch(() => undefined) // everything queued before close is committed
    this.closed = true
    const worker = this.worker
    this.worker = undefined
    if (worker) {
      worker.ref()
      worker.postMessage({ close: true })
      await new Promise<void>((resolve) => worker.once('exit', () => resolve()))
    }
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker
    const driver = createRequire(import.meta.url).resolve('better-sqlite3')
    // The function's text is whatever the compiler made of it: esbuild (tsx, vitest) may call __name to
    // keep function names, and Rollup's ESM output (electron-vite) turns require() into __require().
    const prelude = 'const __name = (target) => target;\nconst __require = require;\n'
    const worker = new Worker(`${prelude}(${writerThread.toString()})()`, {
      eval: true,
      workerData: { driver, file: this.file, nativeBinding: process.env.BACKPLANE_SQLITE_BINDING },
    })
    worker.unref()
    worker.on('message', (message: { id: number; results?: StepResult[]; error?: { message: string; code?: string } }) => {
      const pending = this.pending.get(message.id)
      this.pending.delete(message.id)
      if (this.pending.size === 0) worker.unref()
      if (!pending) return
      if (message.results) pending.resolve(message.results)
      else pending.reject(new BackplaneError(ErrorCode.E_OUTBOX_WRITE, message.error?.message ?? 'write failed', { hint: message.error?.code === 'SQLITE_FULL' ? 'The disk is full.' : 'See the log.' }))
    })
    const fail = (reason: string) => {
      if (this.worker !== worker) return
      this.worker = undefined
      for (const [, p] of this.pending) p.reject(new BackplaneError(ErrorCode.E_OUTBOX_WRITE, `The outbox writer stopped: ${reason}`))
      this.pending.clear()
    }
    worker.on('error', (err) => fail(err.message))
    worker.on('exit', () => fail('it exited'))
    this.worker = worker
    return worker
  }
}

/**
 * The thread's whole program. Self-contained (it is sent as source text): no imports, no closures.
 * Jobs that arrive in one turn of the event loop commit in one transaction; a failing batch is retried
 * job by job so that only the job at fault fails.
 */
function writerThread(): void {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { parentPort, workerData } = require('node:worker_threads') as typeof WorkerThreads
  const Database = require(workerData.driver) as typeof BetterSqlite3
  /* eslint-enable @typescript-eslint/no-require-imports */
  const db = new Database(workerData.file, workerData.nativeBinding ? { nativeBinding: workerData.nativeBinding } : {})
  db.pragma('journal_mode = WAL')
  db.pragma('busy_timeout = 5000')
  db.pragma(`synchronous = ${process.env.BACKPLANE_OUTBOX_SYNC === 'full' ? 'FULL' : 'NORMAL'}`)
  const statements = new Map<string, BetterSqlite3.Statement>()
  type Job = { id: number; steps: { sql: string; params: unknown[] }[] }
  let queue: Job[] = []
  let scheduled = false

  const runJob = (job: Job) => {
    const results: { changes: number; lastInsertRowid: number }[] = []
    for (const step of job.steps) {
      let statement = statements.get(step.sql)
      if (!statement) statements.set(step.sql, (statement = db.prepare(step.sql)))
      const params = step.params.map((p) => {
        if (p instanceof Uint8Array) return Buffer.from(p.buffer, p.byteOffset, p.byteLength)
        if (p !== null && typeof p === 'object' && '$ref' in (p as object)) return results[(p as { $ref: number }).$ref]!.lastInsertRowid
        return p
      })
      const info = statement.run(...params)
      results.push({ changes: info.changes, lastInsertRowid: Number(info.lastInsertRowid) })
    }
    return results
  }

  const flush = () => {
    const batch = queue
    queue = []
    scheduled = false
    const answers: { id: number; results: unknown }[] = []
    try {
      db.transaction(() => {
        for (const job of batch) answers.push({ id: job.id, results: runJob(job) })
      })()
    } catch {
      for (const job of batch) {
        try {
          parentPort!.postMessage({ id: job.id, results: db.transaction(() => runJob(job))() })
        } catch (err) {
          parentPort!.postMessage({ id: job.id, error: { message: (err as Error).message, code: (err as { code?: string }).code } })
        }
      }
      return
    }
    for (const answer of answers) parentPort!.postMessage(answer)
  }

  parentPort!.on('message', (message: Job | { close: true }) => {
    if ('close' in message) {
      // Not process.exit(): in a worker it would also set the exit code the whole process ends with.
      db.close()
      parentPort!.close()
      return
    }
    queue.push(message as Job)
    if (!scheduled) {
      scheduled = true
      setImmediate(flush)
    }
  })
}
