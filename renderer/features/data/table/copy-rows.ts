import type { ApiClient } from '../../../api/client'
import { toCellInput } from '../cells/cell-input'
import { formatCell, plainCell } from '../cells/cell-value'
import { toCsv } from './csv'
import type { TableRef } from './table-ref'

/** Selected rows as CSV with a header (NULL as an empty field), as JSON objects, or as TSV for a spreadsheet. */

export function rowsAsCsv(columns: readonly string[], rows: readonly (readonly unknown[])[], delimiter = ','): string {
  return toCsv([columns, ...rows.map((row) => row.map((cell) => (cell === null || cell === undefined ? '' : formatCell(cell))))], delimiter)
}

export function rowsAsJson(columns: readonly string[], rows: readonly (readonly unknown[])[]): string {
  return JSON.stringify(
    rows.map((row) => Object.fromEntries(columns.map((name, i) => [name, plainCell(row[i])]))),
    null,
    2,
  )
}

/** Tab-separated without quoting, as spreadsheets paste it: tabs and line breaks inside a value become spaces. */
export function rowsAsTsv(rows: readonly (readonly unknown[])[]): string {
  return rows.map((row) => row.map((cell) => (cell === null || cell === undefined ? '' : formatCell(cell).replace(/[\t\r\n]+/g, ' '))).join('\t')).join('\n')
}

export type CopyFormat = 'csv' | 'json' | 'insert' | 'tsv'

/**
 * The rows as text in a format: INSERT statements come from the server (data.planChanges), written in
 * its dialect with its literals, never put together here.
 */
export async function rowsAsText(
  client: ApiClient,
  target: { alias: string; table: TableRef },
  columns: readonly string[],
  rows: readonly (readonly unknown[])[],
  format: CopyFormat,
): Promise<string> {
  switch (format) {
    case 'csv':
      return rowsAsCsv(columns, rows)
    case 'json':
      return rowsAsJson(columns, rows)
    case 'tsv':
      return rowsAsTsv(rows)
    case 'insert': {
      // A new row's column left to its default (undefined) is left out of its INSERT as well.
      const changes = rows.map((row) => ({ op: 'insert' as const, values: Object.fromEntries(columns.flatMap((name, i) => (row[i] === undefined ? [] : [[name, toCellInput(row[i])]]))) }))
      const planned = await client.call('data.planChanges', { alias: target.alias, table: target.table, changes })
      return planned.map((s) => `${s.display};`).join('\n')
    }
  }
}
