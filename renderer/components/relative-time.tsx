import { useEffect, useState } from 'react'

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
  ['second', 1000],
]
const long = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' })
const narrow = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto', style: 'narrow' })

export function describeRelative(iso: string, now: number, style: 'long' | 'narrow' = 'long'): string {
  const diff = new Date(iso).getTime() - now
  if (Number.isNaN(diff)) return iso
  if (Math.abs(diff) < 5000) return 'just now'
  const format = style === 'narrow' ? narrow : long
  for (const [unit, ms] of UNITS) if (Math.abs(diff) >= ms || unit === 'second') return format.format(Math.round(diff / ms), unit)
  return iso
}

/** "12 seconds ago" ("12s ago" where room is short, as in a list column), kept current, with the exact time on hover. */
export function RelativeTime({ iso, narrow: isNarrow = false }: { iso: string; narrow?: boolean }) {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 10_000)
    return () => clearInterval(timer)
  }, [])
  return (
    <time dateTime={iso} title={new Date(iso).toLocaleString()}>
      {describeRelative(iso, now, isNarrow ? 'narrow' : 'long')}
    </time>
  )
}
