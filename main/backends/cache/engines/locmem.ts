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
  json: string
  expires: number | null
}

const SCAN_BUDGET_MS = 25

/** The entries of one LOCATION, in LRU order, counting the bytes (UTF-8, keys included) they hold. */
class LocmemStore extends Map<string, Entry> {
  bytes = 0

  override set(k: string, entry: Entry): this {
    this.delete(k)
    this.bytes += sizeOf(k, entry)
    return super.set(k, entry)
  }

  override delete(k: string): boolean {
    const entry = this.get(k)
    if (entry) this.bytes -= sizeOf(k, entry)
    return super.delete(k)
  }

  override clear(): void {
    this.bytes = 0
    super.clear()
  }
}

function sizeOf(k: string, entry: Entry): number {
  return Buffer.byteLength(k) + Buffer.byteLength(entry.json)
}

// Like Django's module-level _caches: one store per LOCATION, shared by every alias naming it.
const stores = new Map<string, LocmemStore>()

/** Django's LocMemCache: per-process, LRU order, culled when full. */
class LocmemCache extends BaseCache {
  private readonly store: LocmemStore
  private readonly maxEntries: number
  private readonly maxBytes: number
  private readonly cullFrequency: number

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
    if (entry) this.touchLru(k, entry)
    return this.counted(entry && (JSON.parse(entry.json) as CacheValue))
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
    this.store.set(k, { json: JSON.stringify(value + delta), expires: entry.expires })
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
    return { key: k, ttl: entry.expires === null ? null : Math.max(0, Math.ceil((entry.expires - Date.now()) / 1000)), size: sizeOf(k, entry) }
  }

  private key(key: string, options?: KeyOptions): string {
    const k = this.makeKey(key, options?.version)
    this.validateKey(k)
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
    if (Buffer.byteLength(json) > this.maxBytes) {
      throw new BackplaneError(ErrorCode.E_TOO_LARGE, `The value is ${Buffer.byteLength(json)} bytes as JSON; this cache keeps at most ${this.maxBytes} in all.`, { hint: 'Store less, or raise "max bytes" in the alias\'s settings.' })
    }
    if (!this.store.has(k) && this.store.size >= this.maxEntries) this.cull()
    this.store.set(k, { json, expires: this.expiryOf(timeout) })
    // Beyond the byte budget the least recently used go, however few entries there are.
    for (const oldest of this.store.keys()) {
      if (this.store.bytes <= this.maxBytes) break
      if (oldest !== k) this.store.delete(oldest)
    }
  }

  /** Most recently used last, so culling takes from the front (Django moves to the front and pops the back). */
  private touchLru(k: string, entry: Entry): void {
    this.store.set(k, entry)
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
