import { useState } from 'react'
import type { CellPosition, GridRow } from './grid-model'

interface Modifiers {
  shiftKey: boolean
  metaKey: boolean
  ctrlKey: boolean
}

/**
 * The grid's focused cell and selected rows, as a spreadsheet has them: a click selects one row, Shift
 * extends from the last clicked one, Ctrl/Cmd adds or removes one. Rows are named by id, so the
 * selection survives pages arriving and rows added on top.
 */
export function useRowSelection(rows: readonly GridRow[]) {
  const [focus, setFocus] = useState<CellPosition | null>(null)
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set())
  const [anchor, setAnchor] = useState<number | null>(null)

  const selectTo = (index: number, modifiers: Modifiers) => {
    const row = rows[index]
    if (!row) return
    if (modifiers.shiftKey && anchor !== null) {
      const [from, to] = anchor < index ? [anchor, index] : [index, anchor]
      setSelected(new Set(rows.slice(from, to + 1).map((r) => r.id)))
      return
    }
    setAnchor(index)
    if (modifiers.metaKey || modifiers.ctrlKey) {
      setSelected((current) => {
        const next = new Set(current)
        if (next.has(row.id)) next.delete(row.id)
        else next.add(row.id)
        return next
      })
    } else setSelected(new Set([row.id]))
  }

  return {
    focus,
    setFocus,
    selected,
    select: (ids: Iterable<string>) => setSelected(new Set(ids)),
    selectTo,
    /** The selected rows in grid order; the focused one when none is selected. */
    chosen: (): GridRow[] => {
      const ids = selected.size > 0 ? selected : new Set(focus ? [focus.rowId] : [])
      return rows.filter((r) => ids.has(r.id))
    },
  }
}
