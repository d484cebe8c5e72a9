import { formatCell, plainCell } from '../cells/cell-value'

/** What the copy and plan views read of a result: its columns' names and its rows of cells. */
export interface ResultTable {
  columns: readonly { name: string }[]
  rows: readonly (readonly unknown[])[]
}

export type CopyFormat = 'csv' | 'tsv' | 'json'

/** A field of CSV (RFC 4180) or TSV, quoted when it holds the separator, a quote or a line break. NULL is empty. */
function field(value: unknown, separator: string): string {
  if (value === null || value === undefined) return ''
  const text = formatCell(value)
  return text.includes(separator) || /["\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

/** Keys for JSON objects: a second `id` (from a join) becomes `id_2`, so no column is lost. */
export function uniqueNames(columns: readonly { name: string }[]): string[] {
  const seen = new Map<string, number>()
  return columns.map(({ name }) => {
    const count = (seen.get(name) ?? 0) + 1
    seen.set(name, count)
    return count === 1 ? name : `${name}_${count}`
  })
}

/** The result as text to paste: CSV or TSV with a header line, or JSON objects (JSON values unwrapped, bytes as \x hex). */
export function resultText(result: ResultTable, format: CopyFormat): string {
  if (format === 'json') {
    const names = uniqueNames(result.columns)
    const objects = result.rows.map((row) => Object.fromEntries(names.map((name, i) => [name, plainCell(row[i])])))
    return JSON.stringify(objects, null, 2)
  }
  const separator = format === 'csv' ? ',' : '\t'
  const lines = [result.columns.map((c) => field(c.name, separator)).join(separator), ...result.rows.map((row) => result.columns.map((_c, i) => field(row[i], separator)).join(separator))]
  return `${lines.join('\n')}\n`
}

/**
 * A plan as text: SQLite's EXPLAIN QUERY PLAN rows (id, parent, detail) as the indented tree the
 * sqlite3 shell draws; other servers' plans (PostgreSQL's one QUERY PLAN column) line by line.
 */
export function planText(result: ResultTable): string {
  const names = result.columns.map((c) => c.name.toLowerCase())
  const [id, parent, detail] = [names.indexOf('id'), names.indexOf('parent'), names.indexOf('detail')]
  if (id >= 0 && parent >= 0 && detail >= 0) {
    const depth = new Map<string, number>()
    return result.rows
      .map((row) => {
        const level = (depth.get(String(row[parent])) ?? -1) + 1
        depth.set(String(row[id]), level)
        return `${level === 0 ? '' : `${'   '.repeat(level - 1)}└─ `}${formatCell(row[detail])}`
      })
      .join('\n')
  }
  return result.rows.map((row) => row.map((cell) => (cell === null || cell === undefined ? '' : formatCell(cell))).join('  ')).join('\n')
}
