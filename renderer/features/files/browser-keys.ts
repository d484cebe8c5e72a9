import type { KeyboardEvent } from 'react'
import { moveFocus, selectAll, type Selection } from './selection'

export interface BrowserKeyActions {
  order: readonly string[]
  selection: Selection
  /** Tiles per row in the grid (1 in the list): ↑/↓ move by a row. */
  columns: number
  grid: boolean
  setSelection: (next: Selection) => void
  open: (name: string) => void
  goUp: () => void
  remove: (names: string[]) => void
  rename: (name: string) => void
  menu: (name: string | null) => void
}

const PAGE = 15

/**
 * The file browser's keys, on its listbox: arrows (Shift extends), Home/End, Page Up/Down, Enter opens,
 * Backspace or Alt+↑ goes up, Delete deletes, F2 renames, Ctrl/Cmd+A selects all, Esc clears,
 * Shift+F10 or the menu key opens the actions menu. (The listbox holds no fields, so no key here is typing.)
 */
export function handleBrowserKey(event: KeyboardEvent<HTMLElement>, actions: BrowserKeyActions): void {
  const { order, selection, columns, grid } = actions
  const mod = event.ctrlKey || event.metaKey
  const step = (by: number | 'first' | 'last') => () => actions.setSelection(moveFocus(selection, order, by, event.shiftKey))
  const selected = [...selection.selected]
  const focus = selection.focus
  const keys: Record<string, (() => void) | undefined> = {
    ArrowDown: step(grid ? columns : 1),
    ArrowUp: event.altKey ? actions.goUp : step(grid ? -columns : -1),
    ArrowRight: grid ? step(1) : undefined,
    ArrowLeft: grid ? step(-1) : undefined,
    Home: step('first'),
    End: step('last'),
    PageDown: step(grid ? columns * 4 : PAGE),
    PageUp: step(grid ? -columns * 4 : -PAGE),
    Enter: focus === null ? undefined : () => actions.open(focus),
    Backspace: actions.goUp,
    Delete: selected.length === 0 ? undefined : () => actions.remove(selected),
    F2: focus === null ? undefined : () => actions.rename(focus),
    Escape: selected.length === 0 ? undefined : () => actions.setSelection({ selected: new Set(), anchor: null, focus }),
    ContextMenu: () => actions.menu(focus),
    F10: event.shiftKey ? () => actions.menu(focus) : undefined,
    a: mod ? () => actions.setSelection(selectAll(order)) : undefined,
    A: mod ? () => actions.setSelection(selectAll(order)) : undefined,
  }
  const action = keys[event.key]
  if (!action || (mod && event.key !== 'a' && event.key !== 'A')) return
  event.preventDefault()
  action()
}
