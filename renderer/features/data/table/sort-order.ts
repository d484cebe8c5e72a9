import type { SortInput } from './table-ref'

/** Sort cycles ascending, descending, off; Shift adds the column to the sort instead of replacing it. */
export function nextSort(current: readonly SortInput[], column: string, additive: boolean): SortInput[] {
  const at = current.findIndex((s) => s.column === column)
  const existing = current[at]
  const next = existing === undefined ? { column, descending: false } : existing.descending ? null : { column, descending: true }
  if (!additive) return next ? [next] : []
  if (at === -1) return next ? [...current, next] : [...current]
  return next ? current.map((s, i) => (i === at ? next : s)) : current.filter((_, i) => i !== at)
}
