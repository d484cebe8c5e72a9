import { useQueryClient } from '@tanstack/react-query'
import { useEffect } from 'react'
import { useNavigate } from 'react-router'
import type { HealthReport, MethodOutput } from '../../main/api/contract'
import { useApiClient, useApiEvent } from '../api/hooks'

type Counts = MethodOutput<'outbox.counts'>

/**
 * Keeps every cached answer current from the main process's events, once for the whole app:
 * settings changes can touch anything (aliases, health, tables), so they invalidate everything;
 * health and capture events carry the new state itself, so they write it into the cache.
 */
export function useLiveUpdates(): void {
  const queryClient = useQueryClient()
  const navigate = useNavigate()
  const { transport } = useApiClient()

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
    const next: Counts = {
      total: counts.reduce((sum, c) => sum + c.total, 0),
      unread: counts.reduce((sum, c) => sum + c.unread, 0),
      mailboxes: counts,
    }
    queryClient.setQueriesData({ queryKey: ['outbox.counts'] }, next)
    // Read, unread or deleted somewhere else (another window, a test suite over REST, retention):
    // the list's bold rows and the open message's read state follow.
    void queryClient.invalidateQueries({ queryKey: ['outbox.list'] })
    void queryClient.invalidateQueries({ queryKey: ['outbox.get'] })
  })

  useApiEvent('outbox.received', () => {
    void queryClient.invalidateQueries({ queryKey: ['outbox.counts'] })
    void queryClient.invalidateQueries({ queryKey: ['outbox.list'] })
  })

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
