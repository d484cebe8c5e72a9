import { useEffect, useRef, useState } from 'react'
import type { EventPayload, MethodOutput } from '../../../../main/api/contract'
import { useApiClient, useApiEvent } from '../../../api/hooks'
import type { WorkloadSettings } from './workload-settings'

export type WorkloadResult = MethodOutput<'cache.workload'>
type Progress = EventPayload<'cache.workloadProgress'>

function newRunId(): string {
  return typeof crypto.randomUUID === 'function' ? crypto.randomUUID() : `run-${Date.now()}-${Math.random().toString(36).slice(2)}`
}

/**
 * One workload run against one alias: started, followed through cache.workloadProgress events (only
 * its own runId), cancellable, and ending with what it measured (a cancelled run answers too).
 */
export function useWorkloadRun() {
  const client = useApiClient()
  const [runId, setRunId] = useState<string | null>(null)
  const [progress, setProgress] = useState<Progress | null>(null)
  const [result, setResult] = useState<WorkloadResult | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [cancelling, setCancelling] = useState(false)
  const current = useRef<string | null>(null)

  // Leaving the tab ends the run: nobody would see its result, and it would keep loading the server.
  useEffect(
    () => () => {
      const id = current.current
      current.current = null
      if (id) void client.call('cache.workloadCancel', { runId: id }).catch(() => undefined)
    },
    [client],
  )

  useApiEvent('cache.workloadProgress', (payload) => {
    if (payload.runId === current.current) setProgress(payload)
  })

  const start = async (alias: string, settings: WorkloadSettings) => {
    const id = newRunId()
    current.current = id
    setRunId(id)
    setProgress(null)
    setResult(null)
    setError(null)
    setCancelling(false)
    try {
      const answer = await client.call('cache.workload', { alias, runId: id, ...settings })
      if (current.current === id) setResult(answer)
    } catch (err) {
      if (current.current === id) setError(err)
    } finally {
      if (current.current === id) {
        current.current = null
        setRunId(null)
      }
    }
  }

  const cancel = async () => {
    if (!runId) return
    setCancelling(true)
    try {
      await client.call('cache.workloadCancel', { runId })
    } catch (err) {
      setError(err)
      setCancelling(false)
    }
  }

  return { running: runId !== null, progress, result, error, cancelling, start, cancel }
}
