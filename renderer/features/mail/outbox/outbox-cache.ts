import type { InfiniteData, QueryClient } from '@tanstack/react-query'
import type { MethodOutput } from '../../../../main/api/contract'

type ListPages = InfiniteData<MethodOutput<'outbox.list'>, unknown>

/**
 * Shows a read/unread change in every cached list page at once, before the server's outbox.changed
 * event refetches them: the row's bold and dot follow the click or the key without a round trip.
 */
export function markReadInCache(queryClient: QueryClient, ids: readonly number[], read: boolean): void {
  const changed = new Set(ids)
  queryClient.setQueriesData<ListPages>({ queryKey: ['outbox.list'] }, (data) =>
    data && {
      ...data,
      pages: data.pages.map((page) => ({ ...page, messages: page.messages.map((m) => (changed.has(m.id) && m.isRead !== read ? { ...m, isRead: read } : m)) })),
    },
  )
  queryClient.setQueriesData<MethodOutput<'outbox.get'>>({ queryKey: ['outbox.get'] }, (message) => (message && changed.has(message.id) ? { ...message, isRead: read } : message))
}
