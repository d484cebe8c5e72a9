import type { FocusEvent, KeyboardEvent, RefObject } from 'react'

interface RowKeys<Row> {
  /** The box around the table, where the rows are looked up to move the focus. */
  box: RefObject<HTMLDivElement | null>
  rows: readonly Row[]
  rowKey: (row: Row) => string
  activeKey: string | null
  onActivate: (row: Row) => void
  /** More keys, for the row the arrows are at (the key browser's Delete). */
  rowActions?: Readonly<Record<string, (row: Row) => void>>
  /**
   * Take the keys wherever the focus is in the box (the key browser: on its Load more button too, moving
   * from the active row); by default only on a row.
   */
  anywhereInBox?: boolean
}

/**
 * Arrow keys, Home/End and Page Up/Down over a VirtualTable's rows (its own Enter opens a row). Spread
 * the handlers on the box around the table. The focused row counts first: a key pressed right after a move
 * comes before React has rendered the active row that move set.
 */
export function useRowKeys<Row>({ box, rows, rowKey, activeKey, onActivate, rowActions = {}, anywhereInBox = false }: RowKeys<Row>) {
  const indexOf = (target: EventTarget) => Number((target as HTMLElement).getAttribute?.('aria-rowindex')) - 2
  const move = (to: number) => {
    const at = Math.max(0, Math.min(rows.length - 1, to))
    const row = rows[at]
    if (row === undefined) return
    onActivate(row)
    box.current?.querySelector<HTMLElement>(`[role="row"][aria-rowindex="${at + 2}"]`)?.focus()
    // A row scrolled into view is rendered a frame later.
    requestAnimationFrame(() => box.current?.querySelector<HTMLElement>(`[role="row"][aria-rowindex="${at + 2}"]`)?.focus())
  }
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const focused = indexOf(event.target)
    const index = focused >= 0 && focused < rows.length ? focused : rows.findIndex((row) => rowKey(row) === activeKey)
    const keys: Record<string, () => void> = {
      ArrowDown: () => move(index + 1),
      ArrowUp: () => move(index === -1 ? 0 : index - 1),
      Home: () => move(0),
      End: () => move(rows.length - 1),
      PageDown: () => move(index + 15),
      PageUp: () => move(index - 15),
    }
    const rowAction = rowActions[event.key]
    const action =
      keys[event.key] ??
      (rowAction &&
        (() => {
          const row = rows[index]
          if (row !== undefined) rowAction(row)
        }))
    if (!action || (focused < 0 && !anywhereInBox)) return
    event.preventDefault()
    action()
  }
  // A row reached with Tab becomes the one the arrows move from.
  const onFocus = (event: FocusEvent<HTMLDivElement>) => {
    const row = rows[indexOf(event.target)]
    if (row !== undefined && rowKey(row) !== activeKey) onActivate(row)
  }
  return { onKeyDown, onFocus, focusFirst: () => move(Math.max(0, rows.findIndex((row) => rowKey(row) === activeKey))) }
}
