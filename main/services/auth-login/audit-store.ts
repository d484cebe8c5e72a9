import { chmod } from 'node:fs/promises'
import { BackplaneError, ErrorCode } from '../../core/errors'
import { SqliteThread, type ThreadError } from '../../core/sqlite-thread'
import type { AuthRefusal } from '../../backends/auth/base'

export const AUDIT_FILE = 'auth-audit.sqlite3'
/** Entries kept; older ones are pruned as new ones come. */
export const AUDIT_RETENTION = 100_000
/** A username or source longer than this is kept cut short: the audit log is no place for megabytes. */
const TEXT_CAP = 200
const REASON_CAP = 1000
/** Pruning runs once per this many entries written, and when the store opens. */
const PRUNE_EVERY = 100
/** Rows made into export text between two turns of the event loop: a few milliseconds of work. */
const FORMAT_SLICE = 250

const yieldToLoop = () => new Promise<void>((resume) => setImmediate(resume))

export type AuditOutcome = 'success' | 'throttled' | AuthRefusal

/** One login attempt as the audit log keeps it. There is no column for a password, by design. */
export interface AuditEntry {
  id: number
  /** ISO 8601 */
  time: string
  username: string
  source: string
  alias: string | null
  outcome: AuditOutcome
  reason: string
  ms: number
}

export type NewAuditEntry = Omit<AuditEntry, 'id' | 'time'> & { time?: number }

export interface AuditFilter {
  username?: string | undefined
  outcome?: AuditOutcome | undefined
  alias?: string | undefined
  source?: string | undefined
  /** ISO 8601 bounds, inclusive. */
  since?: string | undefined
  until?: string | undefined
}

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS audit (id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, username TEXT NOT NULL, source TEXT NOT NULL, alias TEXT, outcome TEXT NOT NULL, reason TEXT NOT NULL, ms REAL NOT NULL)`,
  'CREATE INDEX IF NOT EXISTS audit_username ON audit (username, id)',
]
const COLUMNS = 'id, at, username, source, alias, outcome, reason, ms'

/**
 * The audit log of login attempts: a SQLite file of our own in the data directory (0600), written and
 * read on a thread of its own (core/sqlite-thread) so a burst of logins or a 100,000-row export never
 * holds the main event loop. One statement runs at a time, in the order asked. The thread starts on the
 * first use, so a CLI call that never logs in opens nothing.
 */
export class AuditStore {
  private thread: SqliteThread | undefined
  private ready: Promise<void> | undefined
  private queue: Promise<unknown> = Promise.resolve()
  private written = 0
  private closed = false

  constructor(
    readonly file: string,
    private readonly retention = AUDIT_RETENTION,
  ) {}

  /** Writes one entry; answers its id. */
  async record(entry: NewAuditEntry): Promise<number> {
    const [row] = await this.rows(
      'INSERT INTO audit (at, username, source, alias, outcome, reason, ms) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id',
      [entry.time ?? Date.now(), cap(entry.username, TEXT_CAP), cap(entry.source, TEXT_CAP), entry.alias === null ? null : cap(entry.alias, TEXT_CAP), entry.outcome, cap(entry.reason, REASON_CAP), Math.round(entry.ms * 10) / 10],
    )
    if (++this.written % PRUNE_EVERY === 0) await this.prune()
    return Number(row?.[0])
  }

  /**
   * Rewrites an entry's reason. `reason` is asked when the statement runs, not when it is queued, so a
   * caller that amends the same entry many times in a burst can queue one amendment and have it write the
   * latest words.
   */
  async amend(id: number, reason: () => string): Promise<void> {
    await this.enqueue(async (thread) => void (await thread.execute('UPDATE audit SET reason = ? WHERE id = ?', [cap(reason(), REASON_CAP), id])))
  }

  /** Newest first; `beforeId` pages on from the last entry shown. */
  async list(filter: AuditFilter, { limit, beforeId }: { limit: number; beforeId?: number | undefined }): Promise<{ entries: AuditEntry[]; total: number }> {
    const where = whereOf(filter)
    const [total] = await this.rows(`SELECT count(*) FROM audit ${where.sql}`, where.params)
    const paged = beforeId === undefined ? where : and(where, 'id < ?', beforeId)
    const rows = await this.rows(`SELECT ${COLUMNS} FROM audit ${paged.sql} ORDER BY id DESC LIMIT ?`, [...paged.params, limit])
    return { entries: rows.map(toEntry), total: Number(total?.[0] ?? 0) }
  }

  /**
   * Up to `max` entries, newest first, each batch the thread sends made into text as it comes (`format`),
   * so a 100,000-entry export is many short slices of work on the main thread, never one long one.
   */
  async export(filter: AuditFilter, max: number, format: (entries: AuditEntry[]) => string): Promise<{ text: string; count: number; truncated: boolean }> {
    const where = whereOf(filter)
    const chunks: string[] = []
    let count = 0
    let truncated = false
    await this.enqueue((thread) =>
      thread.execute(`SELECT ${COLUMNS} FROM audit ${where.sql} ORDER BY id DESC LIMIT ?`, [...where.params, max + 1], {
        columns: () => undefined,
        rows: async (batch) => {
          const take = batch.slice(0, max - count)
          truncated ||= take.length < batch.length
          count += take.length
          // A slice at a time, letting the event loop run between them: other calls, timers, the capture server.
          for (let at = 0; at < take.length; at += FORMAT_SLICE) {
            chunks.push(format(take.slice(at, at + FORMAT_SLICE).map(toEntry)))
            await yieldToLoop()
          }
          return !truncated
        },
      }),
    )
    return { text: chunks.join(''), count, truncated }
  }

  /** Keeps the newest `retention` entries; ids only grow, so this is a range delete on the primary key. */
  async prune(): Promise<void> {
    await this.run('DELETE FROM audit WHERE id <= (SELECT max(id) FROM audit) - ?', [this.retention])
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    await this.queue.catch(() => undefined)
    const thread = this.thread
    this.thread = undefined
    if (thread) {
      await thread.terminate()
      await thread.exited
    }
  }

  private run(sql: string, params: unknown[]): Promise<void> {
    return this.enqueue(async (thread) => void (await thread.execute(sql, params)))
  }

  private rows(sql: string, params: unknown[]): Promise<unknown[][]> {
    return this.enqueue(async (thread) => {
      const rows: unknown[][] = []
      await thread.execute(sql, params, { columns: () => undefined, rows: async (batch) => (rows.push(...batch), true) })
      return rows
    })
  }

  private enqueue<T>(work: (thread: SqliteThread) => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new BackplaneError(ErrorCode.E_INTERNAL, 'The audit log is closed.', { hint: 'Backplane is shutting down; try again once it has restarted.' }))
    const next = this.queue.then(async () => work(await this.open())).catch((err: unknown) => {
      throw storeError(err)
    })
    this.queue = next.catch(() => undefined)
    return next
  }

  private open(): Promise<SqliteThread> {
    this.ready ??= (async () => {
      const thread = new SqliteThread({ file: this.file, readOnly: false })
      this.thread = thread
      for (const ddl of SCHEMA) await thread.execute(ddl, [])
      // Usernames and sources are worth keeping to the user who owns the data directory.
      await chmod(this.file, 0o600).catch(() => undefined)
      await thread.execute('DELETE FROM audit WHERE id <= (SELECT max(id) FROM audit) - ?', [this.retention])
    })()
    return this.ready.then(() => this.thread!)
  }
}

function cap(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text
}

interface Where {
  sql: string
  params: unknown[]
}

function and(where: Where, clause: string, param: unknown): Where {
  return { sql: where.sql ? `${where.sql} AND ${clause}` : `WHERE ${clause}`, params: [...where.params, param] }
}

/** Exact matches (a username is case-sensitive in Django) and inclusive time bounds. */
function whereOf(filter: AuditFilter): Where {
  let where: Where = { sql: '', params: [] }
  if (filter.username !== undefined) where = and(where, 'username = ?', cap(filter.username, TEXT_CAP))
  if (filter.outcome !== undefined) where = and(where, 'outcome = ?', filter.outcome)
  if (filter.alias !== undefined) where = and(where, 'alias = ?', filter.alias)
  // A source is the caller's address, then the label the caller gave in brackets: "127.0.0.1 (login tester)".
  // Filtering by the address finds its attempts whatever they were labelled; the whole text, those with that label.
  if (filter.source !== undefined) {
    const source = cap(filter.source, TEXT_CAP)
    where = { sql: `${where.sql ? `${where.sql} AND` : 'WHERE'} (source = ? OR instr(source, ?) = 1)`, params: [...where.params, source, `${source} (`] }
  }
  if (filter.since !== undefined) where = and(where, 'at >= ?', Date.parse(filter.since))
  if (filter.until !== undefined) where = and(where, 'at <= ?', Date.parse(filter.until))
  return where
}

function toEntry(row: unknown[]): AuditEntry {
  const [id, at, username, source, alias, outcome, reason, ms] = row
  return {
    id: Number(id),
    time: new Date(Number(at)).toISOString(),
    username: String(username),
    source: String(source),
    alias: alias == null ? null : String(alias),
    outcome: String(outcome) as AuditOutcome,
    reason: String(reason),
    ms: Number(ms),
  }
}

function storeError(err: unknown): unknown {
  if (err instanceof Error) return err
  const e = err as ThreadError
  return new BackplaneError(ErrorCode.E_INTERNAL, `The audit log could not be used: ${e.message ?? String(err)}`, { hint: 'Check that the data directory is writable and has space.' })
}
