import { useState } from 'react'
import type { EditMove } from '../cells/cell-editor'
import { editModeOf, editTextOf, toCellInput } from '../cells/cell-input'
import { isCut } from '../cells/cell-value'
import type { CellPosition, GridColumn, GridRow } from './grid-model'
import type { PendingEdit, PendingSummary } from './pending-changes'
import type { RowState } from './data-grid'
import type { LoadedRow } from './use-table-pages'

export interface Editing extends CellPosition {
  initialText: string
  /** JSON and multi-line text get a dialog instead of the inline input. */
  dialog: boolean
}

interface CellEditingContext {
  rows: readonly GridRow[]
  columns: readonly GridColumn[]
  loadedById: ReadonlyMap<string, LoadedRow>
  summary: PendingSummary
  valueAt: (row: GridRow, col: number) => unknown
  rowState: (row: GridRow) => RowState
  indexOf: (rowId: string) => number
  /** Why nothing may be edited, or null. */
  readOnly: string | null
  push: (edit: PendingEdit) => void
  setFocus: (position: CellPosition) => void
  /** Binary values open in the inspector instead. */
  inspect: (rowId: string, col: number) => void
  say: (title: string, message?: string) => void
  /** The grid takes the keyboard back when an editor closes. */
  refocus: () => void
}

/**
 * Which cell is being edited, and what keeping or leaving an edit does: a kept value becomes a pending
 * edit (by the row's original key), Tab moves on to the next cell. Binary values and values the server
 * sent only the start of are not edited here, and the user is told why.
 */
export function useCellEditing(context: CellEditingContext) {
  const { rows, columns, loadedById, summary, valueAt, rowState, indexOf, readOnly, push, setFocus, inspect, say, refocus } = context
  const [editing, setEditing] = useState<Editing | null>(null)

  const startEdit = (rowId: string, col: number, typed?: string) => {
    const row = rows[indexOf(rowId)]
    const column = columns[col]
    if (!row || !column) return
    if (readOnly) return say('Not editable', readOnly)
    if (rowState(row) === 'deleted') return say('This row is deleted', 'Undo the deletion to edit it.')
    const value = valueAt(row, col) ?? null
    const mode = editModeOf(value, column.type)
    if (mode === 'bytes') {
      inspect(rowId, col)
      return say('Binary values are not edited in the grid', 'Use an UPDATE with a parameter in the SQL console.')
    }
    if (isCut(value)) return say('Only the start of this value was loaded', 'Edit it with an UPDATE in the SQL console, so nothing is lost.')
    const text = typed ?? editTextOf(value)
    setFocus({ rowId, col })
    setEditing({ rowId, col, initialText: text, dialog: mode === 'json' || text.includes('\n') || text.length > 200 })
  }

  const keepEdit = (value: unknown, move: EditMove = 'stay') => {
    if (!editing) return
    const column = columns[editing.col]
    const source = loadedById.get(editing.rowId)
    if (column && summary.inserts.has(editing.rowId)) push({ op: 'setNew', rowId: editing.rowId, column: column.name, value })
    else if (column && source) push({ op: 'set', rowId: source.id, key: source.key, column: column.name, value, original: toCellInput(source.cells[editing.col]) })
    setEditing(null)
    const next = editing.col + (move === 'right' ? 1 : move === 'left' ? -1 : 0)
    if ((move === 'right' || move === 'left') && next >= 0 && next < columns.length) startEdit(editing.rowId, next)
    else refocus()
  }

  const cancelEdit = () => {
    setEditing(null)
    refocus()
  }

  /** A row just added is not in this render's rows yet: its editor opens directly. */
  const editNewRow = (rowId: string, col: number) => setEditing({ rowId, col, initialText: '', dialog: false })

  return { editing, startEdit, keepEdit, cancelEdit, editNewRow }
}
