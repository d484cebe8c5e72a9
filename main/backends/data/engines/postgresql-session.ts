import type { FieldDef, PoolClient, QueryResult as PgResult } from 'pg'
import Cursor from 'pg-cursor'
import { BackplaneError, ErrorCode } from '../../../core/errors'
import type { DataSession, RowSink, StatementOutcome } from '../session'
import { codeWords, firstKeyword } from '../sql-text'
import type { Column } from '../types'
import { endsConnection, isServerError, offsetInText } from './postgresql-errors'

const POSTGRES_LEXER = { dollarQuotes: true }
import type { TypeCatalogue } from './postgresql-types'

/** Rows per round trip: small first (a grid wants 1,000 rows at most), larger for an export. */
const FIRST_BATCH = 250
const LARGEST_BATCH = 4000

/**
 * The read-only fence. Each statement of a read-only alias runs alone in a transaction of its own,
 * `BEGIN READ ONLY`, which the server enforces whatever the statement's spelling (CTEs, DO blocks,
 * nextval(), EXPLAIN ANALYZE, functions with side effects), and which ends in ROLLBACK.
 *
 * Why not `default_transaction_read_only`: a statement can turn that off (`SET SESSION CHARACTERISTICS
 * AS TRANSACTION READ WRITE`, `BEGIN READ WRITE`, set_config()), and a guard against that would be a
 * keyword guess again. Here the next statement always gets a fresh read-only transaction, so a COMMIT
 * or BEGIN READ WRITE of the user ends or changes only the transaction of the statement itself.
 *
 * `SELECT 1` takes the transaction's first snapshot: after it the server refuses `SET TRANSACTION READ
 * WRITE` and `BEGIN READ WRITE` ("must be set before any query"), which it would accept first thing.
 *
 * Why ROLLBACK, not COMMIT: the server lets a few writes through a read-only transaction (lo_create(),
 * pg_notify(), writes to temporary tables); rolled back, none of them is kept. The price: a SET in one
 * statement of a script does not last into the next one on a read-only alias.
 */
const READ_ONLY_BEGIN = 'BEGIN READ ONLY; SELECT 1'

export interface SessionHooks {
  readOnly: boolean
  types: TypeCatalogue
  /** `SELECT pg_cancel_backend(pid)` on another connection than this one. */
  cancelBackend(pid: number): Promise<void>
  /** The engine's typed error for anything pg threw. */
  error(err: unknown): BackplaneError
}

/** One pooled connection for the length of one call. */
export class PostgresqlSession implements DataSession {
  private broken = false
  private released = false
  /** A statement is at the server (pg_cancel_backend would hit it). */
  private running = false
  private cancelRequested = false
  private readonly pid: number
  private readonly onError = (): void => {
    this.broken = true
  }

  constructor(
    private readonly client: PoolClient,
    private readonly hooks: SessionHooks,
  ) {
    // A checked-out client has no listener of the pool's: without one, a lost socket would crash the process.
    client.on('error', this.onError)
    this.pid = (client as PoolClient & { processID: number }).processID
  }

  async execute(sql: string, params: readonly unknown[], sink: RowSink): Promise<StatementOutcome> {
    this.checkUsable()
    // A read-only transaction lets COPY … TO a file or a PROGRAM through: run as a superuser, that is a shell
    // on the server (which can write anything). Only COPY … TO STDOUT, which is reading, passes.
    if (this.hooks.readOnly && firstKeyword(sql, POSTGRES_LEXER) === 'COPY' && !/\bTO\s+STDOUT\b/i.test(codeWords(sql, POSTGRES_LEXER).join(' '))) {
      throw new BackplaneError(ErrorCode.E_READ_ONLY, 'A read-only alias does not run COPY to a file or a program: the server would write it.', {
        hint: 'Export rows with the Export button or npx backplane export data, or COPY … TO STDOUT.',
      })
    }
    this.running = true
    let fenced = false
    try {
      // Inside a transaction of begin() (read-only too, on such an alias) statements need no fence of their own.
      if (this.hooks.readOnly && this.client.getTransactionStatus() === 'I') {
        await this.client.query(READ_ONLY_BEGIN)
        fenced = true
        this.checkUsable()
      }
      return await this.read(sql, params, sink)
    } catch (err) {
      if (endsConnection(err)) this.broken = true
      throw err
    } finally {
      if (fenced && !this.broken) {
        await this.client.query('ROLLBACK').catch(() => {
          this.broken = true
        })
      }
      this.running = false
    }
  }

  /** The statement through a cursor: batches until the sink has enough, then the portal is closed. */
  private async read(sql: string, params: readonly unknown[], sink: RowSink): Promise<StatementOutcome> {
    const cursor = this.client.query(new Cursor(sql, [...params], { rowMode: 'array' }))
    // Only an error of the server closes its portal; a consumer that gave up (an export whose reader went
    // away) leaves it open, and it must be closed or the connection's next query waits behind it.
    let serverFailed = false
    try {
      let batch = Math.max(1, Math.min(FIRST_BATCH, sink.limit ?? FIRST_BATCH))
      let first = true
      for (;;) {
        const { rows, result } = await readBatch(cursor, batch).catch((err: unknown) => {
          serverFailed = true
          throw err
        })
        if (first) {
          first = false
          const fields = result?.fields ?? []
          if (fields.length === 0 && rows.length === 0 && result?.command !== 'SELECT') {
            return { hasResultSet: false, ...(typeof result?.rowCount === 'number' ? { affectedRows: result.rowCount } : {}) }
          }
          sink.columns(fields.map((f) => this.columnOf(f)))
        }
        if (rows.length > 0 && !(await sink.rows(rows))) break
        if (rows.length < batch) break
        batch = Math.min(batch * 2, LARGEST_BATCH)
      }
      return { hasResultSet: true }
    } catch (err) {
      if (isServerError(err) && err.position) err.offset = offsetInText(sql, Number(err.position))
      throw err
    } finally {
      // After a server error the portal is already closed (and pg-cursor would wait for nothing).
      if (!serverFailed && !this.broken) await cursor.close()
    }
  }

  private columnOf(field: FieldDef): Column {
    const type = this.hooks.types.nameOf(field.dataTypeID)
    return type ? { name: field.name, type } : { name: field.name }
  }

  async cancel(): Promise<void> {
    this.cancelRequested = true
    if (this.running && !this.released) await this.hooks.cancelBackend(this.pid)
  }

  /** On a read-only alias the transaction is read-only too, its first snapshot taken (see READ_ONLY_BEGIN). */
  async begin(): Promise<void> {
    await this.run(this.hooks.readOnly ? READ_ONLY_BEGIN : 'BEGIN')
  }

  async commit(): Promise<void> {
    await this.run('COMMIT')
  }

  async rollback(): Promise<void> {
    await this.run('ROLLBACK')
  }

  async release(discard = false): Promise<void> {
    if (this.released) return
    this.released = true
    try {
      // A script may have left its BEGIN open: the next user of the connection must not inherit it.
      if (!discard && !this.broken && this.client.getTransactionStatus() !== 'I') await this.client.query('ROLLBACK')
      // Nor its advisory locks, prepared statements or settings (the next user may be another alias's call).
      if (!discard && !this.broken) await this.client.query('DISCARD ALL')
    } catch {
      this.broken = true
    }
    const destroy = discard || this.broken
    // A connection given up while its statement still runs: stop the statement, or the server runs it to its end.
    if (destroy && this.running && !this.broken) await this.hooks.cancelBackend(this.pid).catch(() => undefined)
    this.client.off('error', this.onError)
    if (destroy) this.client.on('error', () => undefined)
    this.client.release(destroy)
  }

  private async run(sql: string): Promise<void> {
    this.checkUsable()
    try {
      await this.client.query(sql)
    } catch (err) {
      if (endsConnection(err)) this.broken = true
      throw this.hooks.error(err)
    }
  }

  private checkUsable(): void {
    if (this.released) throw new BackplaneError(ErrorCode.E_INTERNAL, 'The session was already given back to the pool.')
    if (this.cancelRequested) throw new BackplaneError(ErrorCode.E_CANCELLED, 'The query was cancelled.', { hint: 'Run it again when you want its result.' })
    if (this.broken) {
      throw new BackplaneError(ErrorCode.E_CONNECTION_RESET, 'The connection to the server was lost.', { hint: 'Backplane connects again on the next call.' })
    }
  }
}

function readBatch(cursor: Cursor<unknown[]>, count: number): Promise<{ rows: unknown[][]; result: PgResult | undefined }> {
  return new Promise((resolve, reject) => {
    // A cursor that is done answers without a result.
    cursor.read(count, (err, rows, result) => (err ? reject(err) : resolve({ rows, result: result as PgResult | undefined })))
  })
}
