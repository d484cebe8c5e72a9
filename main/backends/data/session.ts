import type { Column } from './types'

/**
 * One server connection, taken from the engine's pool for the length of one call (a statement, a script,
 * a change set, an export). This is what an engine implements; the base does everything else.
 */
export interface DataSession {
  /**
   * Runs one statement whose placeholders are already the server's (`$1`, `:1`, `?`). A statement with a
   * result set calls `sink.columns` once and `sink.rows` per batch, reading from a cursor or stream:
   * never the whole result at once. When `sink.rows` answers false the engine stops reading and closes
   * the cursor at the server. On a read-only alias the engine has the server refuse writes (see
   * docs/data.md) and maps that refusal to E_READ_ONLY.
   */
  execute(sql: string, params: readonly unknown[], sink: RowSink): Promise<StatementOutcome>
  /** Stops what `execute` is running, at the server (pg_cancel_backend, KILL QUERY, break, interrupt). */
  cancel(): Promise<void>
  begin(): Promise<void>
  commit(): Promise<void>
  rollback(): Promise<void>
  /** Back to the pool, with any transaction the session left open rolled back; `discard` closes it instead. */
  release(discard?: boolean): Promise<void>
}

export interface RowSink {
  /** At most this many rows will be taken, when known (maxRows + 1): a hint for the first batch's size. */
  limit?: number
  columns(columns: Column[]): void
  /** Rows as arrays in column order. Resolves true to read on, false to stop. */
  rows(batch: unknown[][]): boolean | Promise<boolean>
}

export interface StatementOutcome {
  /** Whether the statement had a result set (even an empty one). */
  hasResultSet: boolean
  /** Rows changed, for a statement without a result set, when the server says. */
  affectedRows?: number
}
