import type { FieldPacket, PoolConnection, ResultSetHeader } from 'mysql2'
import { BackplaneError, ErrorCode } from '../../../core/errors'
import { readOnlyRefusal } from '../base'
import { isReaderKeyword } from '../readers'
import type { DataSession, RowSink, StatementOutcome } from '../session'
import { codeWords, splitStatements } from '../sql-text'
import { isConnectionLost, isInterrupted } from './mysql-errors'
import { bindParameters, mysqlDialect, type BoundSql } from './mysql-sql'
import { columnOf } from './mysql-types'

/** Rows handed to the sink at once. */
const BATCH_ROWS = 256
/**
 * Rows read and thrown away, once the sink wants no more, before the statement is stopped at the server.
 * MySQL's protocol has no "close cursor": the server sends the whole result and the connection is only
 * usable again after it. A short rest is cheaper to read than to kill; a long one (a 10-million-row
 * generator) is stopped with KILL QUERY from a connection of its own, after which the server sends a few
 * more rows and ER_QUERY_INTERRUPTED, and the connection stays usable (and any transaction open).
 */
const DRAIN_BEFORE_KILL = 1000
const DRAIN_BEFORE_KILL_MS = 20

/** What a session needs from its database. */
export interface SessionHost {
  readonly readOnly: boolean
  readonly alias: string
  /** KILL QUERY on a connection of its own (the pool's may all be taken, by this session among them). */
  killQuery(threadId: number): Promise<void>
  error(err: unknown, bound?: BoundSql): BackplaneError
  /** The connection goes back to the pool after COM_RESET_CONNECTION: it needs its session settings again. */
  forgetSetup(connection: PoolConnection): void
}

/**
 * One pooled connection for the length of one call. On a read-only alias each statement runs inside
 * START TRANSACTION READ ONLY … ROLLBACK, so the server refuses every write however it is spelled (a
 * function that inserts, SELECT … FOR UPDATE, MySQL 8's WITH … DELETE) with ER_CANT_EXECUTE_IN_READ_ONLY_TRANSACTION;
 * the base lets only readers through, as DDL would commit that transaction first.
 */
export class MysqlSession implements DataSession {
  /** The connection broke: it is closed on release, and later statements fail at once. */
  private lost = false
  /** A statement may have changed the session (SET, temporary tables, locks, a transaction). */
  private dirty = false
  private cancelled = false
  /** The KILL QUERY of cancel(), which must reach the server before the connection serves another call. */
  private killing: Promise<void> | undefined

  constructor(
    private readonly connection: PoolConnection,
    private readonly host: SessionHost,
  ) {}

  async execute(sql: string, params: readonly unknown[], sink: RowSink): Promise<StatementOutcome> {
    if (this.cancelled) throw interrupted()
    if (this.lost) throw this.host.error(Object.assign(new Error('connection lost before the statement'), { code: 'PROTOCOL_CONNECTION_LOST' }))
    if (this.host.readOnly) refuseHiddenWrites(sql, this.host.alias)
    // Any statement, readers too, may leave state on the connection (GET_LOCK, user variables): it is reset on release.
    this.dirty = true
    const bound = bindParameters(sql, params)
    if (!this.host.readOnly) return this.stream(bound, sink)
    await this.simple('START TRANSACTION READ ONLY')
    try {
      return await this.stream(bound, sink)
    } finally {
      if (!this.lost) await this.simple('ROLLBACK').catch(() => undefined)
    }
  }

  async cancel(): Promise<void> {
    this.cancelled = true
    this.killing = this.host.killQuery(this.connection.threadId)
    await this.killing
  }

  async begin(): Promise<void> {
    this.dirty = true
    await this.simple(mysqlDialect.begin)
  }

  commit(): Promise<void> {
    return this.simple('COMMIT')
  }

  rollback(): Promise<void> {
    return this.simple('ROLLBACK')
  }

  /**
   * Back to the pool as it came: after any statement, COM_RESET_CONNECTION rolls back an open
   * transaction, drops temporary tables, releases locks and restores the session variables (so a user's
   * `SET autocommit = 0` does not follow the connection into the next call).
   */
  async release(discard = false): Promise<void> {
    const connection = this.connection
    await this.killing?.catch(() => undefined)
    if (discard || this.lost) return connection.destroy()
    if (this.dirty) {
      try {
        await new Promise<void>((resolve, reject) => connection.reset((err) => (err ? reject(err) : resolve())))
        this.host.forgetSetup(connection)
      } catch {
        return connection.destroy()
      }
    }
    connection.release()
  }

  private simple(sql: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.connection.query(sql, (err) => {
        if (!err) return resolve()
        if (isConnectionLost(err)) this.lost = true
        reject(this.host.error(err))
      })
    })
  }

  /** Reads the first result of the statement as a stream, in batches, pausing the socket while the sink is busy. */
  private stream(bound: BoundSql, sink: RowSink): Promise<StatementOutcome> {
    const connection = this.connection
    return new Promise<StatementOutcome>((resolve, reject) => {
      let outcome: StatementOutcome | undefined
      let results = 0
      let batch: unknown[][] = []
      let stoppedAt: number | undefined
      let discarded = 0
      let waiting: Promise<void> | undefined
      let killing: Promise<void> | undefined
      let sinkError: unknown
      let finished = false
      /** The connection was closed to stop a result cut short: what was read is the answer. */
      let abandoned = false

      const stop = () => {
        stoppedAt ??= performance.now()
        batch = []
      }
      const deliver = (rows: unknown[][]) => {
        let answer: boolean | Promise<boolean>
        try {
          answer = sink.rows(rows)
        } catch (err) {
          sinkError = err
          return stop()
        }
        if (typeof answer === 'boolean') return void (answer || stop())
        connection.pause()
        waiting = answer.then(
          (more) => void (more || stop()),
          (err: unknown) => {
            sinkError = err
            stop()
          },
        )
        void waiting.finally(() => {
          waiting = undefined
          connection.resume()
        })
      }
      const cutShort = () => {
        connection.pause()
        killing = this.host.killQuery(connection.threadId).then(
          () => connection.resume(),
          () => {
            // Without KILL the rest would have to be read to the end; closing the connection stops it now.
            abandoned = true
            this.lost = true
            connection.destroy()
            void finish(undefined)
          },
        )
      }
      const finish = async (error: unknown) => {
        if (finished) return
        finished = true
        connection.removeListener('error', lostConnection)
        try {
          await waiting
          if (error === undefined && stoppedAt === undefined && batch.length > 0) {
            const rows = batch
            batch = []
            const more = await sink.rows(rows)
            if (!more) stop()
          }
        } catch (err) {
          sinkError = err
        }
        if (killing) await killing
        if (error !== undefined && isConnectionLost(error)) this.lost = true
        if (sinkError !== undefined) return reject(sinkError)
        if (abandoned) return resolve(outcome ?? { hasResultSet: true })
        // The ER_QUERY_INTERRUPTED that the KILL of a cut-short result ends it with is its normal end.
        const ours = killing !== undefined && !this.cancelled && isInterrupted(error)
        if (error !== undefined && !ours) return reject(this.host.error(error, bound))
        if (this.cancelled) return reject(interrupted())
        resolve(outcome ?? { hasResultSet: false })
      }

      const query = connection.query({ sql: bound.sql, rowsAsArray: true })
      query.on('fields', (fields?: FieldPacket[]) => {
        results++
        if (results !== 1 || !fields) return
        outcome = { hasResultSet: true }
        sink.columns(fields.map(columnOf))
      })
      // A CALL answers several results (its SELECTs, then an OK): only the first is read, the rest drained.
      query.on('result', (row: unknown[] | ResultSetHeader) => {
        if (results !== 1) return
        if (!Array.isArray(row)) {
          outcome ??= { hasResultSet: false, affectedRows: row.affectedRows }
          return
        }
        if (stoppedAt !== undefined) {
          discarded++
          if (!killing && !this.lost && (discarded >= DRAIN_BEFORE_KILL || performance.now() - stoppedAt > DRAIN_BEFORE_KILL_MS)) cutShort()
          return
        }
        batch.push(row)
        if (batch.length >= BATCH_ROWS) {
          const rows = batch
          batch = []
          deliver(rows)
        }
      })
      // A server error ends the query; a lost connection is told to the connection instead (mysql2
      // passes it to a command only when it has a callback, and this one streams).
      const lostConnection = (err: Error) => void finish(err)
      connection.once('error', lostConnection)
      query.on('error', (err: Error) => void finish(err))
      query.on('end', () => void finish(undefined))
    })
  }
}

/** MySQL runs the text of a comment opened with `/*!` (MariaDB also `/*M!`) as code; the statement scanner skips it as a comment. */
const EXECUTABLE_COMMENT = /\/\*M?!\d{0,6}/g

/**
 * What a read-only transaction does not stop, refused by the words: SELECT … INTO OUTFILE / DUMPFILE
 * writes a file on the server (it changes no table), also when hidden in an executable comment; and an
 * executable comment must not make a reader something else (`SELECT 1`, then `/*!; DROP TABLE t` and the comment's end).
 */
function refuseHiddenWrites(sql: string, alias: string): void {
  const code = sql.replace(EXECUTABLE_COMMENT, ' ')
  const words = codeWords(code, mysqlDialect.lexer)
  if (words.includes('OUTFILE') || words.includes('DUMPFILE')) throw readOnlyRefusal(alias)
  if (code !== sql && (splitStatements(code, mysqlDialect.lexer).length !== 1 || !isReaderKeyword(code, mysqlDialect.lexer))) throw readOnlyRefusal(alias)
}

/** The error of a statement that cancel() stopped, for the base to report as E_CANCELLED. */
function interrupted(): BackplaneError {
  return new BackplaneError(ErrorCode.E_SQL, 'Query execution was interrupted', { details: { serverCode: 'ER_QUERY_INTERRUPTED', errno: 1317 } })
}
