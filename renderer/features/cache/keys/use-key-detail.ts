import { ApiError } from '../../../api/api-error'
import { useApiQuery } from '../../../api/hooks'
import { ErrorCode } from '../../../../main/api/contract'
import type { CacheEntryDetail } from './cache-entry'
import type { KeyTarget } from './key-lookup'

export type KeyDetail =
  | { state: 'loading' }
  | { state: 'error'; error: unknown; retry: () => void }
  | { state: 'missing' }
  /** `detail` has everything with cache.inspect; with cache.get (engines that cannot inspect) only the value. */
  | { state: 'found'; detail: Partial<CacheEntryDetail> & { value?: unknown }; readAt: number; inspected: boolean }

/**
 * One key in full: cache.inspect on the stored key (value beside raw bytes, Redis collections), or,
 * where the engine cannot inspect or only the application's key is known, cache.get.
 */
export function useKeyDetail(alias: string, target: KeyTarget): KeyDetail {
  const inspect = useApiQuery('cache.inspect', { alias, key: target.key ?? '' }, { enabled: target.key !== undefined, retry: false })
  const inspectUnsupported = inspect.isError && ApiError.from(inspect.error).code === ErrorCode.E_UNSUPPORTED
  const byGet = target.userKey !== undefined && (target.key === undefined || inspectUnsupported)
  const get = useApiQuery('cache.get', { alias, key: target.userKey ?? '', ...(target.version === undefined ? {} : { version: target.version }) }, { enabled: byGet, retry: false })

  if (byGet) {
    if (get.isPending) return { state: 'loading' }
    if (get.isError) return { state: 'error', error: get.error, retry: () => void get.refetch() }
    if (!get.data.found) return { state: 'missing' }
    const listed = target.listed
    return { state: 'found', detail: { ...listed, userKey: target.userKey, version: target.version, value: get.data.value }, readAt: listed?.fetchedAt ?? get.dataUpdatedAt, inspected: false }
  }
  if (inspect.isPending) return { state: 'loading' }
  if (inspect.isError) return { state: 'error', error: inspect.error, retry: () => void inspect.refetch() }
  if (!inspect.data.found || !inspect.data.entry) return { state: 'missing' }
  return { state: 'found', detail: inspect.data.entry, readAt: inspect.dataUpdatedAt, inspected: true }
}
