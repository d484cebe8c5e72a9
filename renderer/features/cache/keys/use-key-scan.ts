import { useInfiniteQuery, type InfiniteData } from '@tanstack/react-query'
import { useCallback, useEffect, useState } from 'react'
import type { MethodOutput } from '../../../../main/api/contract'
import type { ApiError } from '../../../api/api-error'
import { apiQueryKey, useApiClient } from '../../../api/hooks'

/** Stored keys a SCAN page looks at: enough for a screen, small enough that a page answers at once on a big Redis. */
const PAGE_COUNT = 200
/**
 * Pages fetched without the user asking while nothing new shows: a SCAN with a narrow pattern may
 * answer empty pages for a while before it reaches matching keys, and a page of nothing is no answer.
 */
const AUTO_PAGES = 5

export type ScanPage = MethodOutput<'cache.scan'> & { /** When this page was read, for TTLs that tick down. */ fetchedAt: number }

/**
 * The keys matching a pattern, a cursor page at a time. Keyed like useApiQuery('cache.scan'), so
 * invalidating 'cache.scan' refreshes it after a store or a delete.
 */
export function useKeyScan(alias: string, pattern: string, raw: boolean) {
  const client = useApiClient()
  const input = { alias, pattern, raw }
  const scan = useInfiniteQuery<ScanPage, ApiError, InfiniteData<ScanPage, string | null>, readonly ['cache.scan', typeof input], string | null>({
    queryKey: apiQueryKey('cache.scan', input) as readonly ['cache.scan', typeof input],
    queryFn: async ({ pageParam }) => ({ ...(await client.call('cache.scan', { alias, pattern, raw, cursor: pageParam, count: PAGE_COUNT })), fetchedAt: Date.now() }),
    initialPageParam: null,
    getNextPageParam: (last) => last.cursor ?? undefined,
    // A listing that failed (Memcached cannot list, a missing table) says why at once instead of retrying.
    retry: false,
  })
  const { data, hasNextPage, isFetching, isFetchNextPageError, fetchNextPage } = scan
  const pages = data?.pages ?? []
  const entries = pages.flatMap((page) => page.entries.map((entry) => ({ ...entry, fetchedAt: page.fetchedAt })))

  // How many pages there were when the user last asked for more (a new pattern starts at the first).
  const inputKey = `${alias}\n${pattern}\n${raw}`
  const [asked, setAsked] = useState({ inputKey, pages: 1 })
  const askedPages = asked.inputKey === inputKey ? asked.pages : 1
  const lastPage = pages.at(-1)
  const nothingNew = lastPage !== undefined && (lastPage.entries.length === 0 || entries.length === 0)
  const mayGoOn = hasNextPage && nothingNew && pages.length - askedPages < AUTO_PAGES
  useEffect(() => {
    if (mayGoOn && !isFetching && !isFetchNextPageError) void fetchNextPage()
  }, [mayGoOn, isFetching, isFetchNextPageError, fetchNextPage])

  const loadMore = useCallback(() => {
    if (!hasNextPage || isFetching) return
    setAsked({ inputKey, pages: pages.length + 1 })
    void fetchNextPage()
  }, [hasNextPage, isFetching, fetchNextPage, inputKey, pages.length])

  return { scan, entries, loadMore, stillLooking: hasNextPage && (isFetching || (mayGoOn && !isFetchNextPageError)) }
}

export type ListedEntry = ReturnType<typeof useKeyScan>['entries'][number]
