import { useEffect, useState } from 'react'
import { formatSeconds } from '../../../components/format'

/** Seconds left as the list shows them: counted down from when the page was read. */
export function ttlLeft(ttl: number | null, fetchedAt: number, now: number): number | null {
  // `now` ticks once a second, so it may be a little older than a page read since: never count up.
  return ttl === null ? null : ttl - Math.max(0, now - fetchedAt) / 1000
}

export function formatTtl(seconds: number | null): string {
  if (seconds === null) return 'never'
  if (seconds <= 0) return 'expired'
  return formatSeconds(Math.ceil(seconds))
}

/** The time now, once a second while mounted: one timer for a whole list of ticking TTLs. */
export function useNow(intervalMs = 1000): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs)
    return () => clearInterval(timer)
  }, [intervalMs])
  return now
}
