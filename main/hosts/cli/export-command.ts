import { rmSync } from 'node:fs'
import { extname, resolve } from 'node:path'
import { App } from '../../api/app'
import { backendOf } from '../../api/handlers/backend-of'
import { isDatabase } from '../../backends/data/base'
import { resolveDataDir } from '../../core/data-dir'
import { ErrorCode, toBackplaneError } from '../../core/errors'
import { escapeLogText } from '../../core/log'
import { exportRows, exportToFile, type ExportFormat, type ExportRequest, type ExportSummary } from '../../services/data-export'

export interface ExportCommandOptions {
  /** The kind after `export`: only `data` has rows to export. */
  what: string | undefined
  alias: string | undefined
  table: string | undefined
  schema: string | undefined
  sql: string | undefined
  format: string | undefined
  /** A file, or `-` for standard output. */
  out: string | undefined
  /** Show progress on stderr even when it is not a terminal. */
  progress: boolean
}

const PROGRESS_MS = 500
const CLOSE_MS = 3_000
/** 128 + the signal's number, as shells report a command ended by it. */
const EXIT_INTERRUPTED = 130
const EXIT_BROKEN_PIPE = 141

/**
 * `backplane export data --alias A (--table T [--schema S] | --sql "…") [--format csv|jsonl] --out FILE|-`:
 * every row, streamed to a file (written as FILE.partial and renamed when complete) or to stdout. It
 * opens the app on the data directory in this process, as `call --local` does: the rows go to a local
 * file, and a running app would only have to send them here. Ctrl-C cancels the query at the server,
 * leaves no file and exits 130.
 */
export async function exportCommand(options: ExportCommandOptions): Promise<number> {
  const parsed = parseOptions(options)
  if (typeof parsed === 'string') return usageError(parsed)
  const app = await App.open({ host: 'cli', dataDir: resolveDataDir() })
  const controller = new AbortController()
  let interrupted = false
  const partial = parsed.file === undefined ? undefined : `${parsed.file}.partial`
  const onSignal = () => {
    if (interrupted) {
      // A second Ctrl-C does not wait for the server to stop the query.
      if (partial) rmSync(partial, { force: true })
      process.exit(EXIT_INTERRUPTED)
    }
    interrupted = true
    controller.abort()
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  const progress = options.progress || process.stderr.isTTY ? new ProgressLine(process.stderr.isTTY) : undefined
  const started = performance.now()
  try {
    const db = await backendOf(app, 'data', parsed.alias, isDatabase)
    const request: Omit<ExportRequest, 'out'> = {
      db,
      source: parsed.source,
      format: parsed.format,
      signal: controller.signal,
      ...(progress ? { onProgress: (rows: number, bytes: number) => progress.update(rows, bytes) } : {}),
    }
    const summary: ExportSummary = parsed.file === undefined ? await exportRows({ ...request, out: process.stdout }) : await exportToFile({ ...request, file: parsed.file })
    progress?.done()
    process.stderr.write(`Exported ${summary.rows.toLocaleString('en')} rows (${megabytes(summary.bytes)}) ${parsed.file === undefined ? 'to standard output' : `to ${parsed.file}`} in ${((performance.now() - started) / 1000).toFixed(1)} s.\n`)
    return 0
  } catch (err) {
    progress?.done()
    const error = toBackplaneError(err)
    if (interrupted) {
      process.stderr.write('backplane: export cancelled; no file was written.\n')
      return EXIT_INTERRUPTED
    }
    // `backplane export … --out - | head`: the reader has what it wanted.
    if (parsed.file === undefined && error.code === ErrorCode.E_CANCELLED) return EXIT_BROKEN_PIPE
    process.stderr.write(`backplane: ${error.code}: ${escapeLogText(error.message)}${error.hint ? `\n  hint: ${escapeLogText(error.hint)}` : ''}\n`)
    return 1
  } finally {
    // A cancelled statement the server is slow to drop (SQLite inside one long step) does not hold the exit.
    await Promise.race([app.close(), new Promise((r) => setTimeout(r, CLOSE_MS).unref())])
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  }
}

interface ParsedExport {
  alias: string
  source: ExportRequest['source']
  format: ExportFormat
  /** Undefined for stdout. */
  file: string | undefined
}

/** The options checked together; a string is what is wrong with them. */
function parseOptions(o: ExportCommandOptions): ParsedExport | string {
  if (o.what !== 'data') return o.what ? `export takes "data", not "${o.what}"` : 'export needs what to export: backplane export data --alias default --table users --out users.csv'
  if ((o.table === undefined) === (o.sql === undefined)) return 'export data needs --table NAME or --sql "SELECT …" (one of them)'
  if (o.schema !== undefined && o.table === undefined) return '--schema goes with --table'
  if (!o.out) return 'export data needs --out FILE (or --out - for standard output)'
  const format = o.format ?? formatOfFile(o.out)
  if (format !== 'csv' && format !== 'jsonl') return `--format is csv or jsonl, not "${format}"`
  const source: ExportRequest['source'] = o.table !== undefined ? { table: { name: o.table, ...(o.schema !== undefined ? { schema: o.schema } : {}) } } : { sql: o.sql! }
  return { alias: o.alias ?? 'default', source, format, file: o.out === '-' ? undefined : resolve(o.out) }
}

function formatOfFile(out: string): string {
  const ext = extname(out).toLowerCase()
  return ext === '.jsonl' || ext === '.ndjson' ? 'jsonl' : 'csv'
}

/** Rows, megabytes and rows per second on one line of stderr, at most every PROGRESS_MS. */
class ProgressLine {
  private readonly started = performance.now()
  private last = performance.now()
  private shown = false

  constructor(private readonly terminal: boolean) {}

  update(rows: number, bytes: number): void {
    const now = performance.now()
    if (now - this.last < PROGRESS_MS) return
    this.last = now
    const rate = rows / Math.max(0.001, (now - this.started) / 1000)
    const line = `${rows.toLocaleString('en')} rows  ${megabytes(bytes)}  ${Math.round(rate).toLocaleString('en')} rows/s`
    process.stderr.write(this.terminal ? `\r${line}\x1b[K` : `${line}\n`)
    this.shown = true
  }

  done(): void {
    if (this.shown && this.terminal) process.stderr.write('\r\x1b[K')
    this.shown = false
  }
}

function megabytes(bytes: number): string {
  return `${(bytes / 1_000_000).toFixed(1)} MB`
}

function usageError(message: string): number {
  process.stderr.write(`backplane: ${message}\n  hint: backplane export data --alias default (--table T [--schema S] | --sql "SELECT …") [--format csv|jsonl] --out FILE|-\n`)
  return 2
}

/** For `--help`. */
export const EXPORT_USAGE = `  export data --alias A (--table T [--schema S] | --sql "SELECT …") [--format csv|jsonl] --out FILE|-
                          stream every row of a table or query to a file (or - for stdout), in
                          this process; progress on stderr (a terminal, or --progress); Ctrl-C
                          cancels and leaves no file`
