import { useMemo } from 'react'
import { useApiPagedQuery, useLoadMore } from '../../api/hooks'
import { orderEntries, type SortOrder } from './entry-order'

/** Entries per page: a screenful many times over, and well under the contract's 5,000. */
const PAGE_SIZE = 1000

/**
 * One folder, a page at a time by the storage's cursor, loaded further as the list is scrolled to its
 * end; sorted and filtered in the page, over what is loaded so far.
 */
export function useFolderListing(alias: string, path: string, order: SortOrder, filter: string) {
  const listing = useApiPagedQuery(
    'storage.list',
    { alias, path },
    { firstPage: null as string | null, inputFor: (cursor) => ({ alias, path, cursor, limit: PAGE_SIZE }), nextPage: (last) => last.cursor ?? undefined },
  )
  const pages = listing.data?.pages
  const loaded = useMemo(() => pages?.flatMap((page) => page.entries) ?? [], [pages])
  const entries = useMemo(() => orderEntries(loaded, order, filter), [loaded, order, filter])
  const loadMore = useLoadMore(listing)
  return {
    entries,
    loadedCount: loaded.length,
    hasMore: listing.hasNextPage,
    loadingMore: listing.isFetchingNextPage,
    loadMore,
    isPending: listing.isPending,
    error: listing.error,
    refetch: listing.refetch,
  }
}
