import type { Column } from '../../backends/data/types'

/**
 * How the lossless JSON cells of `backends/data/cells.ts` are written to a file. CSV (RFC 4180) has only
 * text, so each cell becomes the text a user expects in a spreadsheet; JSON lines keep the tagged cells,
 * so nothing a grid shows is lost. See docs/data.md (Exporting rows) for the table of both.
 */
export type ExportFormat = 'csv' | 'jsonl'

export interface RowFormat {
  /** What starts the file once the columns are known (CSV's header row; nothing for JSON lines). */
  header(columns: readonly Column[]): string
  /** One batch of rows as text, in the order given. */
  rows(batch: readonly (readonly unknown[])[]): string
}

export const FORMATS: Record<ExportFormat, { contentType: string; extension: string; make(): RowFormat }> = {
  csv: { contentType: 'text/csv; charset=utf-8', extension: 'csv', make: csvFormat },
  jsonl: { contentType: 'application/x-ndjson', extension: 'jsonl', make: jsonlFormat },
}

// --- CSV ---------------------------------------------------------------------------------------

const NEEDS_QUOTES = /[",\r\n]/

/**
 * One CSV field. SQL NULL is the empty field and the empty string is `""`, so the two stay apart (as in
 * PostgreSQL's `COPY … CSV`); bytes are `\x` and hex (PostgreSQL's bytea text, which `COPY FROM` reads
 * back); JSON values and arrays their JSON text; big integers and decimals their exact digits.
 */
export function csvField(cell: unknown): string {
  if (cell === null || cell === undefined) return ''
  if (typeof cell === 'string') return cell === '' || NEEDS_QUOTES.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell
  if (typeof cell === 'number' || typeof cell === 'boolean') return String(cell)
  return csvField(cellText(cell as object))
}

function cellText(cell: object): string {
  if (Array.isArray(cell)) return JSON.stringify(cell.map(jsonlCell))
  const tagged = cell as { $bytes?: unknown; $json?: unknown; $text?: unknown }
  if (typeof tagged.$bytes === 'string') return `\\x${Buffer.from(tagged.$bytes, 'base64').toString('hex')}`
  if (Object.hasOwn(cell, '$json')) return JSON.stringify(tagged.$json) ?? 'null'
  if (typeof tagged.$text === 'string') return tagged.$text
  return JSON.stringify(cell)
}

function csvFormat(): RowFormat {
  return {
    header: (columns) => columns.map((c) => csvField(c.name)).join(',') + '\r\n',
    rows: (batch) => {
      let text = ''
      for (const row of batch) {
        for (let i = 0; i < row.length; i++) {
          if (i > 0) text += ','
          text += csvField(row[i])
        }
        text += '\r\n'
      }
      return text
    },
  }
}

// --- JSON lines --------------------------------------------------------------------------------

/**
 * A cell as JSON: the cell itself, except that bytes drop their `size` (the length of what `$bytes`
 * holds, which an export never cuts): `{ "$bytes": base64 }` is exactly what the API takes as a parameter.
 */
export function jsonlCell(cell: unknown): unknown {
  if (typeof cell !== 'object' || cell === null) return cell ?? null
  if (Array.isArray(cell)) return cell.map(jsonlCell)
  const tagged = cell as { $bytes?: unknown }
  return typeof tagged.$bytes === 'string' ? { $bytes: tagged.$bytes } : cell
}

/** Column names as object keys: a second `id` (a join's) becomes `id_2`, so no value overwrites another. */
export function uniqueKeys(columns: readonly Column[]): string[] {
  const taken = new Set<string>()
  return columns.map(({ name }) => {
    let key = name
    for (let n = 2; taken.has(key); n++) key = `${name}_${n}`
    taken.add(key)
    return key
  })
}

function jsonlFormat(): RowFormat {
  let keys: string[] = []
  return {
    header: (columns) => {
      keys = uniqueKeys(columns).map((k) => `${JSON.stringify(k)}:`)
      return ''
    },
    rows: (batch) => {
      let text = ''
      for (const row of batch) {
        text += '{'
        for (let i = 0; i < row.length; i++) {
          if (i > 0) text += ','
          const cell = row[i]
          text += (keys[i] ?? `${JSON.stringify(String(i))}:`) + (typeof cell === 'object' && cell !== null ? JSON.stringify(jsonlCell(cell)) : JSON.stringify(cell ?? null))
        }
        text += '}\n'
      }
      return text
    },
  }
}
