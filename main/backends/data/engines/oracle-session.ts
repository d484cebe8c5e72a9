import oracledb, { type Connection } from 'oracledb'
import { BackplaneError, ErrorCode } from '../../../core/errors'
import type { DataSession, RowSink, StatementOutcome } from '../session'
import { columnOf, oracleFetchType } from './oracle-types'

/** Rows asked of the server per round trip: a grid page (50 + 1) or a maxRows of 1000 in a few. */
const BATCH_ROWS = 500

/** A PL/SQL unit, which (unlike SQL) must keep the `;` after its END. */
const PLSQL_UNIT = /^(declare|begin|create\s+(or\s+replace\s+)?((non)?editionable\s+)?(procedure|function|package|trigger|type|library)\b)/i

/**
 * The statement as Oracle takes it: the script splitter drops every statement's `;`, which SQL must not
 * have and a PL/SQL block must keep after its END.
 */
export function oracleStatementText(sql: string): string {
  const head = sql.replace(/^(\s+|--[^\n]*|\/\*[\s\S]*?\*\/)*/, '')
  return PLSQL_UNIT.test(head) && /\bend\b(\s+("[^"]+"|[A-Za-z_][\w$#]*))?\s*$/i.test(sql) ? `${sql};` : sql
}

/** JSON parameters as Oracle binds them: booleans as 1/0 (no SQL BOOLEAN before 23ai), undefined as NULL. */
function bindValue(value: unknown): unknown {
  if (typeof value === 'boolean') return value ? 1 : 0
  return value === undefined ? null : value
}

/**
 * One pooled connection for one call. It is taken from the pool on the first statement, not before, so
 * that a statement the base refuses (the read-only fence) never reaches the network.
 *
 * Outside a change set each statement commits as it ends (autoCommit), as SQL*Plus does with SET
 * AUTOCOMMIT ON: Oracle opens a transaction with the first change, and nothing else would end it before
 * the connection goes back to the pool (which rolls it back). begin() turns that off until commit or
 * rollback. On a read-only alias each statement runs in its own SET TRANSACTION READ ONLY, ended after it.
 */
export class OracleSession implements DataSession {
  private connection: Connection | undefined
  private inTransaction = false
  private cancelled = false

  constructor(
    private readonly acquire: () => Promise<Connection>,
    private readonly readOnly: boolean,
  ) {}

  async execute(sql: string, params: readonly unknown[], sink: RowSink): Promise<StatementOutcome> {
    const connection = await this.connected()
    const text = oracleStatementText(sql)
    try {
      if (this.readOnly) await this.setReadOnly(connection)
      const result = await connection.execute<unknown[]>(text, params.map(bindValue), {
        resultSet: true,
        outFormat: oracledb.OUT_FORMAT_ARRAY,
        fetchTypeHandler: oracleFetchType,
        autoCommit: !this.inTransaction && !this.readOnly,
      })
      const resultSet = result.resultSet
      if (!resultSet) return { hasResultSet: false, ...(typeof result.rowsAffected === 'number' ? { affectedRows: result.rowsAffected } : {}) }
      try {
        sink.columns((result.metaData ?? []).map(columnOf))
        for (;;) {
          const rows = await resultSet.getRows(BATCH_ROWS)
          if (rows.length === 0 || !(await sink.rows(rows)) || rows.length < BATCH_ROWS) break
        }
      } finally {
        await resultSet.close()
      }
      return { hasResultSet: true }
    } finally {
      if (this.readOnly) await connection.rollback().catch(() => undefined)
    }
  }

  /** Stops the running call at the server (ORA-01013 ends it); before a connection is taken, the call never starts. */
  async cancel(): Promise<void> {
    this.cancelled = true
    await this.connection?.break()
  }

  async begin(): Promise<void> {
    this.inTransaction = true
  }

  async commit(): Promise<void> {
    await this.connection?.commit()
    this.inTransaction = false
  }

  async rollback(): Promise<void> {
    await this.connection?.rollback()
    this.inTransaction = false
  }

  async release(discard = false): Promise<void> {
    const connection = this.connection
    this.connection = undefined
    if (!connection) return
    try {
      if (this.inTransaction) await connection.rollback()
    } finally {
      // A connection that was broken off mid-statement is dropped, not handed to the next call.
      await connection.close({ drop: discard })
    }
  }

  private async connected(): Promise<Connection> {
    this.connection ??= await this.acquire()
    if (this.cancelled) throw new BackplaneError(ErrorCode.E_CANCELLED, 'The query was cancelled before it started.')
    return this.connection
  }

  /** SET TRANSACTION must open the transaction; its error offsets would point into the wrong text. */
  private async setReadOnly(connection: Connection): Promise<void> {
    try {
      await connection.execute('SET TRANSACTION READ ONLY', [], { autoCommit: false })
    } catch (err) {
      delete (err as { offset?: unknown }).offset
      throw err
    }
  }
}
