import { BackplaneError, ErrorCode, toBackplaneError } from '../../../core/errors'
import type { Database } from '../../data/base'

/** What the model backend's SQL runs on: a database alias (a script runs several statements on one connection). */
export type Queryable = Pick<Database, 'query' | 'script'>

/** A statement whose parameters are all integer keys (the many-to-many rows, deletes by id). */
export interface KeyStatement {
  sql: string
  params: number[]
}

// Lists the backend reads whole (every permission, a user's groups) are small, but not 1000-row small.
const ALL_ROWS = 1_000_000
/** Rows per multi-row INSERT or IN (…) list: well under every vendor's parameter limit (SQLite: 32766). */
export const CHUNK = 500

/**
 * Django's tables as the three vendors store them: booleans are PostgreSQL's own and 0/1 elsewhere;
 * datetimes are timestamptz on PostgreSQL and UTC text without a zone (USE_TZ = True) on SQLite and
 * MariaDB/MySQL, as Django's adapt_datetimefield_value writes them.
 */
export class AuthSql {
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

/**
 * Statements run in one transaction: all of them or none. The data kind's Database has no transaction
 * with parameters; a script runs on one connection, so BEGIN … COMMIT spans it, and these statements
 * only bind integer keys, which are written into the text as numbers (nothing a value could inject).
 * A failed script leaves the transaction open and the connection's release rolls it back.
 */
export async function inOneTransaction(sql: AuthSql, statements: readonly KeyStatement[]): Promise<void> {
  if (statements.length === 0) return
  if (statements.length === 1 || !sql.db.script) {
    for (const s of statements) await sql.run(s.sql, s.params)
    return
  }
  const text = ['BEGIN', ...statements.map(inlineKeys), 'COMMIT'].join(';\n')
  const result = await sql.db.script(text)
  if (result.failure) throw result.failure.error
}

function inlineKeys({ sql, params }: KeyStatement): string {
  let i = 0
  return sql.replace(/\?/g, () => {
    const key = params[i++]
    if (key === undefined || !Number.isSafeInteger(key)) throw new BackplaneError(ErrorCode.E_INTERNAL, 'A key statement was given a parameter that is not an integer.')
    return String(key)
  })
}

/** Chunks of a list, for IN (…) lists and multi-row inserts. */
export function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}

/** A LIKE pattern that finds `text` anywhere, with `!` as the escape character (the same on every vendor). */
export function containsPattern(text: string): string {
  return `%${text.replace(/[!%_]/g, (c) => '!' + c)}%`
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
