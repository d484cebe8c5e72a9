import type { ApiClient } from '../../../api/client'
import { ErrorCode } from '../../../../main/api/contract'
import { ApiError } from '../../../api/api-error'
import { editModeOf, parseTyped } from '../cells/cell-input'
import { CsvParser, detectDelimiter, type CsvRecord } from './csv'
import type { GridColumn } from './grid-model'
import type { TableRef } from './table-ref'

/** Bigger files belong to the database's own loader (sqlite3 .import, psql \copy, LOAD DATA). */
export const MAX_IMPORT_BYTES = 50 * 1024 * 1024
export const IMPORT_BATCH = 1000
const PREVIEW_ROWS = 20

export interface CsvPreview {
  delimiter: string
  /** The first record: a header, or (unchecked) the first data row. */
  first: string[]
  rows: string[][]
}

async function* recordsOf(file: Blob, delimiter: string, onBytes?: (read: number) => void): AsyncGenerator<CsvRecord> {
  const reader = file.stream().getReader()
  const decoder = new TextDecoder()
  const parser = new CsvParser(delimiter)
  let read = 0
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      read += value.byteLength
      onBytes?.(read)
      yield* parser.push(decoder.decode(value, { stream: true }))
    }
    yield* parser.push(decoder.decode())
    yield* parser.end()
  } finally {
    reader.releaseLock()
  }
}

/** The first rows of the file (its delimiter guessed from the first line), read without the rest. */
export async function previewCsv(file: File): Promise<CsvPreview> {
  const head = await file.slice(0, 64 * 1024).text()
  const delimiter = detectDelimiter(head)
  const records: string[][] = []
  for await (const record of recordsOf(file, delimiter)) {
    records.push(record.fields)
    if (records.length > PREVIEW_ROWS) break
  }
  return { delimiter, first: records[0] ?? [], rows: records.slice(1) }
}

/** CSV columns matched to table columns by name (case and separators aside); the rest are skipped. */
export function guessMapping(headers: readonly string[], columns: readonly GridColumn[]): (string | null)[] {
  const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '')
  return headers.map((h) => columns.find((c) => c.name === h)?.name ?? columns.find((c) => norm(c.name) === norm(h))?.name ?? null)
}

export interface ImportOptions {
  delimiter: string
  hasHeader: boolean
  /** An empty field is SQL NULL (else the empty string). */
  emptyAsNull: boolean
  /** For each CSV column, the table column it fills, or null to skip it. */
  mapping: readonly (string | null)[]
}

export interface ImportProgress {
  bytesRead: number
  inserted: number
}

export interface ImportOutcome {
  inserted: number
  cancelled: boolean
  error?: ApiError
}

function hexToBase64(hex: string): string {
  let binary = ''
  for (let i = 0; i < hex.length; i += 2) binary += String.fromCharCode(parseInt(hex.slice(i, i + 2), 16))
  return btoa(binary)
}

/** One CSV field as the value for its column, read as the grid reads a typed edit. */
function fieldValue(text: string, column: GridColumn, emptyAsNull: boolean): { ok: true; value: unknown } | { ok: false; error: string } {
  if (text === '' && emptyAsNull) return { ok: true, value: null }
  const mode = editModeOf(null, column.type)
  if (/blob|bytea|binary/i.test(column.type) && /^\\x([0-9a-f]{2})*$/i.test(text)) return { ok: true, value: { $bytes: hexToBase64(text.slice(2)) } }
  if (mode === 'text' || mode === 'bytes') return { ok: true, value: text }
  const parsed = parseTyped(text, mode, column.type)
  return parsed.ok ? parsed : { ok: false, error: `${JSON.stringify(text.slice(0, 60))} in column ${column.name}: ${parsed.error.replace(' (or set NULL)', '')}` }
}

interface PendingRow {
  values: Record<string, unknown>
  /** 1-based data row (after the header) and the file's line, for messages. */
  row: number
  line: number
}

const where = (row: PendingRow) => `CSV row ${row.row} (line ${row.line})`

/**
 * Inserts the file's rows in batches of 1000, each one data.applyChanges transaction, reading the file
 * as it goes. A batch the server refuses is halved until the one row it refuses is found: the rows
 * before it are in, and the message names it. Cancel stops before the next batch.
 */
export async function importCsv(
  client: ApiClient,
  target: { alias: string; table: TableRef; columns: readonly GridColumn[] },
  file: File,
  options: ImportOptions,
  onProgress: (progress: ImportProgress) => void,
  signal: AbortSignal,
): Promise<ImportOutcome> {
  const byName = new Map(target.columns.map((c) => [c.name, c]))
  let inserted = 0
  let bytesRead = 0
  let batch: PendingRow[] = []
  let dataRow = 0
  let headerSkipped = !options.hasHeader

  const send = async (rows: PendingRow[]): Promise<ApiError | undefined> => {
    try {
      await client.call('data.applyChanges', { alias: target.alias, table: target.table, changes: rows.map((r) => ({ op: 'insert' as const, values: r.values })) })
      inserted += rows.length
      onProgress({ bytesRead, inserted })
      return undefined
    } catch (error) {
      const apiError = ApiError.from(error)
      if (rows.length === 1) return new ApiError({ code: apiError.code, message: `${where(rows[0]!)}: ${apiError.message}`, hint: apiError.hint ?? 'Fix that row in the file and import the rest again.', details: { inserted } })
      // Only the statement's own verdict is worth narrowing down; a lost connection is not the row's fault.
      if (apiError.code !== ErrorCode.E_SQL && apiError.code !== ErrorCode.E_CONFLICT && apiError.code !== ErrorCode.E_INVALID_INPUT) return apiError
      const half = Math.ceil(rows.length / 2)
      return (await send(rows.slice(0, half))) ?? (await send(rows.slice(half)))
    }
  }

  for await (const record of recordsOf(file, options.delimiter, (read) => (bytesRead = read))) {
    if (signal.aborted) return { inserted, cancelled: true }
    if (!headerSkipped) {
      headerSkipped = true
      continue
    }
    dataRow += 1
    const values: Record<string, unknown> = {}
    for (const [i, name] of options.mapping.entries()) {
      const column = name === null ? undefined : byName.get(name)
      if (!column) continue
      const parsed = fieldValue(record.fields[i] ?? '', column, options.emptyAsNull)
      if (!parsed.ok) return { inserted, cancelled: false, error: new ApiError({ code: ErrorCode.E_INVALID_INPUT, message: `CSV row ${dataRow} (line ${record.line}): ${parsed.error}`, hint: `Rows before it (${inserted.toLocaleString('en')}) are in the table.` }) }
      values[column.name] = parsed.value
    }
    batch.push({ values, row: dataRow, line: record.line })
    if (batch.length === IMPORT_BATCH) {
      const error = await send(batch)
      if (error) return { inserted, cancelled: false, error }
      batch = []
    }
  }
  if (signal.aborted) return { inserted, cancelled: true }
  if (batch.length > 0) {
    const error = await send(batch)
    if (error) return { inserted, cancelled: false, error }
  }
  onProgress({ bytesRead, inserted })
  return { inserted, cancelled: false }
}
