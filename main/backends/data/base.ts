import { z } from 'zod'
import { kindSpec, type Backend, type EngineContext } from '../../core/engine'
import { BackplaneError, toBackplaneError, ErrorCode } from '../../core/errors'
import { HealthProbe } from '../../core/health-probe'
import type { HealthReport } from '../../core/schemas/health'
import { countOf } from '../../core/schemas/count-noun'

/** What every database alias has, whatever the engine. */
export const DatabaseOptions = z.object({
  readOnly: z
    .boolean()
    .default(false)
    .describe('Refuse statements that change data or schema (for production connections).'),
})
export type DatabaseOptions = z.output<typeof DatabaseOptions>

export interface Column {
  name: string
  type?: string
}

export interface QueryResult {
  columns: Column[]
  /** Cells as JSON: integers beyond 2^53 become strings, bytes become { $bytes: base64 }. */
  rows: unknown[][]
  /** Rows returned, or rows changed by a write. */
  rowCount: number
  /** More rows existed than maxRows. */
  truncated: boolean
  durationMs: number
}

export interface QueryOptions {
  /** Stop reading after this many rows (the statement is not run to the end). */
  maxRows?: number
}

export interface TableInfo {
  schema?: string
  name: string
  type: 'table' | 'view'
}

/**
 * A database connection (Django's DATABASES entry). Parameters use `?` placeholders whatever the
 * server's own style; each engine translates.
 */
export interface Database extends Backend {
  readonly vendor: string
  /** Whether every statement that would change data or schema is refused (a read-only alias, or an engine that cannot write). */
  readonly readOnly?: boolean
  query(sql: string, params?: readonly unknown[], options?: QueryOptions): Promise<QueryResult>
  tables(): Promise<TableInfo[]>
}

export const dataKind = kindSpec<Database>()({
  kind: 'data',
  methods: ['query', 'tables'],
  baseOptions: DatabaseOptions.passthrough(),
})

declare module '../../core/engine' {
  interface BackendKinds {
    data: Database
  }
}

export function isDatabase(backend: Backend): backend is Database {
  return typeof (backend as Partial<Database>).query === 'function' && typeof (backend as Partial<Database>).tables === 'function'
}

const DEFAULT_MAX_ROWS = 1000

/** What all engines share: the read-only guard, row limits, JSON-safe cells, the health check. */
export abstract class BaseDatabase implements Database {
  abstract readonly vendor: string

  constructor(
    protected readonly options: DatabaseOptions,
    protected readonly ctx: EngineContext,
  ) {}

  get readOnly(): boolean {
    return this.options.readOnly
  }

  protected abstract run(sql: string, params: readonly unknown[], maxRows: number): Promise<Omit<QueryResult, 'durationMs'>>
  /** Whether the server itself says the statement only reads; engines that cannot tell use the keyword guess. */
  protected abstract isReadOnlyStatement(sql: string): Promise<boolean>
  /** What the server is, for the health report ("PostgreSQL 15.8", "SQLite 3.46.0"). */
  protected abstract serverVersion(): Promise<string>
  abstract tables(): Promise<TableInfo[]>
  abstract close(): Promise<void>

  async query(sql: string, params: readonly unknown[] = [], options: QueryOptions = {}): Promise<QueryResult> {
    if (!sql.trim()) throw new BackplaneError(ErrorCode.E_INVALID_INPUT, 'The statement is empty.', { hint: 'Type a SQL statement.' })
    if (this.readOnly && !(await this.isReadOnlyStatement(sql))) {
      throw new BackplaneError(ErrorCode.E_READ_ONLY, `Alias "${this.ctx.alias}" is read-only, and this statement would change data or schema.`, {
        hint: 'Turn off "read only" for this alias in Settings if you really mean to write.',
      })
    }
    const t0 = performance.now()
    let result: Omit<QueryResult, 'durationMs'>
    try {
      result = await this.run(sql, params, options.maxRows ?? DEFAULT_MAX_ROWS)
    } catch (err) {
      throw statementError(err)
    }
    return { ...result, rows: result.rows.map((row) => row.map(toJsonCell)), durationMs: performance.now() - t0 }
  }

  /** Proves the server answers a statement; says what it ran. Engines without SQL override it. */
  protected async ping(): Promise<string> {
    await this.query('SELECT 1')
    return 'SELECT 1'
  }

  async check(): Promise<HealthReport> {
    const probe = new HealthProbe('data', this.ctx.alias, this.ctx.engine)
    probe.version = await probe.step('connect', () => this.serverVersion(), (v) => v)
    await probe.step('query', () => this.ping(), (what) => what)
    const tables = await probe.step('introspect', () => this.tables(), (t) => countOf(t.length, 'table or view', 'tables and views'))
    if (tables) probe.summary = `${countOf(tables.length, 'table or view', 'tables and views')}${this.readOnly ? ', read-only' : ''}`
    return probe.report()
  }
}

/** Statement keywords that only read, for engines whose driver cannot say. */
export function looksReadOnly(sql: string): boolean {
  const first = sql
    .replace(/^\s*(--[^\n]*\n|\/\*[\s\S]*?\*\/|\s)*/g, '')
    .split(/\s|\(/, 1)[0]
    ?.toUpperCase()
  return ['SELECT', 'WITH', 'SHOW', 'EXPLAIN', 'DESCRIBE', 'DESC', 'VALUES', 'TABLE'].includes(first ?? '')
}

/** A driver error is the server's verdict on the statement, unless it is a network or system failure. */
function statementError(err: unknown): BackplaneError {
  const mapped = toBackplaneError(err)
  if (mapped.code !== ErrorCode.E_INTERNAL || !(err instanceof Error)) return mapped
  return new BackplaneError(ErrorCode.E_SQL, err.message, { cause: err, hint: 'The database rejected the statement; its message says why.' })
}

/** Integers beyond 2^53 would silently change as JSON numbers, so they travel as strings. */
function toJsonCell(value: unknown): unknown {
  if (typeof value === 'bigint') return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString()
  if (value instanceof Uint8Array) return { $bytes: Buffer.from(value).toString('base64') }
  if (value instanceof Date) return value.toISOString()
  return value
}
