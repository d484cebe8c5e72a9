import { useQueryClient } from '@tanstack/react-query'
import { useCallback, useEffect, useMemo, useRef, useSyncExternalStore } from 'react'
import { apiQueryKey, useApiClient, useApiEvent, useApiQuery } from '../../api/hooks'
import { isFinished, mergeTransfers, upsertTransfer } from './transfer-list'
import type { Transfer } from './types'
import { uploadQueue } from './upload-queue'

const TRANSFERS_KEY = apiQueryKey('storage.transfers', {})
/** A folder copy finishes a file many times a second: refresh the listing at most this often. */
const LIST_REFRESH_MS = 500
const CHANGES_FILES: ReadonlySet<Transfer['kind']> = new Set(['upload', 'copy', 'move'])

/**
 * Every transfer, from the server (its list, then its `storage.transfer` events) and this page's uploads,
 * merged; mounted once by the files workspace. A transfer that changed files refreshes the listings.
 */
export function useTransfers() {
  const client = useApiClient()
  const queryClient = useQueryClient()
  const server = useApiQuery('storage.transfers', {}, { retry: false })
  const local = useSyncExternalStore(uploadQueue.subscribe, uploadQueue.getSnapshot)

  // At once, then at most every LIST_REFRESH_MS while events keep coming, and once more after the last:
  // the listing must not miss the final file of a copy.
  const refresh = useRef<{ timer: ReturnType<typeof setTimeout> | null; again: boolean }>({ timer: null, again: false })
  const refreshListings = useCallback(() => {
    const state = refresh.current
    if (state.timer) {
      state.again = true
      return
    }
    const invalidate = () => void queryClient.invalidateQueries({ queryKey: ['storage.list'] })
    invalidate()
    const tick = () => {
      if (!state.again) {
        state.timer = null
        return
      }
      state.again = false
      invalidate()
      state.timer = setTimeout(tick, LIST_REFRESH_MS)
    }
    state.timer = setTimeout(tick, LIST_REFRESH_MS)
  }, [queryClient])
  useEffect(() => {
    const state = refresh.current
    return () => clearTimeout(state.timer ?? undefined)
  }, [])
  useEffect(() => uploadQueue.onFinished(refreshListings), [refreshListings])

  useApiEvent('storage.transfer', (view) => {
    queryClient.setQueryData<Transfer[]>(TRANSFERS_KEY, (list) => upsertTransfer(list, view))
    if (CHANGES_FILES.has(view.kind) && (isFinished(view) || view.filesDone > 0)) refreshListings()
  })

  const transfers = useMemo(() => mergeTransfers(server.data ?? [], local), [server.data, local])

  const cancel = useCallback(
    async (id: string) => {
      const wasLocal = uploadQueue.cancel(id)
      try {
        await client.call('storage.cancelTransfer', { id })
      } catch (error) {
        // An upload still queued in this page never reached the server: nothing there to stop.
        if (!wasLocal) throw error
      }
    },
    [client],
  )

  const clearFinished = useCallback(async () => {
    uploadQueue.clearFinished()
    queryClient.setQueryData<Transfer[]>(TRANSFERS_KEY, (list) => list?.filter((transfer) => !isFinished(transfer)))
    await client.call('storage.clearTransfers', {})
  }, [client, queryClient])

  return { transfers, serverError: server.error, cancel, clearFinished }
}
