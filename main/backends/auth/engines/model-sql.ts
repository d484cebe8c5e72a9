import { BackplaneError, ErrorCode, toBackplaneError } from '../../../core/errors'
import type { Database, QueryResult } from '../../data/base'

/** What the model backend's SQL runs on: a database alias, or one transaction of it. */
export interface Queryable {
  query(sql: string, params?: readonly unknown[], options?: { maxRows?: number }): Promise<QueryResult>
  transaction?: Database['transaction']
}

// Lists the backend reads whole (every permission, a user's groups) are small, but not 1000-row small.
const ALL_ROWS = 1_000_000
/** Rows per multi-row INSERT or IN (…) list: well under every vendor's parameter limit (SQLite: 32766). */
export const CHUNK = 500

export interface TransactionOptions {
  /** Another failure that running the body again resolves (a row another call inserted meanwhile). */
  retryWhen?: (err: unknown) => boolean
}

/** Times a transaction that lost a race with another writer is run again from its start. */
const CONFLICT_RETRIES = 3

/**
 * Django's tables as the three vendors store them: booleans are PostgreSQL's own and 0/1 elsewhere;
 * datetimes are timestamptz on PostgreSQL and UTC text without a zone (USE_TZ = True) on SQLite and
 * MariaDB/MySQL, as Django's adapt_datetimefield_value writes them.
 */
export class AuthSql {
  /** What to undo when a body fails without a real transaction (see transaction()). */
  private undo: (() => Promise<unknown>)[] | undefined

  constructor(
    readonly db: Queryable,
    readonly vendor: string,
  ) {}

  async rows(sql: string, params: readonly unknown[] = []): Promise<unknown[][]> {
    return (await this.db.query(sql, params, { maxRows: ALL_ROWS })).rows
  }

  async first(sql: string, params: readonly unknown[] = []): Promise<unknown[] | undefined> {
    return (await this.db.query(sql, params, { maxRows: 1 })).rows[0]
  }

  /** Runs a write; answers the rows it changed. */
  async run(sql: string, params: readonly unknown[] = []): Promise<number> {
    return (await this.db.query(sql, params)).rowCount
  }

  /**
   * The body's statements in one transaction of the alias, all or none; run again from the start when
   * it lost a race with another writer (a deadlock, SQLite's stale snapshot, or what `retryWhen` says),
   * so it must only read and write (hash passwords before). A data engine of one's own may have no
   * transaction(): the statements then run one by one, as they did before the data kind had
   * transactions, and what the body marked with compensate() is undone when it fails (a half-made user
   * deleted), which is less than a rollback.
   */
  async transaction<T>(run: (sql: AuthSql) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.once(run)
      } catch (err) {
        if (attempt > CONFLICT_RETRIES || !(isWriteConflict(err) || options.retryWhen?.(err))) throw err
      }
    }
  }

  private once<T>(run: (sql: AuthSql) => Promise<T>): Promise<T> {
    if (!this.db.transaction) return this.compensated(run)
    return this.db.transaction(async (tx) => {
      // On SQLite, the data engine's BEGIN IMMEDIATE makes a transaction that reads first wait for the
      // write lock rather than fail at its first write.
      return run(new AuthSql(tx, this.vendor))
    })
  }

  /** Without a real transaction, what undoes a write of the body when a later one fails; nothing in a transaction. */
  compensate(undo: () => Promise<unknown>): void {
    this.undo?.unshift(undo)
  }

  private async compensated<T>(run: (sql: AuthSql) => Promise<T>): Promise<T> {
    const sql = new AuthSql(this.db, this.vendor)
    sql.undo = []
    try {
      return await run(sql)
    } catch (err) {
      for (const undo of sql.undo) await undo().catch(() => undefined)
      throw err
    }
  }

  bool(value: boolean): boolean | number {
    return this.vendor === 'postgresql' ? value : value ? 1 : 0
  }

  /** Now, as Django stores a datetime on this vendor. */
  now(): string {
    const text = new Date().toISOString().replace('T', ' ').replace('Z', '000')
    return this.vendor === 'postgresql' ? `${text}+00:00` : text
  }

  /** `?, ?, ?` for an IN list or a VALUES row. */
  marks(n: number): string {
    return Array.from({ length: n }, () => '?').join(', ')
  }
}

/** Names shown in a message, and in its details, at most: 10,000 unknown names would make a toast (and a log line) of 180 KB. */
const NAMED = 10
const LISTED = 100

/** E_NOT_FOUND for names that are not there ("No group "a", "b" and 3 more."), with the first of them in details.missing. */
export function notFound(noun: string, missing: readonly string[], hint: string): BackplaneError {
  const shown = missing.slice(0, NAMED).map((n) => `"${n.length > 200 ? `${n.slice(0, 200)}…` : n}"`).join(', ')
  const more = missing.length > NAMED ? ` and ${(missing.length - NAMED).toLocaleString('en')} more` : ''
  return new BackplaneError(ErrorCode.E_NOT_FOUND, `No ${noun} ${shown}${more}.`, { hint, details: { missing: missing.slice(0, LISTED), missingCount: missing.length } })
}

/** Chunks of a list, for IN (…) lists and multi-row inserts. */
export function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}

/** A stored id as a number, or undefined for an id that cannot be one of Django's AutoField keys. */
export function numericId(id: string): number | undefined {
  return /^\d{1,15}$/.test(id) ? Number(id) : undefined
}

/**
 * A datetime as stored, as ISO 8601: PostgreSQL's already is; SQLite's and MariaDB's zone-less text is
 * UTC (Django's USE_TZ = True; a project with USE_TZ = False stores local time, shown then as if UTC).
 */
export function isoDatetime(value: unknown): string | null {
  if (value == null) return null
  const text = String(value)
  return /^\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(\.\d+)?$/.test(text) ? `${text.replace(' ', 'T')}Z` : text
}

const UNIQUE_VIOLATIONS = new Set(['23505', 'ER_DUP_ENTRY', 'SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_PRIMARYKEY'])
const FOREIGN_KEY_VIOLATIONS = new Set(['23503', 'ER_ROW_IS_REFERENCED_2', 'ER_ROW_IS_REFERENCED', 'ER_NO_REFERENCED_ROW_2', 'SQLITE_CONSTRAINT_FOREIGNKEY'])

function serverCode(err: unknown): string | undefined {
  const details = toBackplaneError(err).details as { serverCode?: unknown } | undefined
  return typeof details?.serverCode === 'string' ? details.serverCode : undefined
}

// A transaction that lost to another writer: PostgreSQL's serialization failure and deadlock, MariaDB's
// deadlock, SQLite's snapshot made stale by a commit of another connection (WAL).
const WRITE_CONFLICTS = new Set(['40001', '40P01', 'ER_LOCK_DEADLOCK', 'SQLITE_BUSY_SNAPSHOT'])

function isWriteConflict(err: unknown): boolean {
  return WRITE_CONFLICTS.has(serverCode(err) ?? '')
}

/** The database refused a duplicate (a username or group name taken meanwhile). */
export function isUniqueViolation(err: unknown): boolean {
  return UNIQUE_VIOLATIONS.has(serverCode(err) ?? '')
}

/** A write the database refused because rows of other tables point at the row (or it points at none). */
export function foreignKeyConflict(err: unknown, what: string): BackplaneError | undefined {
  if (!FOREIGN_KEY_VIOLATIONS.has(serverCode(err) ?? '')) return undefined
  return new BackplaneError(ErrorCode.E_CONFLICT, `${what}: other rows of the database refer to it.`, {
    cause: err,
    hint: "Rows of your project's own tables point at it (a foreign key without ON DELETE CASCADE in the database); delete them first, or delete it through Django, which cascades in Python.",
  })
}

/** Whether the alias's database has this table (any schema the engine lists). */
export async function hasTable(db: Database, name: string): Promise<boolean> {
  return (await db.tables()).some((t) => t.name.toLowerCase() === name)
}
