import { randomUUID } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { rename, rm } from 'node:fs/promises'
import { once } from 'node:events'
import type { Writable } from 'node:stream'
import type { Database } from '../../backends/data/base'
import type { SqlDialect } from '../../backends/data/dialect'
import { isReaderKeyword } from '../../backends/data/readers'
import { codeWords } from '../../backends/data/sql-text'
import { qualifiedName } from '../../backends/data/table-sql'
import type { Column, TableRef } from '../../backends/data/types'
import { BackplaneError, ErrorCode, toBackplaneError } from '../../core/errors'
import { ExportOutput } from './export-output'
import { FORMATS, type ExportFormat } from './row-formats'

export type ExportSource = { table: TableRef } | { sql: string; params?: readonly unknown[] }

export interface ExportRequest {
  db: Database
  source: ExportSource
  format: ExportFormat
  /** Left open: the caller ends it (a file, an HTTP response, stdout). */
  out: Writable
  /** The id `db.cancel` stops the query by; one is made up when absent. */
  queryId?: string
  /** Aborting cancels the query at the server and fails the export with E_CANCELLED. */
  signal?: AbortSignal
  /** Once the columns are known, just before the first byte (an HTTP route sends its headers here). */
  onColumns?(columns: readonly Column[]): void
  /** After each batch; the caller decides how often to show it. */
  onProgress?(rows: number, bytes: number): void
}

export interface ExportSummary {
  rows: number
  bytes: number
  columns: string[]
}

/**
 * Every row of a table or a query, streamed to `out` as CSV or JSON lines. Rows are read in the
 * engine's batches and a batch is read only once `out` has drained the last one, so memory stays
 * constant; a failure of `out`, an abort, or `db.cancel(queryId)` stops the query at the server.
 */
export async function exportRows(request: ExportRequest): Promise<ExportSummary> {
  const { db, signal } = request
  if (!db.stream) throw unsupported(db, 'stream rows for an export')
  const statement = await exportStatement(db, request.source)
  if (signal?.aborted) throw cancelled()
  const queryId = request.queryId ?? `export-${randomUUID()}`
  const format = FORMATS[request.format].make()
  // Whatever fails the output (a full disk, a reader gone, an abort) also stops the query at the server:
  // the session is then dropped, never handed back mid-statement.
  const output = new ExportOutput(request.out, () => void Promise.resolve(db.cancel?.(queryId)).catch(() => undefined))
  let columns: string[] = []
  let rows = 0
  const onAbort = () => output.fail(cancelled())
  signal?.addEventListener('abort', onAbort, { once: true })
  try {
    await db.stream(
      statement.sql,
      statement.params,
      {
        // The base does not wait for this one, and an engine's thread calls it: it must not throw.
        columns: (given) => {
          columns = given.map((c) => c.name)
          try {
            request.onColumns?.(given)
          } catch (err) {
            output.fail(toBackplaneError(err))
          }
          output.write(format.header(given))
        },
        rows: async (batch) => {
          await output.ready()
          output.write(format.rows(batch))
          rows += batch.length
          request.onProgress?.(rows, output.bytes)
          await output.ready()
        },
      },
      { queryId },
    )
  } catch (err) {
    if (signal?.aborted) throw cancelled(err)
    throw output.failure ?? err
  } finally {
    signal?.removeEventListener('abort', onAbort)
    output.detach()
  }
  // An engine may take a failed batch for "stop reading" and answer as if the rows had run out.
  if (signal?.aborted) throw cancelled()
  if (output.failure) throw output.failure
  return { rows, bytes: output.bytes, columns }
}

/**
 * The same, into `file`: written as `<file>.partial` and renamed when complete, so that a failed or
 * cancelled export leaves nothing under either name (an existing `file` stays as it was until then).
 */
export async function exportToFile(request: Omit<ExportRequest, 'out'> & { file: string }): Promise<ExportSummary & { file: string }> {
  const { file, ...rest } = request
  const partial = `${file}.partial`
  const out = createWriteStream(partial)
  // Errors are answered through ExportOutput and the close below; this keeps a late one from crashing the process.
  out.on('error', () => undefined)
  try {
    await once(out, 'open')
  } catch (err) {
    throw fileError(err, partial)
  }
  try {
    const summary = await exportRows({ ...rest, out })
    await new Promise<void>((resolve, reject) => {
      out.once('close', () => (out.errored ? reject(fileError(out.errored, partial)) : resolve()))
      out.end()
    })
    await rename(partial, file)
    return { ...summary, file }
  } catch (err) {
    if (!out.closed) {
      const closed = once(out, 'close').catch(() => undefined)
      out.destroy()
      await closed
    }
    await rm(partial, { force: true })
    throw err
  }
}

/**
 * Words that, in code (not in a string or a comment), make a statement one that writes or locks. An
 * export is for reading; a writable alias's server would run them, so they are refused here.
 */
const WRITING_WORDS = new Set(['INSERT', 'UPDATE', 'DELETE', 'MERGE', 'REPLACE', 'UPSERT', 'TRUNCATE', 'DROP', 'ALTER', 'CREATE', 'GRANT', 'REVOKE', 'CALL', 'EXECUTE', 'COPY', 'LOCK', 'INTO', 'NEXTVAL', 'SETVAL'])

/** The one SELECT an export runs: a table's every row, or the caller's query if it reads. */
async function exportStatement(db: Database, source: ExportSource): Promise<{ sql: string; params: readonly unknown[] }> {
  const dialect = dialectOf(db)
  if ('table' in source) {
    if (!db.describe || !dialect) throw unsupported(db, 'export a table by name')
    const detail = await db.describe(source.table)
    // An engine whose catalogue answers "no columns" for a name it does not know.
    if (detail.columns.length === 0) {
      throw new BackplaneError(ErrorCode.E_NOT_FOUND, `There is no table or view "${source.table.name.slice(0, 200)}"${source.table.schema ? ` in ${source.table.schema.slice(0, 200)}` : ''}.`, {
        hint: 'Check the name (and the schema) in the table list.',
      })
    }
    return { sql: `SELECT * FROM ${qualifiedName(dialect, source.table)}`, params: [] }
  }
  const lexer = dialect?.lexer ?? {}
  // A reader's first keyword is not enough: WITH d AS (DELETE … RETURNING *) SELECT * FROM d starts as one.
  const writes = codeWords(source.sql, lexer).find((word) => WRITING_WORDS.has(word))
  if (!isReaderKeyword(source.sql, lexer) || writes) {
    throw new BackplaneError(ErrorCode.E_INVALID_INPUT, `An export runs a query that only reads (SELECT, WITH, VALUES, TABLE, SHOW, …)${writes ? `; this one has ${writes} in it` : ''}.`, {
      hint: 'Run statements that write in the SQL console; export the SELECT that shows their result.',
    })
  }
  return { sql: source.sql, params: source.params ?? [] }
}

/** BaseDatabase has a dialect; the Database interface (a custom engine's) does not promise one. */
function dialectOf(db: Database): SqlDialect | undefined {
  const dialect = (db as Database & { dialect?: unknown }).dialect
  return typeof dialect === 'object' && dialect !== null && typeof (dialect as SqlDialect).quoteIdentifier === 'function' ? (dialect as SqlDialect) : undefined
}

function unsupported(db: Database, what: string): BackplaneError {
  return new BackplaneError(ErrorCode.E_UNSUPPORTED, `The ${db.vendor} engine of this alias cannot ${what}.`, {
    hint: 'Engines built on BaseDatabase can; a custom engine needs stream(), describe() and a dialect.',
  })
}

function cancelled(cause?: unknown): BackplaneError {
  return new BackplaneError(ErrorCode.E_CANCELLED, 'The export was cancelled.', { hint: 'Nothing was kept; export again when you want the file.', ...(cause === undefined ? {} : { cause }) })
}

function fileError(err: unknown, path: string): BackplaneError {
  const error = toBackplaneError(err)
  return new BackplaneError(error.code as ErrorCode, `Cannot write ${path}: ${error.message}`, { cause: err, hint: error.hint })
}
