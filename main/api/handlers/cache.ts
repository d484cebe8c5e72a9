import { isCache, type Cache, type CacheEntryInfo } from '../../backends/cache'
import { globMatcher } from '../../core/glob'
import { BackplaneError, ErrorCode } from '../../core/errors'
import type { HandlerGroup } from '../router'
import { backendOf, capability } from './backend-of'

type Scan = NonNullable<Cache['scan']>

/** How long a dry run or a delete by pattern walks the keys at most, so a pattern over a huge Redis still answers. */
const MATCH_BUDGET_MS = 20_000
const SAMPLE = 20

/**
 * A page of keys matching `pattern` as the application wrote it: the engine scans the stored keys with
 * prefix and any version in front, and the keys whose own part does not match are dropped here (`*`
 * in the version place also matches colons further on).
 */
async function scanPage(cache: Cache, alias: string, input: { pattern: string; raw: boolean; cursor: string | null; count: number }) {
  const scan: Scan = capability(cache.scan?.bind(cache), 'list its keys', alias)
  if (input.raw || !cache.describeKey || !cache.storedPattern) return scan(input)
  const stored = cache.storedPattern(input.pattern)
  if (stored === undefined) {
    if (input.pattern === '*') return scan(input)
    throw new BackplaneError(ErrorCode.E_UNSUPPORTED, `Alias "${alias}" stores keys under names that do not show the application's keys, so it cannot match "${input.pattern}".`, {
      hint: "Look a key up by its name instead, or list every key with the pattern '*'.",
    })
  }
  const matches = globMatcher(input.pattern)
  const page = await scan({ ...input, pattern: stored })
  return { entries: page.entries.filter((e) => matches(cache.describeKey!(e.key)?.userKey ?? '')), cursor: page.cursor }
}

function view(cache: Cache, entry: CacheEntryInfo) {
  return { ...entry, ...cache.describeKey?.(entry.key) }
}

export const cacheHandlers: HandlerGroup<
  | 'cache.scan'
  | 'cache.inspect'
  | 'cache.get'
  | 'cache.set'
  | 'cache.delete'
  | 'cache.incr'
  | 'cache.touch'
  | 'cache.deleteKeys'
  | 'cache.deleteMatching'
  | 'cache.stats'
  | 'cache.createTable'
  | 'cache.clear'
> = {
  'cache.scan': async ({ alias, pattern, raw, cursor, count }, { app }) => {
    const cache = await backendOf(app, 'cache', alias, isCache)
    const page = await scanPage(cache, alias, { pattern, raw, cursor, count })
    return { entries: page.entries.map((e) => view(cache, e)), cursor: page.cursor }
  },
  'cache.inspect': async ({ alias, key }, { app }) => {
    const cache = await backendOf(app, 'cache', alias, isCache)
    const entry = await capability(cache.inspect?.bind(cache), 'show a stored key', alias)(key)
    return entry ? { found: true, entry: { ...entry, ...cache.describeKey?.(entry.key) } } : { found: false }
  },
  'cache.get': async ({ alias, key, version }, { app }) => {
    const cache = await backendOf(app, 'cache', alias, isCache)
    const value = await cache.get(key, version === undefined ? {} : { version })
    return value === undefined ? { found: false } : { found: true, value }
  },
  'cache.set': async ({ alias, key, value, timeout, version }, { app }) => {
    const cache = await backendOf(app, 'cache', alias, isCache)
    await cache.set(key, value, { ...(timeout === undefined ? {} : { timeout }), ...(version === undefined ? {} : { version }) })
    return { ok: true }
  },
  'cache.delete': async ({ alias, key, version }, { app }) => {
    const cache = await backendOf(app, 'cache', alias, isCache)
    return { deleted: await cache.delete(key, version === undefined ? {} : { version }) }
  },
  'cache.incr': async ({ alias, key, delta, version }, { app }) => {
    const cache = await backendOf(app, 'cache', alias, isCache)
    return { value: await cache.incr(key, delta, version === undefined ? {} : { version }) }
  },
  'cache.touch': async ({ alias, key, timeout, version }, { app }) => {
    const cache = await backendOf(app, 'cache', alias, isCache)
    return { touched: await cache.touch(key, { ...(timeout === undefined ? {} : { timeout }), ...(version === undefined ? {} : { version }) }) }
  },
  'cache.deleteKeys': async ({ alias, keys }, { app }) => {
    const cache = await backendOf(app, 'cache', alias, isCache)
    return { deleted: await capability(cache.deleteStored?.bind(cache), 'delete stored keys', alias)(keys) }
  },
  'cache.deleteMatching': async ({ alias, pattern, raw, dryRun, confirmCount }, { app }) => {
    const cache = await backendOf(app, 'cache', alias, isCache)
    const deleteStored = dryRun ? undefined : capability(cache.deleteStored?.bind(cache), 'delete stored keys', alias)
    const matched: string[] = []
    const deadline = Date.now() + MATCH_BUDGET_MS
    let cursor: string | null = null
    do {
      const page = await scanPage(cache, alias, { pattern, raw, cursor, count: 1000 })
      matched.push(...page.entries.map((e) => e.key))
      cursor = page.cursor
      if (cursor && Date.now() > deadline) {
        throw new BackplaneError(ErrorCode.E_TIMEOUT, `Listing the keys that match "${pattern}" took longer than ${MATCH_BUDGET_MS / 1000} s (${matched.length} so far).`, {
          hint: 'Narrow the pattern so fewer keys are looked at.',
        })
      }
    } while (cursor)
    const sample = matched.slice(0, SAMPLE)
    if (!deleteStored) return { matched: matched.length, deleted: 0, sample }
    if (confirmCount !== matched.length) {
      throw new BackplaneError(ErrorCode.E_NEEDS_CONFIRMATION, `The pattern now matches ${matched.length} keys, not the ${confirmCount ?? 'unconfirmed'} shown.`, {
        hint: 'Count the keys again (a dry run) and confirm the new count.',
        details: { matched: matched.length, sample },
      })
    }
    let deleted = 0
    for (let i = 0; i < matched.length; i += 1000) deleted += await deleteStored(matched.slice(i, i + 1000))
    return { matched: matched.length, deleted, sample }
  },
  'cache.stats': async ({ alias }, { app }) => {
    const cache = await backendOf(app, 'cache', alias, isCache)
    return { at: Date.now(), stats: await capability(cache.stats?.bind(cache), 'report statistics', alias)() }
  },
  'cache.createTable': async ({ alias }, { app }) => {
    const cache = await backendOf(app, 'cache', alias, isCache)
    return await capability(cache.createTable?.bind(cache), 'create a table', alias)()
  },
  'cache.clear': async ({ alias }, { app }) => {
    await (await backendOf(app, 'cache', alias, isCache)).clear()
    return { ok: true }
  },
}
