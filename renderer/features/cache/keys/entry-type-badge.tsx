import { Badge } from '@mantine/core'
import type { CacheEntry } from './cache-entry'

const COLORS: Record<string, string> = { entry: 'gray', hash: 'grape', list: 'teal', set: 'orange', zset: 'pink', stream: 'cyan', other: 'dark' }
const NAMES: Record<string, string> = { entry: 'value', zset: 'sorted set' }

/** What a key holds: a cache entry, or one of Redis's own types on a Redis that is more than a cache. */
export function EntryTypeBadge({ type }: { type: CacheEntry['type'] }) {
  const name = type ?? 'entry'
  return (
    <Badge size="xs" variant="light" color={COLORS[name] ?? 'gray'} radius="sm">
      {NAMES[name] ?? name}
    </Badge>
  )
}
