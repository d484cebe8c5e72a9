import { z } from 'zod'
import { kindSpec, type Backend, type EngineContext } from '../../core/engine'
import { BackplaneError, toBackplaneError, ErrorCode } from '../../core/errors'
import { HealthProbe } from '../../core/health-probe'
import type { HealthReport } from '../../core/schemas/health'
import { countOf } from '../../core/schemas/count-noun'
import { fromJsonParam, toJsonCell, type CellLimits } from './cells'
import type { SqlDialect } from './dialect'
import { destructiveReason, isReaderKeyword } from './readers'
import type { DataSession, RowSink } from './session'
import { splitStatements, translatePlaceholders, type ScannedStatement } from './sql-text'
import { pageSql, planChanges, type BuiltStatement } from './table-sql'
import type {
  AppliedChanges,
  ChangeSet,
  Column,
  PageRequest,
  PageResult,
  PlannedStatement,
  QueryOptions,
  QueryResult,
  SchemaSummary,
  TableDetail,
  TableRef,
  TableSummary,
} from './types'

export * from './types'
export type { DataSession, RowSink, StatementOutcome } from './session'
export type { SqlDialect, LexerRules } from './dialect'

/** What every database alias has, whatever the engine. */
export const DatabaseOptions = z.object({
  readOnly: z
    .boolean()
    .default(false)
    .describe('Have the server refuse every statement that changes data or schema (for production connections).'),
})
export type DatabaseOptions = z.output<typeof DatabaseOptions>

export interface ScriptOptions extends QueryOptions {
  /** Refuse, with E_NEEDS_CONFIRMATION, a script holding DROP, TRUNCATE or DELETE/UPDATE without WHERE. */
  confirmDestructive?: boolean
}

export interface ScriptFailure {
  /** Which statement failed (0-based); the ones before it ran and have results. */
  statementIndex: number
  error: BackplaneError
}

export interface ScriptResult {
  results: QueryResult[]
  failure?: ScriptFailure
}

export interface RowConsumer {
  columns(columns: Column[]): void | Promise<void>
  /** Rows of lossless JSON cells (nothing cut). Resolve when ready for more: that is the backpressure. */
  rows(batch: unknown[][]): void | Promise<void>
}

/**
 * A database connection (Django's DATABASES entry). Parameters use `?` placeholders whatever the
 * server's own style; the base translates. `query` and `tables` are what a custom engine must have; the
 * rest comes with BaseDatabase.
 */
export interface Database extends Backend {
  readonly vendor: string
  /** Whether every statement that would change data or schema is refused (a read-only alias, or an engine that cannot write). */
  readonly readOnly?: boolean
  /** How the engine writes SQL (quoting, paging); every BaseDatabase has one. */
  readonly dialect?: SqlDialect
  query(sql: string, params?: readonly unknown[], options?: QueryOptions): Promise<QueryResult>
  tables(): Promise<TableSummary[]>
  /** Tables and views of one schema (or of every user schema), asked of the server rather than filtered. */
  listTables?(schema?: string): Promise<TableSummary[]>
  script?(sql: string, options?: ScriptOptions): Promise<ScriptResult>
  /** Statements with parameters on one connection, in one transaction: committed when run resolves, rolled back when it throws. */
  transaction?<T>(run: (tx: Transaction) => Promise<T>): Promise<T>
  stream?(sql: string, params: readonly unknown[], consumer: RowConsumer, options?: QueryOptions): Promise<{ rowCount: number }>
  cancel?(queryId: string): Promise<boolean>
  schemas?(): Promise<SchemaSummary[]>
  describe?(table: TableRef): Promise<TableDetail>
  page?(request: PageRequest, options?: QueryOptions): Promise<PageResult>
  planChanges?(changeSet: ChangeSet): Promise<PlannedStatement[]>
  applyChanges?(changeSet: ChangeSet): Promise<AppliedChanges>
  explain?(sql: string, params?: readonly unknown[]): Promise<QueryResult>
  serverVersion?(): Promise<string>
}

/** What a transaction's body may do: one statement at a time, with `?` parameters, as query(). */
export interface Transaction {
  query(sql: string, params?: readonly unknown[], options?: Pick<QueryOptions, 'maxRows'>): Promise<QueryResult>
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
/** A result held for the GUI stops growing past this (about; the cells' JSON size), marked truncated. */
const RESULT_BYTES = 64 * 1024 * 1024
/** How long a table's description serves the pages of the grid. */
const DETAIL_TTL_MS = 5000
/** A cancelled call answers within this, even when the server is slow to stop. */
const CANCEL_ANSWER_MS = 900

interface Running {
  session?: DataSession
  cancelled: boolean
  /** Rejects the call's race once cancel() gave the server its chance. */
  abort?: (err: BackplaneError) => void
}

/**
 * What all engines share: placeholders, scripts, cursors with maxRows, cancel, lossless cells, error
 * positions, the table view's SQL, change sets in a transaction, the read-only fence, the health check.
 * An engine supplies sessions (session.ts), its dialect, its introspection and its driver's errors.
 */
export abstract class BaseDatabase<O extends DatabaseOptions = DatabaseOptions> implements Database {
  abstract readonly vendor: string
  abstract readonly dialect: SqlDialect
  private readonly running = new Map<string, Running>()
  private readonly details = new Map<string, { detail: TableDetail; at: number }>()

  constructor(
    protected readonly options: O,
    protected readonly ctx: EngineContext,
  ) {}

  get readOnly(): boolean {
    return this.options.readOnly
  }

  /** A session from the pool; on a read-only alias, one whose statements the server keeps read-only. */
  protected abstract openSession(): Promise<DataSession>
  /** What the server is, for the health report ("PostgreSQL 15.8", "SQLite 3.46.0"). */
  abstract serverVersion(): Promise<string>
  abstract schemas(): Promise<SchemaSummary[]>
  /** Tables and views of one schema, or of every user schema when none is named. */
  abstract listTables(schema?: string): Promise<TableSummary[]>
  abstract describe(table: TableRef): Promise<TableDetail>
  abstract close(): Promise<void>

  /**
   * The driver's error as a typed one: E_SQL with `details.serverCode` and, when the server gives it,
   * `details.position` (0-based, in the SQL as sent); connection faults as their network codes.
   * Undefined leaves it to the generic mapping.
   */
  protected driverError(_err: unknown): BackplaneError | undefined {
    return undefined
  }

  /** A driver value as a JSON cell; engines mark JSON columns (jsonCell) and keep zone-less times as text. */
  protected cell(value: unknown, _column: Column, limits: CellLimits): unknown {
    return toJsonCell(value, limits)
  }

  tables(): Promise<TableSummary[]> {
    return this.listTables()
  }

  async query(sql: string, params: readonly unknown[] = [], options: QueryOptions = {}): Promise<QueryResult> {
    const statements = this.statementsOf(sql)
    if (statements.length > 1) {
      throw new BackplaneError(ErrorCode.E_INVALID_INPUT, `That is ${statements.length} statements; data.query runs one.`, {
        hint: 'Run a script with data.script, or send one statement.',
      })
    }
    // The read-only fence before any connection: a refused statement never reaches the network.
    this.guardReadOnly(statements[0]!.text)
    return this.withSession(options.queryId, (session) => this.runStatement(session, statements[0]!, params, options.maxRows ?? DEFAULT_MAX_ROWS))
  }

  /** Every statement of a script, in order, on one session (so BEGIN … COMMIT spans them); stops at the first failure. */
  async script(sql: string, options: ScriptOptions = {}): Promise<ScriptResult> {
    const statements = this.statementsOf(sql)
    if (options.confirmDestructive && !this.readOnly) {
      const destructive = statements.map((s, index) => ({ index, text: s.text, reason: destructiveReason(s.text, this.dialect.lexer) })).filter((s) => s.reason)
      if (destructive.length > 0) {
        throw new BackplaneError(ErrorCode.E_NEEDS_CONFIRMATION, `The script ${destructive.map((d) => d.reason).join('; ')}.`, {
          hint: 'Confirm to run it anyway.',
          details: { statements: destructive.map((d) => ({ index: d.index, reason: d.reason, text: d.text.slice(0, 500) })) },
        })
      }
    }
    // The read-only fence for every statement before any runs: a script is refused whole, at its first writer.
    for (const [statementIndex, statement] of statements.entries()) {
      try {
        this.guardReadOnly(statement.text)
      } catch (err) {
        return { results: [], failure: { statementIndex, error: toBackplaneError(err) } }
      }
    }
    return this.withSession(options.queryId, async (session, call) => {
      const results: QueryResult[] = []
      for (const [index, statement] of statements.entries()) {
        try {
          results.push({ statement: statement.text, ...(await this.runStatement(session, statement, [], options.maxRows ?? DEFAULT_MAX_ROWS)) })
        } catch (err) {
          const error = toBackplaneError(err)
          // However the driver words a cancel, a cancelled call is cancelled, not a failed statement.
          if (error.code === ErrorCode.E_CANCELLED || call.cancelled()) throw error
          return { results, failure: { statementIndex: index, error } }
        }
      }
      return { results }
    })
  }

  /** Every row of one statement, in batches, nothing cut and nothing held: for exports. */
  async stream(sql: string, params: readonly unknown[], consumer: RowConsumer, options: QueryOptions = {}): Promise<{ rowCount: number }> {
    const statements = this.statementsOf(sql)
    if (statements.length !== 1) throw new BackplaneError(ErrorCode.E_INVALID_INPUT, 'An export runs one statement.', { hint: 'Export one SELECT.' })
    const statement = statements[0]!
    this.guardReadOnly(statement.text)
    return this.withSession(options.queryId, async (session) => {
      const translated = this.translate(statement, params.length > 0)
      let columns: Column[] = []
      let rowCount = 0
      let columnsTaken: Promise<void> = Promise.resolve()
      const limit = options.maxRows ?? Number.POSITIVE_INFINITY
      const sink: RowSink = {
        columns: (c) => {
          columns = c
          columnsTaken = Promise.resolve(consumer.columns(c))
        },
        rows: async (batch) => {
          await columnsTaken
          const take = rowCount + batch.length <= limit ? batch : batch.slice(0, Math.max(0, limit - rowCount))
          rowCount += take.length
          await consumer.rows(this.cellsInPlace(take, columns))
          return rowCount < limit
        },
      }
      await this.execute(session, translated, params.map(fromJsonParam), sink, statement)
      await columnsTaken
      return { rowCount }
    })
  }

  /** Stops the call started with this queryId, at the server; answers whether such a call was running. */
  async cancel(queryId: string): Promise<boolean> {
    const entry = this.running.get(queryId)
    if (!entry) return false
    entry.cancelled = true
    const cancelled = new BackplaneError(ErrorCode.E_CANCELLED, 'The query was cancelled.', { hint: 'Run it again when you want its result.' })
    // The server normally stops the statement and the call fails with it; if it is slow, answer anyway.
    const timer = setTimeout(() => entry.abort?.(cancelled), CANCEL_ANSWER_MS)
    timer.unref?.()
    // Still waiting for a connection: nothing runs at the server yet, so the call ends now.
    if (!entry.session) {
      clearTimeout(timer)
      entry.abort?.(cancelled)
      return true
    }
    try {
      await entry.session.cancel()
    } catch (err) {
      this.ctx.log.warn(`data ${this.ctx.alias}: cancel failed: ${toBackplaneError(err).message}`)
      entry.abort?.(cancelled)
    }
    return true
  }

  async page(request: PageRequest, options: QueryOptions = {}): Promise<PageResult> {
    const detail = await this.recentDetail(request.table)
    const built = pageSql(this.dialect, detail, request)
    const result = await this.withSession(options.queryId, (session) =>
      this.runStatement(session, { text: built.sql, start: 0 }, built.params, request.limit),
    )
    return { ...result, sql: built.sql, params: built.params.map((p) => toJsonCell(p)), paging: built.paging, keyColumns: built.keyColumns }
  }

  async planChanges(changeSet: ChangeSet): Promise<PlannedStatement[]> {
    const detail = await this.describe(changeSet.table)
    return planChanges(this.dialect, detail, { ...changeSet, changes: changeSet.changes.map(decodeChange) }, (s) => this.display(s)).map(({ op: _op, ...planned }) => ({
      ...planned,
      params: planned.params.map((p) => toJsonCell(p)),
    }))
  }

  /**
   * A table's detail as described in the last few seconds: a grid scrolling through pages would
   * otherwise describe the table again for each one. A write through this alias forgets them all.
   */
  private async recentDetail(table: TableRef): Promise<TableDetail> {
    const key = JSON.stringify([table.schema ?? null, table.name])
    const cached = this.details.get(key)
    if (cached && performance.now() - cached.at < DETAIL_TTL_MS) return cached.detail
    const detail = await this.describe(table)
    if (this.details.size > 100) this.details.clear()
    this.details.set(key, { detail, at: performance.now() })
    return detail
  }

  /**
   * Statements with parameters in one transaction on one connection: all of them, or (when run throws,
   * or a statement fails) none. Each statement passes the read-only fence as query()'s do. Statements
   * run one after the other even when the body does not wait for each (a session runs one at a time:
   * SQLite's thread refuses a second), and none once the transaction has ended, when the connection may
   * already serve another call.
   */
  async transaction<T>(run: (tx: Transaction) => Promise<T>): Promise<T> {
    return this.withSession(undefined, async (session) => {
      await session.begin()
      let ended = false
      let queue: Promise<unknown> = Promise.resolve()
      const tx: Transaction = {
        query: (sql, params = [], options = {}) => {
          const next = queue.then(async () => {
            if (ended) throw new BackplaneError(ErrorCode.E_INTERNAL, 'A statement was sent to a transaction that has already ended.')
            const statements = this.statementsOf(sql)
            if (statements.length !== 1) throw new BackplaneError(ErrorCode.E_INVALID_INPUT, `A transaction runs one statement at a time, not ${statements.length}.`)
            this.guardReadOnly(statements[0]!.text)
            return this.runStatement(session, statements[0]!, params, options.maxRows ?? DEFAULT_MAX_ROWS)
          })
          queue = next.catch(() => undefined)
          return next
        },
      }
      try {
        const value = await run(tx)
        // A statement the body started without waiting for belongs to the transaction too.
        await queue
        ended = true
        await session.commit()
        return value
      } catch (err) {
        ended = true
        // Not while a statement the body left running is still on the connection.
        await queue
        await session.rollback().catch(() => undefined)
        throw err
      }
    })
  }

  /** The change set in one transaction: all of it, or (on any failure, or a row that is gone) none of it. */
  async applyChanges(changeSet: ChangeSet): Promise<AppliedChanges> {
    if (this.readOnly) throw readOnlyRefusal(this.ctx.alias)
    const detail = await this.describe(changeSet.table)
    const planned = planChanges(this.dialect, detail, { ...changeSet, changes: changeSet.changes.map(decodeChange) }, (s) => this.display(s))
    const t0 = performance.now()
    return this.withSession(undefined, async (session) => {
      await session.begin()
      let rowsAffected = 0
      try {
        for (const [i, statement] of planned.entries()) {
          const result = await this.runStatement(session, { text: statement.sql, start: 0 }, statement.params, 0)
          // An update or delete that matched no row (or several) means the grid showed a row that changed.
          if (statement.op !== 'insert' && result.rowCount !== 1) {
            throw new BackplaneError(ErrorCode.E_CONFLICT, `Change ${i + 1} of ${planned.length} matched ${countOf(result.rowCount, 'row')} instead of one; nothing was committed.`, {
              hint: 'The row was changed or deleted by someone else, or the table has no unique key: reload the table and edit again.',
              details: { statement: statement.display },
            })
          }
          rowsAffected += result.rowCount
        }
        await session.commit()
      } catch (err) {
        await session.rollback().catch(() => undefined)
        throw err
      }
      return { statements: planned.length, rowsAffected, durationMs: performance.now() - t0 }
    })
  }

  /** The server's plan for a statement (EXPLAIN, EXPLAIN QUERY PLAN, …). */
  async explain(sql: string, params: readonly unknown[] = []): Promise<QueryResult> {
    const statements = this.statementsOf(sql)
    if (statements.length !== 1) throw new BackplaneError(ErrorCode.E_INVALID_INPUT, 'EXPLAIN takes one statement.')
    const explained = this.dialect.explain(statements[0]!.text)
    if (!explained) throw new BackplaneError(ErrorCode.E_UNSUPPORTED, `${this.dialect.name} has no EXPLAIN that Backplane can show.`)
    return this.query(explained, params, { maxRows: 10_000 })
  }

  /**
   * Raw driver rows of one statement of the engine's own (introspection), with `?` placeholders: no
   * cell conversion, no limit. Engines use it for catalog queries, which are small.
   */
  protected async select(sql: string, params: readonly unknown[] = []): Promise<unknown[][]> {
    const statement = { text: sql, start: 0 }
    const translated = this.translate(statement)
    return this.withSession(undefined, async (session) => {
      const rows: unknown[][] = []
      await this.execute(session, translated, params, { columns: () => undefined, rows: (batch) => (rows.push(...batch), true) }, statement)
      return rows
    })
  }

  /**
   * Rows of an export made JSON cells where they stand: a stream's batches are the engine's own arrays,
   * used once. Cells that are already JSON (text, safe numbers, booleans, NULL) are left as they are when
   * the engine keeps the base's cell(), which would return them unchanged: a million rows pay no copy.
   */
  private cellsInPlace(rows: unknown[][], columns: Column[]): unknown[][] {
    const plain = this.cell === BaseDatabase.prototype.cell
    for (const row of rows) {
      for (let i = 0; i < row.length; i++) {
        const v = row[i]
        if (plain && (v === null || typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v)))) continue
        row[i] = this.cell(v, columns[i] ?? { name: '' }, { cut: false })
      }
    }
    return rows
  }

  /** Proves the server answers a statement; says what it ran. */
  protected async ping(): Promise<string> {
    await this.query('SELECT 1')
    return 'SELECT 1'
  }

  async check(): Promise<HealthReport> {
    const probe = new HealthProbe('data', this.ctx.alias, this.ctx.engine)
    probe.version = await probe.step('connect', () => this.serverVersion(), (v) => v)
    await probe.step('query', () => this.ping(), (what) => what)
    const tables = await probe.step('introspect', () => this.listTables(), (t) => countOf(t.length, 'table or view', 'tables and views'))
    if (tables) probe.summary = `${countOf(tables.length, 'table or view', 'tables and views')}${this.readOnly ? ', read-only' : ''}`
    return probe.report()
  }

  // --- the machinery -------------------------------------------------------------------------

  private statementsOf(sql: string): ScannedStatement[] {
    const statements = splitStatements(sql, this.dialect.lexer)
    if (statements.length === 0) throw new BackplaneError(ErrorCode.E_INVALID_INPUT, 'The statement is empty.', { hint: 'Type a SQL statement.' })
    return statements
  }

  private translate(statement: ScannedStatement, parameters = true) {
    return translatePlaceholders(statement.text, this.dialect, { parameters })
  }

  /**
   * Where DDL commits first, a read-only transaction cannot stop it: only readers pass (see readers.ts).
   * Checked where a caller's statement comes in (query, script, stream), before any connection is taken.
   */
  private guardReadOnly(sql: string): void {
    if (this.readOnly && this.dialect.ddlCommitsImplicitly && !isReaderKeyword(sql, this.dialect.lexer)) throw readOnlyRefusal(this.ctx.alias)
  }

  private async runStatement(
    session: DataSession,
    statement: ScannedStatement,
    params: readonly unknown[],
    maxRows: number,
  ): Promise<Omit<QueryResult, 'statement'>> {
    const translated = this.translate(statement, params.length > 0)
    let columns: Column[] = []
    const rows: unknown[][] = []
    let truncated = false
    let bytes = 0
    const sink: RowSink = {
      limit: maxRows + 1,
      columns: (c) => {
        columns = c
      },
      rows: (batch) => {
        for (const row of batch) {
          // Rows stop at maxRows, and at a size budget: 20,000 rows of 300 KB would not fit in memory (or JSON).
          if (rows.length >= maxRows || bytes > RESULT_BYTES) {
            truncated = true
            return false
          }
          const cells = row.map((v, i) => this.cell(v, columns[i] ?? { name: '' }, { cut: true }))
          bytes += cells.reduce<number>((sum, cell) => sum + cellBytes(cell), 16)
          rows.push(cells)
        }
        return true
      },
    }
    const t0 = performance.now()
    const outcome = await this.execute(session, translated, params.map(fromJsonParam), sink, statement)
    const durationMs = performance.now() - t0
    // A write may have been DDL: the grid's cached descriptions are forgotten.
    if (!outcome.hasResultSet) this.details.clear()
    if (!outcome.hasResultSet) return { kind: 'write', columns: [], rows: [], rowCount: outcome.affectedRows ?? 0, truncated: false, durationMs }
    return { kind: 'rows', columns, rows, rowCount: rows.length, truncated, durationMs }
  }

  private async execute(session: DataSession, translated: ReturnType<typeof translatePlaceholders>, params: readonly unknown[], sink: RowSink, statement: ScannedStatement) {
    try {
      return await session.execute(translated.sql, params, sink)
    } catch (err) {
      throw this.positioned(err, translated, statement)
    }
  }

  /** The driver's error, typed, with its position moved from the SQL as sent to the caller's own text. */
  private positioned(err: unknown, translated: ReturnType<typeof translatePlaceholders>, statement: ScannedStatement): BackplaneError {
    const mapped = err instanceof BackplaneError ? err : (this.driverError(err) ?? statementError(err))
    const details = (mapped.details ?? {}) as Record<string, unknown>
    if (typeof details.position !== 'number') return mapped
    const position = statement.start + translated.originalOffset(details.position)
    return new BackplaneError(mapped.code as ErrorCode, mapped.message, { hint: mapped.hint, cause: mapped.cause, status: mapped.status, details: { ...details, position } })
  }

  private async withSession<T>(queryId: string | undefined, run: (session: DataSession, call: { cancelled(): boolean }) => Promise<T>): Promise<T> {
    if (queryId && this.running.has(queryId)) {
      throw new BackplaneError(ErrorCode.E_CONFLICT, `A query with id "${queryId.slice(0, 80)}" is already running.`, { hint: 'Give each query its own id.' })
    }
    const entry: Running = { cancelled: false }
    if (queryId) this.running.set(queryId, entry)
    // Made before a connection is asked for, so that a call still waiting for one is cancelled too.
    const aborted = new Promise<never>((_, reject) => {
      entry.abort = reject
    })
    aborted.catch(() => undefined)
    let session: DataSession | undefined
    let settled = false
    try {
      const opening = this.openSession().catch((err: unknown) => {
        throw err instanceof BackplaneError ? err : (this.driverError(err) ?? toBackplaneError(err))
      })
      try {
        session = await Promise.race([opening, aborted])
      } catch (err) {
        // Cancelled while waiting: the connection, when it comes, goes straight back.
        if (entry.cancelled) void opening.then((late) => late.release(false), () => undefined)
        throw err
      }
      entry.session = session
      if (entry.cancelled) throw new BackplaneError(ErrorCode.E_CANCELLED, 'The query was cancelled before it started.')
      const work = run(session, { cancelled: () => entry.cancelled })
      work.finally(() => {
        settled = true
      }).catch(() => undefined)
      return await Promise.race([work, aborted])
    } catch (err) {
      if (entry.cancelled) throw new BackplaneError(ErrorCode.E_CANCELLED, 'The query was cancelled.', { cause: err, hint: 'Run it again when you want its result.' })
      throw err
    } finally {
      if (queryId) this.running.delete(queryId)
      if (session) {
        const s = session
        // A session whose statement still runs (the server was slow to stop it) is not reused.
        if (entry.cancelled && !settled) void s.release(true).catch(() => undefined)
        else await s.release(entry.cancelled).catch(() => undefined)
      }
    }
  }

  /** The statement with its parameters written as literals, for the user to read. */
  private display(statement: BuiltStatement): string {
    // Through the scanner, like the translation to the server's placeholders: a `$1` inside a quoted
    // name or a string is text, not a parameter.
    return translatePlaceholders(statement.sql, this.dialect, {
      write: (n) => (n <= statement.params.length ? this.dialect.literal(statement.params[n - 1]) : '?'),
    }).sql
  }
}

/** About how many bytes a cell takes as JSON: what the result budget counts. */
function cellBytes(cell: unknown): number {
  if (typeof cell === 'string') return cell.length + 2
  if (cell === null || typeof cell !== 'object') return 8
  if (Array.isArray(cell)) return cell.reduce<number>((sum, c) => sum + cellBytes(c), 2)
  const c = cell as { $bytes?: string; $text?: string }
  if (typeof c.$bytes === 'string') return c.$bytes.length + 24
  if (typeof c.$text === 'string') return c.$text.length + 24
  // JSON values: their text length, cheaply bounded (JSON.stringify of a huge value is what the budget avoids).
  return 1024
}

function decodeChange(change: ChangeSet['changes'][number]): ChangeSet['changes'][number] {
  const decode = (record: Record<string, unknown>) => Object.fromEntries(Object.entries(record).map(([k, v]) => [k, fromJsonParam(v)]))
  switch (change.op) {
    case 'insert':
      return { op: 'insert', values: decode(change.values) }
    case 'update':
      return { op: 'update', key: decode(change.key), set: decode(change.set) }
    case 'delete':
      return { op: 'delete', key: decode(change.key) }
  }
}

export function readOnlyRefusal(alias: string): BackplaneError {
  return new BackplaneError(ErrorCode.E_READ_ONLY, `Alias "${alias}" is read-only, and this statement would change data or schema.`, {
    hint: 'Turn off "read only" for this alias in Settings if you really mean to write.',
  })
}

/** A driver error is the server's verdict on the statement, unless it is a network or system failure. */
export function statementError(err: unknown): BackplaneError {
  const mapped = toBackplaneError(err)
  if (mapped.code !== ErrorCode.E_INTERNAL || !(err instanceof Error)) return mapped
  return new BackplaneError(ErrorCode.E_SQL, err.message, { cause: err, hint: 'The database rejected the statement; its message says why.' })
}
