import { useDocumentVisibility } from '@mantine/hooks'
import { useEffect, useState } from 'react'
import { ApiError } from '../../../api/api-error'
import { useApiClient } from '../../../api/hooks'
import { ErrorCode } from '../../../../main/api/contract'
import { appendSample, type StatsSample } from './stats-series'

const POLL_MS = 2000

/**
 * cache.stats every 2 s while the window is visible, the last five minutes kept here (the server keeps
 * no history). A failed poll is shown and polling goes on, so a server that comes back is charted again;
 * an engine without statistics is asked once.
 */
export function useStatsHistory(alias: string) {
  const client = useApiClient()
  const visible = useDocumentVisibility() === 'visible'
  const [samples, setSamples] = useState<StatsSample[]>([])
  const [error, setError] = useState<unknown>(null)
  const [attempt, setAttempt] = useState(0)

  useEffect(() => {
    if (!visible) return
    let stopped = false
    let timer: ReturnType<typeof setTimeout> | undefined
    const poll = async () => {
      try {
        const sample = await client.call('cache.stats', { alias })
        if (stopped) return
        setSamples((current) => appendSample(current, sample))
        setError(null)
      } catch (err) {
        if (stopped) return
        setError(err)
        if (ApiError.from(err).code === ErrorCode.E_UNSUPPORTED) return
      }
      if (!stopped) timer = setTimeout(() => void poll(), POLL_MS)
    }
    void poll()
    return () => {
      stopped = true
      clearTimeout(timer)
    }
  }, [client, alias, visible, attempt])

  return { samples, error, visible, retry: () => setAttempt((n) => n + 1) }
}
