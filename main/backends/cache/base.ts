import { randomUUID } from 'node:crypto'
import { z } from 'zod'
import { kindSpec, type Backend, type EngineContext } from '../../core/engine'
import { BackplaneError, ErrorCode } from '../../core/errors'
import { HealthProbe } from '../../core/health-probe'
import type { HealthReport } from '../../core/schemas/health'
import type { CacheValue, ValueEncoding } from './codec/types'

/** What Django's CACHES entries share, whatever the engine: TIMEOUT, KEY_PREFIX, VERSION. */
export const CacheOptions = z.object({
  timeout: z
    .number()
    .min(0)
    .nullable()
    .default(300)
    .describe('Default time to live in seconds. 0 expires at once; empty (null) keeps entries forever.'),
  keyPrefix: z.string().default('').describe('Prepended to every key, so several apps can share one server.'),
  version: z.number().int().default(1).describe('Default key version; bump it to invalidate everything at once.'),
})
export type CacheOptions = z.output<typeof CacheOptions>

export type { CacheValue } from './codec/types'

export interface KeyOptions {
  version?: number
}
export interface SetOptions extends KeyOptions {
  /** Seconds; null = never expire; undefined = the alias's default timeout. */
  timeout?: number | null
}

/** What a stored key holds: a cache entry, or (on a Redis that is more than a cache) one of Redis's types. */
export type CacheEntryType = 'entry' | 'hash' | 'list' | 'set' | 'zset' | 'stream' | 'other'

export interface CacheEntryInfo {
  /** The key as stored (prefix and version included). */
  key: string
  /** Seconds left, or null when it never expires. */
  ttl: number | null
  /** Bytes the server holds for it, as near as the engine can tell. */
  size: number
  /** Left out when the engine only holds entries. */
  type?: CacheEntryType
}

/** One item of a Redis hash, list, set, sorted set or stream, readable. */
export interface CacheItem {
  /** The hash field, or the stream entry's id. */
  field?: string
  score?: number
  value: CacheValue
}

/** Everything the key browser shows of one stored key. */
export interface CacheEntryDetail extends CacheEntryInfo {
  type: CacheEntryType
  /** How the bytes were read (entries only). */
  encoding?: ValueEncoding
  /** The value decoded (entries only); Python objects as `{ $class, … }`, never executed. */
  value?: CacheValue
  /** The value holds a Python object Backplane shows but cannot write back. */
  opaque?: boolean
  /** The stored bytes, base64, at most MAX_RAW_BYTES of them. */
  raw?: string
  rawTruncated?: boolean
  /** Why the value could not be read (a damaged pickle, one past the bounds): the entry is shown as its bytes. */
  problem?: { code: string; message: string; hint?: string }
  /** The server cannot tell the entry's expiry (Memcached): ttl null then means "not known", not "never". */
  ttlUnknown?: boolean
  /** The first items of a collection, and how many it has in all. */
  items?: CacheItem[]
  itemCount?: number
}

/** The raw bytes the key browser shows beside a decoded value. */
export const MAX_RAW_BYTES = 64 * 1024

/** Counters for the live stats; each engine fills in what its server reports (Redis INFO, Memcached stats). */
export interface CacheStats {
  hits?: number
  misses?: number
  /** Commands or operations served since the server started, for ops/s. */
  operations?: number
  memoryBytes?: number
  maxMemoryBytes?: number
  connections?: number
  evictions?: number
  keys?: number
  uptimeSeconds?: number
}

export interface CacheScan {
  entries: CacheEntryInfo[]
  /** Pass back to continue; null when the scan is complete. */
  cursor: string | null
}

/** Django's cache API (django.core.cache.backends.base.BaseCache), in async TypeScript. */
export interface Cache extends Backend {
  get(key: string, options?: KeyOptions): Promise<CacheValue | undefined>
  set(key: string, value: CacheValue, options?: SetOptions): Promise<void>
  add(key: string, value: CacheValue, options?: SetOptions): Promise<boolean>
  touch(key: string, options?: SetOptions): Promise<boolean>
  delete(key: string, options?: KeyOptions): Promise<boolean>
  hasKey(key: string, options?: KeyOptions): Promise<boolean>
  getMany(keys: readonly string[], options?: KeyOptions): Promise<Map<string, CacheValue>>
  setMany(entries: ReadonlyMap<string, CacheValue>, options?: SetOptions): Promise<string[]>
  deleteMany(keys: readonly string[], options?: KeyOptions): Promise<void>
  incr(key: string, delta?: number, options?: KeyOptions): Promise<number>
  decr(key: string, delta?: number, options?: KeyOptions): Promise<number>
  clear(): Promise<void>
  /** Walks stored keys matching a glob (`user:*`), a page at a time, for the key browser. Optional: not every server can list keys. */
  scan?(options: { pattern?: string; cursor?: string | null; count?: number }): Promise<CacheScan>
  /** The application's key and version inside a stored key, when it was made by this alias's makeKey(). */
  describeKey?(storedKey: string): { userKey: string; version: number } | undefined
  /** One stored key in full (value decoded beside its raw bytes, or a collection's first items); undefined when it is not there. */
  inspect?(storedKey: string): Promise<CacheEntryDetail | undefined>
  /** Deletes stored keys as they are (another app's, another version's); answers how many were there. */
  deleteStored?(storedKeys: readonly string[]): Promise<number>
  /** The server's counters now; the GUI charts their change over time. */
  stats?(): Promise<CacheStats>
  /** Creates what the engine stores entries in (the database cache's table, as Django's createcachetable); answers whether it made it and the SQL. */
  createTable?(): Promise<{ created: boolean; sql: string }>
  /**
   * The glob over stored keys that finds the keys the application wrote as `pattern`, in any version;
   * undefined when stored keys do not show the application's keys (the file cache keeps md5 names only).
   */
  storedPattern?(pattern: string): string | undefined
}

export function isCache(backend: Backend): backend is Cache {
  return typeof (backend as Partial<Cache>).get === 'function' && typeof (backend as Partial<Cache>).set === 'function'
}

export const cacheKind = kindSpec<Cache>()({
  kind: 'cache',
  methods: ['get', 'set', 'add', 'touch', 'delete', 'hasKey', 'getMany', 'setMany', 'deleteMany', 'incr', 'decr', 'clear'],
  baseOptions: CacheOptions.passthrough(),
})

declare module '../../core/engine' {
  interface BackendKinds {
    cache: Cache
  }
}

// Django: django.core.cache.backends.base.MEMCACHE_MAX_KEY_LENGTH and memcache_key_warnings().
const MAX_KEY_LENGTH = 250

/**
 * What every engine shares: making the stored key from prefix, version and key (Django's
 * default_key_func), key validation, timeouts, and the operations Django's BaseCache builds from
 * get/set/delete. An engine overrides those its server does better.
 */
export abstract class BaseCache implements Cache {
  protected readonly defaultTimeout: number | null
  protected readonly keyPrefix: string
  protected readonly version: number
  /** Reads answered from and missed by this alias, for engines whose server keeps no such counters. */
  protected readonly lookups = { hits: 0, misses: 0 }

  constructor(
    options: CacheOptions,
    protected readonly ctx: EngineContext,
  ) {
    this.defaultTimeout = options.timeout
    this.keyPrefix = options.keyPrefix
    this.version = options.version
  }

  abstract get(key: string, options?: KeyOptions): Promise<CacheValue | undefined>
  abstract set(key: string, value: CacheValue, options?: SetOptions): Promise<void>
  abstract add(key: string, value: CacheValue, options?: SetOptions): Promise<boolean>
  abstract touch(key: string, options?: SetOptions): Promise<boolean>
  abstract delete(key: string, options?: KeyOptions): Promise<boolean>
  abstract clear(): Promise<void>
  /** Optional, as in the interface: an engine whose server cannot list keys leaves it out. */
  scan?(options: { pattern?: string; cursor?: string | null; count?: number }): Promise<CacheScan>
  inspect?(storedKey: string): Promise<CacheEntryDetail | undefined>
  deleteStored?(storedKeys: readonly string[]): Promise<number>
  createTable?(): Promise<{ created: boolean; sql: string }>

  /** The reads this alias counted; engines whose server counts more say so. */
  async stats(): Promise<CacheStats> {
    return { ...this.lookups }
  }

  /** What the server is, for the health report ("Redis 7.0.15", "in-process, 3/300 entries"). */
  protected abstract serverVersion(): Promise<string>

  makeKey(key: string, version?: number): string {
    return `${this.keyPrefix}:${version ?? this.version}:${key}`
  }

  describeKey(storedKey: string): { userKey: string; version: number } | undefined {
    const prefix = `${this.keyPrefix}:`
    if (!storedKey.startsWith(prefix)) return undefined
    const rest = storedKey.slice(prefix.length)
    const colon = rest.indexOf(':')
    const version = Number(rest.slice(0, colon))
    if (colon <= 0 || !Number.isInteger(version)) return undefined
    return { userKey: rest.slice(colon + 1), version }
  }

  /** Django warns (CacheKeyWarning) on keys memcached would reject; engines that cannot store them throw. */
  keyWarnings(storedKey: string): string[] {
    const warnings: string[] = []
    // Code points, as Python's len() counts them (a UTF-16 surrogate pair is one character there).
    const characters = codePointLength(storedKey)
    if (characters > MAX_KEY_LENGTH) {
      warnings.push(`Cache key is longer than ${MAX_KEY_LENGTH} characters (${characters}); memcached would reject it.`)
    }
    if (hasControlOrSpace(storedKey)) {
      warnings.push('Cache key contains a space or control character; memcached would reject it.')
    }
    return warnings
  }

  /**
   * On every call of every engine: one pass over the key and no allocation unless the key is
   * suspicious. Answers whether the key drew no warning (an engine may remember it was checked).
   */
  protected validateKey(storedKey: string): boolean {
    if (isPlainKey(storedKey)) return true
    const warnings = this.keyWarnings(storedKey)
    for (const warning of warnings) this.ctx.log.warn(`${warning} Key: ${JSON.stringify(storedKey)}`)
    return warnings.length === 0
  }

  /** Counts a read for stats() and hands its value on. */
  protected counted<T>(value: T | undefined): T | undefined {
    if (value === undefined) this.lookups.misses++
    else this.lookups.hits++
    return value
  }

  /** Absolute expiry in epoch ms, null for never; Django: get_backend_timeout(). */
  protected expiryOf(timeout: number | null | undefined): number | null {
    const seconds = timeout === undefined ? this.defaultTimeout : timeout
    if (seconds === null) return null
    return Date.now() + Math.max(0, seconds) * 1000
  }

  async hasKey(key: string, options?: KeyOptions): Promise<boolean> {
    return (await this.get(key, options)) !== undefined
  }

  async getMany(keys: readonly string[], options?: KeyOptions): Promise<Map<string, CacheValue>> {
    const found = new Map<string, CacheValue>()
    for (const key of keys) {
      const value = await this.get(key, options)
      if (value !== undefined) found.set(key, value)
    }
    return found
  }

  async setMany(entries: ReadonlyMap<string, CacheValue>, options?: SetOptions): Promise<string[]> {
    for (const [key, value] of entries) await this.set(key, value, options)
    return []
  }

  async deleteMany(keys: readonly string[], options?: KeyOptions): Promise<void> {
    for (const key of keys) await this.delete(key, options)
  }

  async incr(key: string, delta = 1, options?: KeyOptions): Promise<number> {
    const value = await this.get(key, options)
    if (value === undefined) {
      throw new BackplaneError(ErrorCode.E_NOT_FOUND, `Key "${key}" not found.`, { hint: 'Set it to a number first; incr() does not create keys (as in Django).' })
    }
    if (typeof value !== 'number') {
      throw new BackplaneError(ErrorCode.E_INVALID_INPUT, `Key "${key}" holds ${typeof value}, not a number.`)
    }
    const next = value + delta
    await this.set(key, next, { ...options, timeout: await this.remainingTimeout(key, options) })
    return next
  }

  decr(key: string, delta = 1, options?: KeyOptions): Promise<number> {
    return this.incr(key, -delta, options)
  }

  /** Django's get_or_set(): the value, or `value` added when the key was absent (read back, as Django does, in case another client won). */
  async getOrSet(key: string, value: CacheValue, options?: SetOptions): Promise<CacheValue> {
    const found = await this.get(key, options)
    if (found !== undefined) return found
    await this.add(key, value, options)
    // As Django: read again, so a value another client added in between wins.
    return (await this.get(key, options)) ?? value
  }

  /** Django's incr_version(): moves the entry to version + delta and answers the new version. */
  async incrVersion(key: string, delta = 1, options?: KeyOptions): Promise<number> {
    const version = options?.version ?? this.version
    const value = await this.get(key, { version })
    if (value === undefined) {
      throw new BackplaneError(ErrorCode.E_NOT_FOUND, `Key "${key}" not found.`, { hint: 'incr_version() moves an existing entry; set it first (as in Django).' })
    }
    await this.set(key, value, { version: version + delta })
    await this.delete(key, { version })
    return version + delta
  }

  decrVersion(key: string, delta = 1, options?: KeyOptions): Promise<number> {
    return this.incrVersion(key, -delta, options)
  }

  storedPattern(pattern: string): string | undefined {
    return `${escapeGlob(this.keyPrefix)}:*:${pattern}`
  }

  /** incr() keeps the entry's expiry, as Django does; engines that know the TTL say it here. */
  protected async remainingTimeout(_key: string, _options?: KeyOptions): Promise<number | null | undefined> {
    return undefined
  }

  /** Reaches the server and reads a key that is not there: a check writes nothing into a cache it checks. */
  async check(): Promise<HealthReport> {
    const probe = new HealthProbe('cache', this.ctx.alias, this.ctx.engine)
    probe.version = await probe.step('version', () => this.serverVersion(), (v) => v)
    await probe.step('get', async () => {
      const value = await this.get(`__backplane_health__:${randomUUID()}`)
      if (value !== undefined) throw new BackplaneError(ErrorCode.E_CACHE_READBACK, `A key that was never set read back as ${JSON.stringify(value)}.`, { hint: 'The engine returns values for keys it does not hold: check its get().' })
    })
    return probe.report()
  }

  async close(): Promise<void> {}
}

/** A literal text as a glob that matches only itself. */
export function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&')
}

function hasControlOrSpace(key: string): boolean {
  for (let i = 0; i < key.length; i++) {
    const code = key.charCodeAt(i)
    if (code <= 32 || code === 127) return true
  }
  return false
}

/**
 * A key that draws no warning, told without counting code points: a key of at most MAX_KEY_LENGTH
 * UTF-16 units has at most that many code points. Longer ones (rare) are counted by keyWarnings().
 */
function isPlainKey(key: string): boolean {
  if (key.length > MAX_KEY_LENGTH) return false
  return !hasControlOrSpace(key)
}

function codePointLength(text: string): number {
  let count = text.length
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    // A high surrogate followed by a low one is one code point; a lone surrogate counts as one, as in Python.
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1)
      if (next >= 0xdc00 && next <= 0xdfff) {
        count--
        i++
      }
    }
  }
  return count
}

/** Glob (`*`, `?`, `[abc]`) as Redis SCAN MATCH reads it, for engines that filter keys themselves; linear, never backtracking. */
export { globMatcher } from '../../core/glob'
