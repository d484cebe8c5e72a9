import { useMemo } from 'react'
import { useApiPagedQuery, useLoadMore } from '../../../api/hooks'

const PAGE_SIZE = 100

/**
 * The outbox newest first, a page at a time as the list scrolls. Pages after the first continue
 * below the last id seen (beforeId), not at an offset, so mail arriving meanwhile neither repeats
 * nor skips a row. The total is the first page's: later pages count only what is below them.
 */
export function useOutboxMessages(query: string, mailbox: string | null) {
  const input = { query, limit: PAGE_SIZE, ...(mailbox === null ? {} : { mailbox }) }
  const list = useApiPagedQuery('outbox.list', input, {
    firstPage: null as number | null,
    inputFor: (beforeId) => (beforeId === null ? input : { ...input, beforeId }),
    nextPage: (last) => (last.messages.length < PAGE_SIZE ? undefined : last.messages.at(-1)?.id),
    keepPrevious: true,
  })
  const messages = useMemo(() => list.data?.pages.flatMap((page) => page.messages) ?? [], [list.data])
  const first = list.data?.pages[0]
  const loadMore = useLoadMore(list)
  return { list, messages, total: first?.total ?? 0, totalExact: first?.totalExact ?? true, loadMore }
}
