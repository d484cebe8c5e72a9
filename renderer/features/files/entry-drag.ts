import { parentOf } from './entry-names'
import type { Selection } from './selection'

/** The drag's own type, so a drop of files from the desktop (an upload) is never taken for a move. */
export const ENTRIES_MIME = 'application/x-backplane-entries'

export interface DraggedEntries {
  alias: string
  names: readonly string[]
}

/** What a drag of `name` carries: the whole selection when the entry is part of it, as in a file manager; the entry alone otherwise. */
export function draggedNames(name: string, selection: Selection): string[] {
  return selection.selected.has(name) ? [...selection.selected] : [name]
}

/**
 * Whether dragged entries may go into `folder` of `alias`: not across aliases (that is the Copy or
 * Move dialog's job, with its conflict choice shown), never into one of themselves, and not where
 * they all already are.
 */
export function canDropInto(dragged: DraggedEntries, alias: string, folder: string): boolean {
  if (dragged.alias !== alias || dragged.names.length === 0) return false
  if (dragged.names.some((name) => folder === name || folder.startsWith(`${name}/`))) return false
  return !dragged.names.every((name) => parentOf(name) === folder)
}

/** Alt (Option) or Ctrl held at the drop copies, as in Finder, Explorer and Files; otherwise the entries move. */
export function dropKind(modifiers: { altKey: boolean; ctrlKey: boolean }): 'copy' | 'move' {
  return modifiers.altKey || modifiers.ctrlKey ? 'copy' : 'move'
}
