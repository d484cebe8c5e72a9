import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'
import type * as WorkerThreads from 'node:worker_threads'
import type BetterSqlite3 from 'better-sqlite3'

/**
 * One SQLite connection on a thread of its own, so that a slow statement never holds the main event
 * loop (the capture server, every other API call). Rows come back in batches, and the thread waits
 * (Atomics.wait) after each batch until the caller asks for more or says stop: true streaming, with the
 * caller's backpressure, and never more than one batch in memory. Stopping a statement that is inside a
 * single long step of SQLite (an aggregate over a huge recursive CTE) is done by terminating the thread;
 * better-sqlite3 offers no sqlite3_interrupt. A write the thread runs outside a transaction of the user's
 * is wrapped in one, so a terminated write is rolled back when its connection closes, not committed.
 */

export interface ThreadColumn {
  name: string
  type: string | null
}

export interface ThreadOutcome {
  hasResultSet: boolean
  changes: number
}

export interface ThreadError {
  message: string
  code?: string
}

export interface ExecuteHandlers {
  columns(columns: ThreadColumn[]): void
  /** Resolves true for more rows, false to stop reading. */
  rows(batch: unknown[][]): Promise<boolean>
}

const CONTINUE = 1
const STOP = 2

interface Request {
  id: number
  handlers?: ExecuteHandlers
  consumerError?: unknown
  resolve(outcome: ThreadOutcome): void
  reject(error: ThreadError): void
}

export interface SqliteThreadOptions {
  file: string
  /** `PRAGMA query_only`, and statements that would write are refused before they run. */
  readOnly: boolean
  batchSize?: number
}

export class SqliteThread {
  private readonly worker: Worker
  private readonly flag = new Int32Array(new SharedArrayBuffer(4))
  private request: Request | undefined
  private nextId = 0
  private dead: ThreadError | undefined
  readonly exited: Promise<void>

  constructor(options: SqliteThreadOptions) {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3')
    // As in the outbox's writer: the function's text may use __name (esbuild) or __require (Rollup).
    const prelude = 'const __name = (target) => target;\nconst __require = require;\n'
    this.worker = new Worker(`${prelude}(${sqliteThreadMain.toString()})()`, {
      eval: true,
      workerData: { driver, nativeBinding: process.env.BACKPLANE_SQLITE_BINDING, flag: this.flag, batchSize: options.batchSize ?? 2000, ...options },
    })
    this.worker.unref()
    this.worker.on('message', (message: Message) => this.onMessage(message))
    this.exited = new Promise((resolve) => this.worker.once('exit', () => resolve()))
    const fail = (error: ThreadError) => {
      this.dead ??= error
      const pending = this.request
      this.request = undefined
      pending?.reject(error)
    }
    this.worker.on('error', (err) => fail({ message: err.message, code: 'THREAD_ERROR' }))
    this.worker.on('exit', () => fail({ message: 'The SQLite thread stopped.', code: 'THREAD_EXITED' }))
  }

  get alive(): boolean {
    return !this.dead
  }

  /** Runs one statement; `kind: 'exec'` runs transaction control and other statements without rows. */
  /** `limit`: at most this many rows will be taken, so no more are read (nor read ahead). */
  execute(sql: string, params: readonly unknown[], handlers?: ExecuteHandlers, limit?: number): Promise<ThreadOutcome> {
    if (this.dead) return Promise.reject(this.dead)
    if (this.request) return Promise.reject({ message: 'The SQLite thread is busy.', code: 'THREAD_BUSY' } satisfies ThreadError)
    const id = ++this.nextId
    this.worker.ref()
    return new Promise<ThreadOutcome>((resolve, reject) => {
      this.request = { id, resolve, reject, ...(handlers ? { handlers } : {}) }
      this.worker.postMessage({ id, sql, params, limit })
    }).finally(() => {
      if (!this.request) this.worker.unref()
    })
  }

  /** Ends the thread now, whatever it runs; its connection closes and rolls back what was not committed. */
  terminate(): Promise<void> {
    this.dead ??= { message: 'The query was stopped.', code: 'THREAD_TERMINATED' }
    const pending = this.request
    this.request = undefined
    pending?.reject(this.dead)
    this.release(STOP)
    // Not awaited by a cancel: a thread inside one long SQLite step exits only when the step ends.
    void this.worker.terminate()
    return Promise.resolve()
  }

  private release(value: number): void {
    Atomics.store(this.flag, 0, value)
    Atomics.notify(this.flag, 0)
  }

  private onMessage(message: Message): void {
    const request = this.request
    if (!request || request.id !== message.id) return
    if (message.columns) request.handlers?.columns(message.columns)
    if (message.rows) {
      const handlers = request.handlers
      void (async () => {
        let more = false
        try {
          more = handlers ? await handlers.rows(message.rows!) : false
        } catch (err) {
          // The consumer failed: the thread stops reading, and the call fails with the consumer's error.
          request.consumerError ??= err
        }
        this.release(more ? CONTINUE : STOP)
      })()
      return
    }
    if (message.done) {
      this.request = undefined
      if (request.consumerError !== undefined) request.reject(request.consumerError as ThreadError)
      else request.resolve(message.done)
    } else if (message.error) {
      this.request = undefined
      request.reject(message.error)
    }
  }
}

interface Message {
  id: number
  columns?: ThreadColumn[]
  rows?: unknown[][]
  done?: ThreadOutcome
  error?: ThreadError
}

/** The thread's whole program, sent as source text: no imports, no closures. */
function sqliteThreadMain(): void {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { parentPort, workerData } = require('node:worker_threads') as typeof WorkerThreads
  const Database = require(workerData.driver) as typeof BetterSqlite3
  /* eslint-enable @typescript-eslint/no-require-imports */
  const flag = workerData.flag as Int32Array
  const batchSize = workerData.batchSize as number
  let db: BetterSqlite3.Database
  try {
    // A read-only alias opens the file read-only: it must exist, and its journal mode is left as it is.
    const readOnlyFile = Boolean(workerData.readOnly) && workerData.file !== ':memory:'
    db = new Database(workerData.file, { ...(workerData.nativeBinding ? { nativeBinding: workerData.nativeBinding } : {}), ...(readOnlyFile ? { readonly: true, fileMustExist: true } : {}) })
    if (workerData.file !== ':memory:' && !readOnlyFile) db.pragma('journal_mode = WAL')
    db.pragma('busy_timeout = 5000')
    db.pragma('foreign_keys = ON')
    if (workerData.readOnly) db.pragma('query_only = ON')
  } catch (err) {
    const e = err as { message: string; code?: string }
    parentPort!.on('message', (m: { id: number }) => parentPort!.postMessage({ id: m.id, error: { message: e.message, code: e.code ?? 'SQLITE_CANTOPEN' } }))
    return
  }
  const WRAPPED = /^(insert|update|delete|replace|with|create|drop|alter)$/i
  const waitForCaller = (): boolean => {
    Atomics.wait(flag, 0, 0)
    const more = Atomics.load(flag, 0) === 1
    Atomics.store(flag, 0, 0)
    return more
  }
  /** A batch goes out early once its cells hold about this many bytes: 2,000 rows of 1 MB would not fit. */
  const BATCH_BYTES = 8 * 1024 * 1024
  const sizeOf = (v: unknown): number => (typeof v === 'string' ? v.length * 2 : v instanceof Uint8Array ? v.byteLength : 8)
  parentPort!.on('message', (m: { id: number; sql: string; params: unknown[]; limit?: number }) => {
    const params = m.params.map((p) => (p instanceof Uint8Array && !Buffer.isBuffer(p) ? Buffer.from(p.buffer, p.byteOffset, p.byteLength) : p))
    let wrapped = false
    try {
      const stmt = db.prepare(m.sql)
      if (workerData.readOnly && !stmt.readonly) {
        parentPort!.postMessage({ id: m.id, error: { message: 'read-only alias', code: 'BACKPLANE_READ_ONLY' } })
        return
      }
      if (!stmt.reader) {
        const first = (/^\s*([A-Za-z]+)/.exec(m.sql.replace(/^(\s|--[^\n]*\n|\/\*[\s\S]*?\*\/)*/, '')) ?? [])[1] ?? ''
        wrapped = !db.inTransaction && WRAPPED.test(first)
        if (wrapped) db.exec('BEGIN IMMEDIATE')
        const info = stmt.run(...params)
        if (wrapped) db.exec('COMMIT')
        wrapped = false
        parentPort!.postMessage({ id: m.id, done: { hasResultSet: false, changes: info.changes } })
        return
      }
      stmt.safeIntegers(true).raw(true)
      parentPort!.postMessage({ id: m.id, columns: stmt.columns().map((c) => ({ name: c.name, type: c.type })) })
      const iterator = stmt.iterate(...params) as IterableIterator<unknown[]>
      let batch: unknown[][] = []
      let batchBytes = 0
      let read = 0
      const limit = m.limit ?? Number.POSITIVE_INFINITY
      // One batch is with the caller while the next is read: never more than two in memory.
      let outstanding = false
      let stopped = false
      const send = (rows: unknown[][]): boolean => {
        if (outstanding && !waitForCaller()) return false
        parentPort!.postMessage({ id: m.id, rows })
        outstanding = true
        batchBytes = 0
        return true
      }
      // Integers within ±2^53 become numbers here, on the thread, as the main side would make them anyway:
      // numbers cross threads cheaper than BigInts, and the main thread has less to do per cell.
      const MAX = BigInt(Number.MAX_SAFE_INTEGER)
      const MIN = -MAX
      for (const row of iterator) {
        for (let k = 0; k < row.length; k++) {
          const v = row[k]
          if (typeof v === 'bigint' && v <= MAX && v >= MIN) row[k] = Number(v)
        }
        batch.push(row)
        read++
        for (const v of row) batchBytes += sizeOf(v)
        // The caller takes at most `limit` rows: reading on would only fill memory.
        if (read >= limit) break
        if (batch.length < batchSize && batchBytes < BATCH_BYTES) continue
        const sent = send(batch)
        batch = []
        if (!sent) {
          stopped = true
          break
        }
      }
      if (!stopped && batch.length > 0) stopped = !send(batch)
      if (!stopped && outstanding) waitForCaller()
      parentPort!.postMessage({ id: m.id, done: { hasResultSet: true, changes: 0 } })
    } catch (err) {
      if (wrapped && db.inTransaction) db.exec('ROLLBACK')
      const e = err as { message: string; code?: string }
      parentPort!.postMessage({ id: m.id, error: { message: e.message, code: e.code } })
    }
  })
}
