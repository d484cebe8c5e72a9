import { sameCell } from '../cells/cell-input'
import type { ChangeInput } from './table-ref'

/**
 * The grid's edits before they are committed: a log of what the user did, so Ctrl+Z takes back one
 * step at a time, folded into the change set data.planChanges and data.applyChanges take. Values are
 * already what the server accepts (see cells/cell-input.ts); keys are the rows' original key values.
 */

export type RowKeyValues = Record<string, unknown>

export type PendingEdit =
  | { op: 'set'; rowId: string; key: RowKeyValues; column: string; value: unknown; original: unknown }
  | { op: 'add'; rowId: string }
  | { op: 'setNew'; rowId: string; column: string; value: unknown }
  | { op: 'delete'; rows: { rowId: string; key: RowKeyValues }[] }
  | { op: 'removeNew'; rowIds: string[] }

export interface PendingSummary {
  /** Changed cells of existing rows (not deleted ones), by row. */
  updates: Map<string, { key: RowKeyValues; set: Map<string, unknown> }>
  deleted: Map<string, RowKeyValues>
  /** New rows in the order they were added, with the values typed so far (the rest get their defaults). */
  inserts: Map<string, Map<string, unknown>>
  editedCells: number
}

export function summarize(log: readonly PendingEdit[]): PendingSummary {
  const updates = new Map<string, { key: RowKeyValues; set: Map<string, unknown> }>()
  const deleted = new Map<string, RowKeyValues>()
  const inserts = new Map<string, Map<string, unknown>>()
  for (const edit of log) {
    switch (edit.op) {
      case 'set': {
        const entry = updates.get(edit.rowId) ?? { key: edit.key, set: new Map<string, unknown>() }
        if (sameCell(edit.value, edit.original)) entry.set.delete(edit.column)
        else entry.set.set(edit.column, edit.value)
        updates.set(edit.rowId, entry)
        break
      }
      case 'add':
        inserts.set(edit.rowId, new Map())
        break
      case 'setNew':
        inserts.get(edit.rowId)?.set(edit.column, edit.value)
        break
      case 'delete':
        for (const row of edit.rows) deleted.set(row.rowId, row.key)
        break
      case 'removeNew':
        for (const rowId of edit.rowIds) inserts.delete(rowId)
        break
    }
  }
  let editedCells = 0
  for (const [rowId, entry] of updates) {
    if (entry.set.size === 0 || deleted.has(rowId)) updates.delete(rowId)
    else editedCells += entry.set.size
  }
  return { updates, deleted, inserts, editedCells }
}

export const pendingCount = (summary: PendingSummary): number => summary.editedCells + summary.deleted.size + summary.inserts.size

/** Updates first (by the rows' old keys), then deletes, then inserts: a new row may take a freed key. */
export function toChanges(summary: PendingSummary): ChangeInput[] {
  const changes: ChangeInput[] = []
  for (const { key, set } of summary.updates.values()) changes.push({ op: 'update', key, set: Object.fromEntries(set) })
  for (const key of summary.deleted.values()) changes.push({ op: 'delete', key })
  for (const values of summary.inserts.values()) changes.push({ op: 'insert', values: Object.fromEntries(values) })
  return changes
}

/** "2 cells edited · 1 new row · 3 rows deleted" */
export function describePending(summary: PendingSummary): string {
  const parts: string[] = []
  if (summary.editedCells) parts.push(`${summary.editedCells} ${summary.editedCells === 1 ? 'cell' : 'cells'} edited`)
  if (summary.inserts.size) parts.push(`${summary.inserts.size} new ${summary.inserts.size === 1 ? 'row' : 'rows'}`)
  if (summary.deleted.size) parts.push(`${summary.deleted.size} ${summary.deleted.size === 1 ? 'row' : 'rows'} deleted`)
  return parts.join(' · ')
}

/** What one step of undo takes back, for its tooltip. */
export function describeEdit(edit: PendingEdit): string {
  switch (edit.op) {
    case 'set':
    case 'setNew':
      return `the edit of ${edit.column}`
    case 'add':
      return 'the new row'
    case 'delete':
      return edit.rows.length === 1 ? 'the deletion of a row' : `the deletion of ${edit.rows.length} rows`
    case 'removeNew':
      return edit.rowIds.length === 1 ? 'the removal of a new row' : `the removal of ${edit.rowIds.length} new rows`
  }
}
