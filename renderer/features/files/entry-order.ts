import { nameMatcher } from '../../../main/api/contract'
import type { StorageEntry } from './types'
import { baseName } from './entry-names'

export type SortKey = 'name' | 'size' | 'modified'
export interface SortOrder {
  key: SortKey
  descending: boolean
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' })

const compareBy: Record<SortKey, (a: StorageEntry, b: StorageEntry) => number> = {
  name: (a, b) => collator.compare(baseName(a.name), baseName(b.name)),
  // Unknown sizes and times sort as the smallest, so they gather at one end instead of scattering.
  size: (a, b) => (a.size ?? -1) - (b.size ?? -1),
  modified: (a, b) => Date.parse(a.modified ?? '') - Date.parse(b.modified ?? '') || 0,
}

/**
 * The order a file manager shows: folders first, then by the chosen key (ties by name, so the order is
 * stable), and only the entries whose name contains the filter (case and composition aside). It orders what is loaded:
 * the server pages by name, so a size or date order is of the pages loaded so far.
 */
export function orderEntries(entries: readonly StorageEntry[], order: SortOrder, filter: string): StorageEntry[] {
  const needle = filter.trim()
  // The storage's own match (storage.list's contains), so the instant filter and the server's agree.
  const matches = nameMatcher(needle)
  const shown = needle ? entries.filter((entry) => matches(baseName(entry.name))) : [...entries]
  const direction = order.descending ? -1 : 1
  return shown.sort((a, b) => {
    if (a.type !== b.type) return a.type === 'dir' ? -1 : 1
    const primary = compareBy[order.key](a, b) * direction
    return primary || compareBy.name(a, b)
  })
}
