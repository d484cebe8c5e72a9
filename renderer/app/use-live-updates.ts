import { useQueryClient } from '@tanstack/react-query'
import { useEffect, useRef } from 'react'
import { useNavigate } from 'react-router'
import type { HealthReport, MethodOutput } from '../../main/api/contract'
import { useApiClient, useApiEvent } from '../api/hooks'

type Counts = MethodOutput<'outbox.counts'>

const OUTBOX_REFRESH_MS = 250

/**
 * Keeps every cached answer current from the main process's events, once for the whole app:
 * settings changes can touch anything (aliases, health, tables), so they invalidate everything;
 * health and capture events carry the new state itself, so they write it into the cache.
 */
export function useLiveUpdates(): void {
  const queryClient = useQueryClient()
  const navigate = useNavigate()
  const { transport } = useApiClient()

  // A burst of mail sends hundreds of events a second: refetch the outbox at most every 250 ms (the
  // first at once, the last one always), so a refetch can finish before the next one replaces it.
  const outboxRefresh = useRef<{ last: number; timer: ReturnType<typeof setTimeout> | null }>({ last: 0, timer: null })
  const refreshOutbox = () => {
    const state = outboxRefresh.current
    if (state.timer) return
    const run = () => {
      state.timer = null
      state.last = Date.now()
      void queryClient.invalidateQueries({ queryKey: ['outbox.counts'] })
      void queryClient.invalidateQueries({ queryKey: ['outbox.list'] })
    }
    const wait = state.last + OUTBOX_REFRESH_MS - Date.now()
    if (wait <= 0) run()
    else state.timer = setTimeout(run, wait)
  }
  useEffect(() => {
    const state = outboxRefresh.current
    return () => {
      if (state.timer) clearTimeout(state.timer)
    }
  }, [])

  useApiEvent('settings.changed', () => void queryClient.invalidateQueries())

  useApiEvent('health.changed', (report) => {
    queryClient.setQueriesData<HealthReport[]>({ queryKey: ['health.list'] }, (reports) => {
      if (!reports) return reports
      const index = reports.findIndex((r) => r.kind === report.kind && r.alias === report.alias)
      return index === -1 ? [...reports, report] : reports.with(index, report)
    })
  })

  useApiEvent('capture.status', (status) => queryClient.setQueriesData({ queryKey: ['outbox.status'] }, status))

  useApiEvent('outbox.changed', ({ counts }) => {
    const previous = queryClient.getQueriesData<Counts>({ queryKey: ['outbox.counts'] })[0]?.[1]
    // The open message is parsed again when fetched: only worth it when something was read or
    // deleted, not for every arrival during a burst.
    if (!previous || !onlyArrivals(previous.mailboxes, counts)) void queryClient.invalidateQueries({ queryKey: ['outbox.get'] })
    const next: Counts = {
      total: counts.reduce((sum, c) => sum + c.total, 0),
      unread: counts.reduce((sum, c) => sum + c.unread, 0),
      mailboxes: counts,
    }
    queryClient.setQueriesData({ queryKey: ['outbox.counts'] }, next)
    // Read, unread or deleted somewhere else (another window, a test suite over REST, retention):
    // the list's bold rows follow.
    refreshOutbox()
  })

  useApiEvent('outbox.received', refreshOutbox)

  useApiEvent('ui.navigate', ({ path }) => void navigate(path))

  // Events sent while the socket was down are lost for good: after a reconnect, ask again.
  useEffect(() => {
    let wasOpen = transport.status().state === 'open'
    let hasBeenOpen = wasOpen
    return transport.onStatus(({ state }) => {
      const open = state === 'open'
      if (open && !wasOpen && hasBeenOpen) void queryClient.invalidateQueries()
      hasBeenOpen ||= open
      wasOpen = open
    })
  }, [transport, queryClient])
}

/** Every mailbox grew by new unread mail only: nothing was read, marked unread or deleted. */
function onlyArrivals(before: Counts['mailboxes'], after: Counts['mailboxes']): boolean {
  if (!before.every((old) => after.some((now) => now.mailbox === old.mailbox))) return false
  return after.every((now) => {
    const old = before.find((b) => b.mailbox === now.mailbox) ?? { total: 0, unread: 0 }
    return now.total >= old.total && now.total - old.total === now.unread - old.unread
  })
}
