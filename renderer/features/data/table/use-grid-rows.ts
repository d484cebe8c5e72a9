import { useCallback, useMemo } from 'react'
import type { CellState, RowState } from './data-grid'
import type { GridColumn, GridRow } from './grid-model'
import type { PendingSummary } from './pending-changes'
import type { LoadedRow } from './use-table-pages'

/**
 * The rows as the grid draws them: new rows first (where they are seen), then the loaded ones, each
 * cell showing its pending value over the loaded one.
 */
export function useGridRows(loaded: readonly LoadedRow[], columns: readonly GridColumn[], summary: PendingSummary) {
  const rows = useMemo<GridRow[]>(
    () => [
      ...[...summary.inserts.keys()].map((id): GridRow => ({ id, reactKey: id, kind: 'new', cells: [] })),
      ...loaded.map((r): GridRow => ({ id: r.id, reactKey: r.reactKey, kind: 'loaded', cells: r.cells })),
    ],
    [summary.inserts, loaded],
  )
  const loadedById = useMemo(() => new Map<string, LoadedRow>(loaded.map((r) => [r.id, r])), [loaded])

  /** The pending value, else the loaded one; undefined for a new row's column left to its default. */
  const valueAt = useCallback(
    (row: GridRow, col: number): unknown => {
      const name = columns[col]?.name ?? ''
      if (row.kind === 'new') {
        const values = summary.inserts.get(row.id)
        return values?.has(name) ? values.get(name) : undefined
      }
      const set = summary.updates.get(row.id)?.set
      return set?.has(name) ? set.get(name) : row.cells[col]
    },
    [columns, summary],
  )
  const cellState = (row: GridRow, col: number): CellState => (row.kind === 'loaded' && summary.updates.get(row.id)?.set.has(columns[col]?.name ?? '') ? 'edited' : undefined)
  const rowState = (row: GridRow): RowState => (row.kind === 'new' ? 'new' : summary.deleted.has(row.id) ? 'deleted' : undefined)
  const indexOf = (rowId: string) => rows.findIndex((r) => r.id === rowId)
  return { rows, loadedById, valueAt, cellState, rowState, indexOf }
}
