import type { KeyboardEvent } from 'react'

/** What the table view does for each key of the grid (the grid has the focus, no editor is open). */
export interface GridKeyActions {
  /** Moves the focused cell by rows and columns ('start'/'end': to the first/last); Shift extends the selection. */
  move: (rows: number | 'start' | 'end', cols: number | 'start' | 'end', extend: boolean) => void
  /** Opens the editor, with the character typed when typing started it. */
  edit: (typed?: string) => void
  inspect: () => void
  deleteRows: () => void
  addRow: () => void
  undo: () => void
  review: () => void
  selectAll: () => void
  copy: () => void
  clearSelection: () => void
}

/** The grid's shortcuts (listed for users in shortcuts-help.tsx); returns whether the key was taken. */
export function handleGridKey(event: KeyboardEvent, actions: GridKeyActions, pageRows: number): boolean {
  const mod = event.metaKey || event.ctrlKey
  const shift = event.shiftKey
  if (mod) {
    const withMod: Record<string, () => void> = { z: actions.undo, s: actions.review, a: actions.selectAll, c: actions.copy }
    const action = withMod[event.key.toLowerCase()]
    action?.()
    return action !== undefined
  }
  const plain: Record<string, () => void> = {
    ArrowDown: () => actions.move(1, 0, shift),
    ArrowUp: () => actions.move(-1, 0, shift),
    ArrowRight: () => actions.move(0, 1, false),
    ArrowLeft: () => actions.move(0, -1, false),
    PageDown: () => actions.move(pageRows, 0, shift),
    PageUp: () => actions.move(-pageRows, 0, shift),
    Home: () => actions.move(0, 'start', false),
    End: () => actions.move(0, 'end', false),
    Enter: () => actions.edit(),
    F2: () => actions.edit(),
    ' ': actions.inspect,
    Delete: actions.deleteRows,
    Backspace: actions.deleteRows,
    Insert: actions.addRow,
    Escape: actions.clearSelection,
  }
  const action = plain[event.key]
  if (action) {
    action()
    return true
  }
  // Typing on a cell starts editing it with what was typed, as in a spreadsheet.
  if (event.key.length === 1 && !event.altKey) {
    actions.edit(event.key)
    return true
  }
  return false
}
