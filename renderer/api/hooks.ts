import { createContext, useCallback, useContext, useEffect, useRef, useSyncExternalStore } from 'react'
import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, type InfiniteData, type UseMutationOptions, type UseMutationResult, type UseQueryOptions, type UseQueryResult } from '@tanstack/react-query'
import type { EventName, EventPayload, MethodInput, MethodName, MethodOutput } from '../../main/api/contract'
import type { ApiError } from './api-error'
import type { ApiClient, ConnectionStatus } from './client'

export const ApiClientContext = createContext<ApiClient | null>(null)

export function useApiClient(): ApiClient {
  const client = useContext(ApiClientContext)
  if (!client) throw new Error('useApiClient() needs <ApiClientContext value={client}> above it.')
  return client
}

/** Query keys are `[method, input]`, so invalidating by method name alone reaches every input. */
export function apiQueryKey<M extends MethodName>(method: M, input: MethodInput<M>): readonly [M, MethodInput<M>] {
  return [method, input] as const
}

export type ApiQueryOptions<M extends MethodName, T = MethodOutput<M>> = Omit<
  UseQueryOptions<MethodOutput<M>, ApiError, T, readonly [M, MethodInput<M>]>,
  'queryKey' | 'queryFn'
>

export function useApiQuery<M extends MethodName, T = MethodOutput<M>>(method: M, input: MethodInput<M>, options?: ApiQueryOptions<M, T>): UseQueryResult<T, ApiError> {
  const client = useApiClient()
  return useQuery({
    ...options,
    queryKey: apiQueryKey(method, input),
    queryFn: () => client.call(method, input),
  })
}

export type ApiMutationOptions<M extends MethodName> = Omit<UseMutationOptions<MethodOutput<M>, ApiError, MethodInput<M>>, 'mutationFn'>

export function useApiMutation<M extends MethodName>(method: M, options?: ApiMutationOptions<M>): UseMutationResult<MethodOutput<M>, ApiError, MethodInput<M>> {
  const client = useApiClient()
  return useMutation({
    ...options,
    mutationFn: (input: MethodInput<M>) => client.call(method, input),
  })
}

/** Subscribes for the component's lifetime; the latest handler is always the one called. */
export function useApiEvent<E extends EventName>(event: E, handler: (payload: EventPayload<E>) => void): void {
  const client = useApiClient()
  const latest = useRef(handler)
  useEffect(() => {
    latest.current = handler
  })
  useEffect(() => client.on(event, (payload) => latest.current(payload)), [client, event])
}

export function useConnectionStatus(): ConnectionStatus {
  const { transport } = useApiClient()
  return useSyncExternalStore(
    (onChange) => transport.onStatus(onChange),
    () => transport.status(),
  )
}

interface PagedQuery<M extends MethodName, P> {
  firstPage: P
  /** The method's input for one page. */
  inputFor: (pageParam: P) => MethodInput<M>
  /** The next page's parameter, or undefined after the last page. */
  nextPage: (lastPage: MethodOutput<M>, allPages: MethodOutput<M>[]) => P | undefined
  enabled?: boolean
  /**
   * While a new input (a search as it is typed) loads, keep showing the previous answer instead of
   * nothing; or only when the previous input passes the check (the same folder, another filter).
   */
  keepPrevious?: boolean | ((previous: MethodInput<M>) => boolean)
}

/**
 * A list the backend serves a page at a time (a cursor or an offset), loaded on demand with "load
 * more" or at the end of a virtual list: nothing loads "all" (ARCHITECTURE.md). Keyed like
 * useApiQuery, so invalidating by method name refreshes it too.
 */
export function useApiPagedQuery<M extends MethodName, P>(method: M, input: MethodInput<M>, paging: PagedQuery<M, P>) {
  const client = useApiClient()
  return useInfiniteQuery<MethodOutput<M>, ApiError, InfiniteData<MethodOutput<M>, P>, readonly [M, MethodInput<M>], P>({
    queryKey: apiQueryKey(method, input),
    queryFn: ({ pageParam }) => client.call(method, paging.inputFor(pageParam as P)),
    initialPageParam: paging.firstPage,
    getNextPageParam: (lastPage, allPages) => paging.nextPage(lastPage, allPages),
    ...(paging.enabled === undefined ? {} : { enabled: paging.enabled }),
    ...placeholderOf(paging.keepPrevious),
  })
}

/** Asks for the next page unless there is none or one is loading: for a list's end and its "Load more". */
export function useLoadMore({ hasNextPage, isFetchingNextPage, fetchNextPage }: { hasNextPage: boolean; isFetchingNextPage: boolean; fetchNextPage: () => Promise<unknown> }): () => void {
  return useCallback(() => {
    if (hasNextPage && !isFetchingNextPage) void fetchNextPage()
  }, [hasNextPage, isFetchingNextPage, fetchNextPage])
}

function placeholderOf<M extends MethodName, D>(keep: PagedQuery<M, unknown>['keepPrevious']) {
  if (!keep) return {}
  if (keep === true) return { placeholderData: keepPreviousData }
  return {
    placeholderData: (previous: D | undefined, query: { queryKey: readonly unknown[] } | undefined) => (query && keep(query.queryKey[1] as MethodInput<M>) ? previous : undefined),
  }
}
