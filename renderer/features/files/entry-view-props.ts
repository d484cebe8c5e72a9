import type { KeyboardEvent, MouseEvent, RefObject } from 'react'
import type { PickModifiers, Selection } from './selection'
import type { StorageEntry } from './types'

/** What the list and the grid share: the entries in screen order, the selection, and what a click does. */
export interface EntryViewProps {
  alias: string
  entries: readonly StorageEntry[]
  selection: Selection
  /** Prefix of the options' ids, for aria-activedescendant. */
  idPrefix: string
  height: number
  listRef: RefObject<HTMLDivElement | null>
  onKeyDown: (event: KeyboardEvent<HTMLDivElement>) => void
  onPick: (entry: StorageEntry, modifiers: PickModifiers) => void
  onOpen: (entry: StorageEntry) => void
  /** A right-click (or the row's ⋯ button) on an entry, or on the empty space below them (null). */
  onMenu: (entry: StorageEntry | null, x: number, y: number) => void
  onEndReached: () => void
  /** The grid tells how many tiles fit a row, for the arrow keys. */
  onColumns?: (columns: number) => void
  label: string
}

export const modifiersOf = (event: { shiftKey: boolean; ctrlKey: boolean; metaKey: boolean }): PickModifiers => ({ range: event.shiftKey, toggle: event.ctrlKey || event.metaKey })

export function optionId(prefix: string, index: number): string {
  return `${prefix}-${index}`
}

/** The mouse handlers of one entry, the same in the list and the grid. */
export function entryMouseHandlers(entry: StorageEntry, { listRef, onPick, onOpen, onMenu }: Pick<EntryViewProps, 'listRef' | 'onPick' | 'onOpen' | 'onMenu'>) {
  return {
    onMouseDown: (event: MouseEvent) => {
      // Keep the focus on the listbox (its keys), and no text selection on Shift-click.
      if (event.button === 0) event.preventDefault()
      listRef.current?.focus()
    },
    onClick: (event: MouseEvent) => onPick(entry, modifiersOf(event)),
    onDoubleClick: () => onOpen(entry),
    onContextMenu: (event: MouseEvent) => {
      event.preventDefault()
      onMenu(entry, event.clientX, event.clientY)
    },
  }
}
