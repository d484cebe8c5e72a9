import { keepPreviousData, useInfiniteQuery, type InfiniteData } from '@tanstack/react-query'
import { useMemo, useRef } from 'react'
import type { ApiError } from '../../../api/api-error'
import { useApiClient } from '../../../api/hooks'
import { toCellInput } from '../cells/cell-input'
import { isCut } from '../cells/cell-value'
import type { RowKeyValues } from './pending-changes'
import type { FilterInput, SortInput, TablePage, TableRef } from './table-ref'

export const PAGE_SIZE = 200

type PageParam = { offset: number; after?: unknown[] }

/** One row of the grid as loaded: its cells, and how it is named to the server and to React. */
export interface LoadedRow {
  /** Names the row for edits: its primary key's values, or (no key) all of its values. */
  id: string
  /** Unique in the list (rows of a table without a key can be equal). */
  reactKey: string
  cells: unknown[]
  /** The WHERE of an edit: primary-key values, or every column whose whole value the grid has. */
  key: RowKeyValues
}

function rowsOf(pages: readonly TablePage[]): LoadedRow[] {
  const out: LoadedRow[] = []
  for (const page of pages) {
    const names = page.columns.map((c) => c.name)
    for (const cells of page.rows) {
      const keyed = page.keyColumns.length > 0
      const keyIndexes = keyed ? page.keyColumns : cells.flatMap((cell, i) => (isCut(cell) ? [] : [i]))
      const keyValues = keyIndexes.map((i) => toCellInput(cells[i]))
      const id = keyed ? `k:${JSON.stringify(keyValues)}` : `r:${JSON.stringify(cells.map(toCellInput))}`
      out.push({
        id,
        reactKey: keyed ? id : `${id}#${out.length}`,
        cells,
        key: Object.fromEntries(keyIndexes.map((i, n) => [names[i]!, keyValues[n]])),
      })
    }
  }
  return out
}

/**
 * The table's rows, a page of 200 at a time from data.page as the grid scrolls: by keyset (the last
 * row's key values as `after`) when the server pages by the primary key, by offset otherwise. Sort and
 * filters are part of the key, so changing them starts again at the first page (the old rows stay
 * shown until it arrives). A page that is slow can be stopped at the server.
 */
export function useTablePages(alias: string, table: TableRef, sort: readonly SortInput[], filters: readonly FilterInput[]) {
  const client = useApiClient()
  const running = useRef<string | null>(null)
  const query = useInfiniteQuery<TablePage, ApiError, InfiniteData<TablePage, PageParam>, readonly unknown[], PageParam>({
    queryKey: ['data.page', { alias, table, sort, filters }],
    queryFn: async ({ pageParam }) => {
      const queryId = `page-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`
      running.current = queryId
      try {
        return await client.call('data.page', { alias, table, limit: PAGE_SIZE, sort: [...sort], filters: [...filters], queryId, ...pageParam })
      } finally {
        if (running.current === queryId) running.current = null
      }
    },
    initialPageParam: { offset: 0 },
    getNextPageParam: (last, all) => {
      if (!last.truncated) return undefined
      const lastRow = last.rows.at(-1)
      if (last.paging === 'keyset' && lastRow && last.keyColumns.length > 0) return { offset: 0, after: last.keyColumns.map((i) => toCellInput(lastRow[i])) }
      return { offset: all.reduce((sum, page) => sum + page.rows.length, 0) }
    },
    placeholderData: keepPreviousData,
    // A table's rows change under the grid only when the user asks (refresh, commit): no refetch on focus.
    refetchOnWindowFocus: false,
    staleTime: Number.POSITIVE_INFINITY,
  })
  const pages = query.data?.pages
  const rows = useMemo(() => rowsOf(pages ?? []), [pages])
  const cancel = () => {
    const queryId = running.current
    if (queryId) void client.call('data.cancel', { alias, queryId }).catch(() => undefined)
  }
  return { query, pages: pages ?? [], rows, last: pages?.at(-1), cancel }
}
