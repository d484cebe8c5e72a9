import type { z } from 'zod'
import type { CacheEntryDetailView, CacheEntryView } from '../../../../main/api/contract'

/** A key as the browser lists it (cache.scan). */
export type CacheEntry = z.infer<typeof CacheEntryView>
export type CacheEntryDetail = z.infer<typeof CacheEntryDetailView>

/**
 * The alias's KEY_PREFIX as the stored key shows it (`prefix:version:key`, Django's default_key_func),
 * so the list can name it once in its header instead of on every row; undefined for keys of another shape.
 */
export function keyPrefixOf(entry: CacheEntry): string | undefined {
  if (entry.userKey === undefined || entry.version === undefined) return undefined
  const tail = `:${entry.version}:${entry.userKey}`
  return entry.key.endsWith(tail) ? entry.key.slice(0, entry.key.length - tail.length) : undefined
}

/** The prefix every listed key shares, when they all have one and it is the same. */
export function sharedPrefix(entries: readonly CacheEntry[]): string | undefined {
  let shared: string | undefined
  for (const entry of entries) {
    const prefix = keyPrefixOf(entry)
    if (prefix === undefined || (shared !== undefined && prefix !== shared)) return undefined
    shared = prefix
  }
  return shared
}
