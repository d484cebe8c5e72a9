import type { KeyboardEvent, MouseEvent, RefObject } from 'react'
import type { PickModifiers, Selection } from './selection'
import type { EntryDrag } from './use-entry-drag'
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
  /** Entries drag onto folders: a move, or a copy with Alt or Ctrl. */
  drag: EntryDrag
}

export const modifiersOf = (event: { shiftKey: boolean; ctrlKey: boolean; metaKey: boolean }): PickModifiers => ({ range: event.shiftKey, toggle: event.ctrlKey || event.metaKey })

export function optionId(prefix: string, index: number): string {
  return `${prefix}-${index}`
}

/**
 * The mouse handlers of one entry, the same in the list and the grid: pick, open, menu, and drag (a
 * folder also takes drops). Rows select no text (CSS), so a press needs no preventDefault, which
 * would stop the drag from starting.
 */
export function entryMouseHandlers(entry: StorageEntry, { listRef, onPick, onOpen, onMenu, drag }: Pick<EntryViewProps, 'listRef' | 'onPick' | 'onOpen' | 'onMenu' | 'drag'>) {
  return {
    ...drag.source(entry),
    ...(entry.type === 'dir' ? drag.target(entry.name) : {}),
    // The focus stays on the listbox, for its keys.
    onMouseDown: () => listRef.current?.focus(),
    onClick: (event: MouseEvent) => onPick(entry, modifiersOf(event)),
    onDoubleClick: () => onOpen(entry),
    onContextMenu: (event: MouseEvent) => {
      event.preventDefault()
      onMenu(entry, event.clientX, event.clientY)
    },
  }
}
