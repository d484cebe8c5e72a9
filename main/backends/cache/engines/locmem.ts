import { z } from 'zod'
import { defineEngine, type EngineContext } from '../../../core/engine'
import { BackplaneError, ErrorCode } from '../../../core/errors'
import { BaseCache, CacheOptions, globMatcher, MAX_RAW_BYTES, type CacheEntryDetail, type CacheEntryInfo, type CacheScan, type CacheStats, type CacheValue, type KeyOptions, type SetOptions } from '../base'
import { countOf } from '../../../core/schemas/count-noun'

const LocmemOptions = CacheOptions.extend({
  location: z.string().default('').describe('Caches with the same location share their entries (Django: LOCATION).'),
  maxEntries: z.number().int().min(1).default(300).describe('Entries kept before culling (Django: MAX_ENTRIES).'),
  cullFrequency: z.number().int().min(0).default(3).describe('When full, remove 1/N of the entries; 0 clears all (Django: CULL_FREQUENCY).'),
  maxBytes: z
    .number()
    .int()
    .min(1024)
    .default(64 * 1024 * 1024)
    .describe('Bytes of values kept before the least recently used go, so a few huge values cannot exhaust memory (Backplane only; Django counts entries alone).'),
})
type LocmemOptions = z.output<typeof LocmemOptions>

interface Entry {
  /** Serialised, so callers get a copy and cannot change what is cached (Django pickles for the same reason). */
  readonly json: string
  /**
   * The value itself when it is a primitive (string, number, boolean, null): immutable, so get() may hand
   * it out as it is instead of parsing `json` again. NOT_PARSED for objects and arrays, which get() copies.
   */
  readonly value: CacheValue
  /** UTF-8 bytes of key and JSON, counted once when the entry is made (the store's byte budget). */
  readonly size: number
  expires: number | null
}

/** Marks an entry whose value is an object or array: get() parses its JSON, so each caller has a copy. */
const NOT_PARSED: unique symbol = Symbol('not parsed')

function makeEntry(k: string, json: string, value: CacheValue, expires: number | null, jsonBytes = Buffer.byteLength(json)): Entry {
  return { json, value: primitiveOf(value, json), size: Buffer.byteLength(k) + jsonBytes, expires }
}

/** What JSON.parse(json) would answer, when that is a primitive; NOT_PARSED otherwise. */
function primitiveOf(value: CacheValue, json: string): CacheValue {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value
    case 'number':
      // JSON writes NaN and the infinities as null and -0 as 0: answer what a round trip would.
      return Number.isFinite(value) ? value + 0 : null
    default:
      // null, and objects whose toJSON() answers a primitive, read back from their JSON.
      return json === 'null' ? null : NOT_PARSED
  }
}

const SCAN_BUDGET_MS = 25
/** Application keys whose stored key is remembered (see storedKeys); past this the memo starts again. */
const STORED_KEYS_KEPT = 10_000

/** The entries of one LOCATION, in LRU order, counting the bytes (UTF-8, keys included) they hold. */
class LocmemStore extends Map<string, Entry> {
  bytes = 0

  override set(k: string, entry: Entry): this {
    this.delete(k)
    this.bytes += entry.size
    return super.set(k, entry)
  }

  override delete(k: string): boolean {
    const entry = this.get(k)
    if (entry) this.bytes -= entry.size
    return super.delete(k)
  }

  /** Most recently used last: the entry moves to the end, its bytes unchanged (get() does this on every hit). */
  moveToEnd(k: string, entry: Entry): void {
    super.delete(k)
    super.set(k, entry)
  }

  override clear(): void {
    this.bytes = 0
    super.clear()
  }
}

// Like Django's module-level _caches: one store per LOCATION, shared by every alias naming it.
const stores = new Map<string, LocmemStore>()

/** Django's LocMemCache: per-process, LRU order, culled when full. */
class LocmemCache extends BaseCache {
  private readonly store: LocmemStore
  private readonly maxEntries: number
  private readonly maxBytes: number
  private readonly cullFrequency: number
  /**
   * The stored keys of the application's keys at the default version, made and checked once: an
   * application asks for the same keys again and again, and a get in memory is otherwise mostly
   * making `prefix:version:key`, scanning it and hashing the new string.
   */
  private readonly storedKeys = new Map<string, string>()

  constructor(options: LocmemOptions, ctx: EngineContext) {
    super(options, ctx)
    let store = stores.get(options.location)
    if (!store) stores.set(options.location, (store = new LocmemStore()))
    this.store = store
    this.maxEntries = options.maxEntries
    this.maxBytes = options.maxBytes
    this.cullFrequency = options.cullFrequency
  }

  async get(key: string, options?: KeyOptions): Promise<CacheValue | undefined> {
    const k = this.key(key, options)
    const entry = this.live(k)
    if (entry === undefined) {
      this.lookups.misses++
      return undefined
    }
    // Most recently used last, so culling takes from the front (Django moves to the front and pops the back).
    this.store.moveToEnd(k, entry)
    this.lookups.hits++
    return entry.value === NOT_PARSED ? (JSON.parse(entry.json) as CacheValue) : entry.value
  }

  async set(key: string, value: CacheValue, options?: SetOptions): Promise<void> {
    this.put(this.key(key, options), value, options?.timeout)
  }

  async add(key: string, value: CacheValue, options?: SetOptions): Promise<boolean> {
    const k = this.key(key, options)
    if (this.live(k)) return false
    this.put(k, value, options?.timeout)
    return true
  }

  async touch(key: string, options?: SetOptions): Promise<boolean> {
    const entry = this.live(this.key(key, options))
    if (!entry) return false
    entry.expires = this.expiryOf(options?.timeout)
    return true
  }

  async delete(key: string, options?: KeyOptions): Promise<boolean> {
    const k = this.key(key, options)
    const existed = this.live(k) !== undefined
    this.store.delete(k)
    return existed
  }

  override async incr(key: string, delta = 1, options?: KeyOptions): Promise<number> {
    const k = this.key(key, options)
    const entry = this.live(k)
    if (!entry) throw new BackplaneError(ErrorCode.E_NOT_FOUND, `Key "${key}" not found.`, { hint: 'Set it to a number first; incr() does not create keys (as in Django).' })
    const value: unknown = JSON.parse(entry.json)
    if (typeof value !== 'number') throw new BackplaneError(ErrorCode.E_INVALID_INPUT, `Key "${key}" holds ${typeof value}, not a number.`)
    // A new entry rather than a changed one, so the store counts the new size.
    this.store.set(k, makeEntry(k, JSON.stringify(value + delta), value + delta, entry.expires))
    return value + delta
  }

  async clear(): Promise<void> {
    this.store.clear()
  }

  override async scan({ pattern = '*', cursor = null, count = 100 }: { pattern?: string; cursor?: string | null; count?: number }): Promise<CacheScan> {
    const matches = globMatcher(pattern)
    const start = Math.max(0, Math.trunc(Number(cursor ?? 0)) || 0)
    const keys = [...this.store.keys()]
    const entries: CacheScan['entries'] = []
    // As Redis SCAN: a page looks at `count` keys (however few match), and stops early when it has
    // spent its time, so no pattern and no number of keys holds the event loop for long.
    const deadline = performance.now() + SCAN_BUDGET_MS
    let i = start
    for (; i < keys.length && i < start + count && performance.now() < deadline; i++) {
      const k = keys[i]!
      const entry = this.live(k)
      if (!entry || !matches(k)) continue
      entries.push(this.info(k, entry))
    }
    return { entries, cursor: i < keys.length ? String(i) : null }
  }

  override async inspect(storedKey: string): Promise<CacheEntryDetail | undefined> {
    const entry = this.live(storedKey)
    if (!entry) return undefined
    const raw = Buffer.from(entry.json)
    return {
      ...this.info(storedKey, entry),
      type: 'entry',
      encoding: 'json',
      value: JSON.parse(entry.json) as CacheValue,
      raw: raw.subarray(0, MAX_RAW_BYTES).toString('base64'),
      rawTruncated: raw.length > MAX_RAW_BYTES,
    }
  }

  override async deleteStored(storedKeys: readonly string[]): Promise<number> {
    let deleted = 0
    for (const k of storedKeys) if (this.live(k) && this.store.delete(k)) deleted++
    return deleted
  }

  override async stats(): Promise<CacheStats> {
    return { ...this.lookups, keys: this.store.size, memoryBytes: this.store.bytes, maxMemoryBytes: this.maxBytes }
  }

  protected async serverVersion(): Promise<string> {
    return `in-process, ${this.store.size}/${countOf(this.maxEntries, 'entry')}`
  }

  private info(k: string, entry: Entry): CacheEntryInfo {
    return { key: k, ttl: entry.expires === null ? null : Math.max(0, Math.ceil((entry.expires - Date.now()) / 1000)), size: entry.size }
  }

  private key(key: string, options?: KeyOptions): string {
    const version = options?.version
    if (version === undefined) {
      const known = this.storedKeys.get(key)
      if (known !== undefined) return known
    }
    const k = this.makeKey(key, version)
    // A key that draws a warning is not remembered, so it warns on every use, as before.
    if (this.validateKey(k) && version === undefined) {
      if (this.storedKeys.size >= STORED_KEYS_KEPT) this.storedKeys.clear()
      this.storedKeys.set(key, k)
    }
    return k
  }

  private live(k: string): Entry | undefined {
    const entry = this.store.get(k)
    if (!entry) return undefined
    if (entry.expires !== null && entry.expires <= Date.now()) {
      this.store.delete(k)
      return undefined
    }
    return entry
  }

  private put(k: string, value: CacheValue, timeout: number | null | undefined): void {
    const json = JSON.stringify(value)
    if (json === undefined) throw new BackplaneError(ErrorCode.E_INVALID_INPUT, 'This value cannot be cached: it has no JSON form.')
    const jsonBytes = Buffer.byteLength(json)
    if (jsonBytes > this.maxBytes) {
      throw new BackplaneError(ErrorCode.E_TOO_LARGE, `The value is ${jsonBytes} bytes as JSON; this cache keeps at most ${this.maxBytes} in all.`, { hint: 'Store less, or raise "max bytes" in the alias\'s settings.' })
    }
    if (!this.store.has(k) && this.store.size >= this.maxEntries) this.cull()
    this.store.set(k, makeEntry(k, json, value, this.expiryOf(timeout), jsonBytes))
    // Beyond the byte budget the least recently used go, however few entries there are.
    for (const oldest of this.store.keys()) {
      if (this.store.bytes <= this.maxBytes) break
      if (oldest !== k) this.store.delete(oldest)
    }
  }

  private cull(): void {
    if (this.cullFrequency === 0) return this.store.clear()
    let count = Math.floor(this.store.size / this.cullFrequency)
    for (const k of this.store.keys()) {
      if (count-- <= 0) break
      this.store.delete(k)
    }
  }
}

export const locmemEngine = defineEngine({
  kind: 'cache',
  id: 'locmem',
  title: 'Local memory',
  description: "Per-process memory, as Django's LocMemCache: quick, not shared between processes, gone on restart.",
  options: LocmemOptions,
  create: (options, ctx) => new LocmemCache(options, ctx),
})
