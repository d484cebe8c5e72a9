import { useDebouncedValue } from '@mantine/hooks'
import { useEffect, useMemo } from 'react'
import { useApiPagedQuery, useLoadMore } from '../../api/hooks'
import { orderEntries, type SortOrder } from './entry-order'

/** Entries per page: a screenful many times over, and well under the contract's 5,000. */
const PAGE_SIZE = 1000
/** While filtering, further pages are asked for on their own until this many matches show (or none are left). */
const FILTER_FILL = 100
const FILTER_DEBOUNCE_MS = 200
/** storage.list's own bound on `contains`; no name is longer. */
export const MAX_FILTER = 255

/**
 * One folder, a page at a time by the storage's cursor, loaded further as the list is scrolled to its
 * end, and sorted over what is loaded so far. The name filter is the server's (`contains`), so it finds
 * names in pages not loaded yet; it also applies at once to what is shown, while the server's answer comes.
 */
export function useFolderListing(alias: string, path: string, order: SortOrder, filter: string) {
  const text = filter.trim().slice(0, MAX_FILTER)
  // Debounced with the folder it was typed in: a new folder never gets the old folder's filter, and an
  // emptied filter lists everything at once.
  const place = `${alias}\u0000${path}\u0000`
  const [debounced] = useDebouncedValue(place + text, FILTER_DEBOUNCE_MS)
  const contains = text !== '' && debounced.startsWith(place) ? debounced.slice(place.length) : ''
  const listing = useApiPagedQuery(
    'storage.list',
    { alias, path, contains },
    {
      firstPage: null as string | null,
      inputFor: (cursor) => ({ alias, path, cursor, limit: PAGE_SIZE, contains }),
      nextPage: (last) => last.cursor ?? undefined,
      // The old matches stay on screen while a new filter's come; another folder shows its own loading.
      keepPrevious: (previous) => previous.alias === alias && previous.path === path,
    },
  )
  const pages = listing.data?.pages
  const loaded = useMemo(() => pages?.flatMap((page) => page.entries) ?? [], [pages])
  const entries = useMemo(() => orderEntries(loaded, order, filter), [loaded, order, filter])
  const loadMore = useLoadMore(listing)
  // A filtered page may hold few matches or none (the server looks through a part of the folder per
  // call): look further on its own until the screen has some, rather than show "empty".
  const filling = contains !== '' && listing.hasNextPage && loaded.length < FILTER_FILL
  useEffect(() => {
    if (filling && !listing.isFetchingNextPage && !listing.isPlaceholderData) loadMore()
  }, [filling, listing.isFetchingNextPage, listing.isPlaceholderData, loadMore])
  return {
    filtering: text !== '',
    searching: filling || listing.isPlaceholderData,
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
