import { useEffect, useState } from 'react'
import { formatMs } from '../../../components/format'

/** The time since `since` (performance.now()), ticking ten times a second while shown. */
export function ElapsedTime({ since }: { since: number }) {
  const [now, setNow] = useState(() => performance.now())
  useEffect(() => {
    const timer = setInterval(() => setNow(performance.now()), 100)
    return () => clearInterval(timer)
  }, [])
  return <span aria-label="Elapsed time">{formatMs(Math.max(0, now - since))}</span>
}
