import { z } from 'zod'
import { defineEngine, type EngineContext } from '../../../core/engine'
import { BackplaneError, ErrorCode } from '../../../core/errors'
import { BaseCache, CacheOptions, type CacheEntryDetail, type CacheStats, type CacheValue, type KeyOptions, type SetOptions } from '../base'
import { decodeOffLoop, serializerOption, storedDetail, valueCodec, type ValueCodec } from '../codec'
import { validateMemcachedKey } from './memcached-keys'
import { parseLocation, selectServer } from './memcached-ring'
import { MemcachedConnection, type MemcachedItem } from './memcached-wire'

const MemcachedOptions = CacheOptions.extend({
  location: z
    .union([z.string(), z.array(z.string())])
    .default('127.0.0.1:11211')
    .describe('"host:port", or several separated by ";" or "," (or a list), or "unix:/path"; as Django\'s LOCATION, so keys land on the same servers.'),
  serializer: serializerOption,
  connectTimeoutSeconds: z.number().min(0.1).max(60).default(2).describe('Give up connecting to a server after this many seconds.'),
  commandTimeoutSeconds: z.number().min(0.1).max(60).default(2).describe('Give up waiting for an answer after this many seconds.'),
})
type MemcachedOptions = z.output<typeof MemcachedOptions>

// Django's get_backend_timeout(): memcached reads an expiry over 30 days as a Unix time.
const THIRTY_DAYS = 60 * 60 * 24 * 30
/**
 * What memcached's text protocol makes of the -1 Django sends for "expire now" (REALTIME_MAXDELTA + 1:
 * a Unix time before the server started). The binary protocol takes no negative numbers, and 0xffffffff
 * there would be a time in 2106.
 */
const EXPIRED = THIRTY_DAYS + 1

/** Django's PyMemcacheCache: pymemcache's HashClient over the LOCATION's servers, values as its pickle_serde. */
class MemcachedCache extends BaseCache {
  private readonly servers: MemcachedConnection[]
  private readonly codec: ValueCodec

  constructor(options: MemcachedOptions, ctx: EngineContext) {
    super(options, ctx)
    const connection = { connectTimeoutSeconds: options.connectTimeoutSeconds, commandTimeoutSeconds: options.commandTimeoutSeconds, log: ctx.log }
    this.servers = parseLocation(options.location).map((spec) => new MemcachedConnection(spec, connection))
    this.codec = valueCodec('memcached', options.serializer)
  }

  async get(key: string, options?: KeyOptions): Promise<CacheValue | undefined> {
    const k = this.key(key, options)
    const item = await this.serverOf(k).get(k)
    return item && (await decodeOffLoop(this.codec, item)).value
  }

  async set(key: string, value: CacheValue, options?: SetOptions): Promise<void> {
    await this.setStored(this.key(key, options), value, options?.timeout)
  }

  async add(key: string, value: CacheValue, options?: SetOptions): Promise<boolean> {
    return this.store('add', this.key(key, options), value, options?.timeout)
  }

  async touch(key: string, options?: SetOptions): Promise<boolean> {
    const k = this.key(key, options)
    return this.serverOf(k).touch(k, this.exptime(options?.timeout))
  }

  async delete(key: string, options?: KeyOptions): Promise<boolean> {
    const k = this.key(key, options)
    return this.serverOf(k).delete(k)
  }

  override async getMany(keys: readonly string[], options?: KeyOptions): Promise<Map<string, CacheValue>> {
    const stored = new Map(keys.map((key) => [this.key(key, options), key]))
    const items = await Promise.all([...stored.keys()].map(async (k) => [k, await this.serverOf(k).get(k)] as const))
    const found = new Map<string, CacheValue>()
    for (const [k, item] of items) if (item) found.set(stored.get(k)!, (await decodeOffLoop(this.codec, item)).value)
    return found
  }

  /** As pymemcache's set_many under Django: the keys the servers did not store; a fault still throws. */
  override async setMany(entries: ReadonlyMap<string, CacheValue>, options?: SetOptions): Promise<string[]> {
    const keys = [...entries.keys()].map((key) => [key, this.key(key, options)] as const)
    const failed = new Set<string>()
    await Promise.all(
      keys.map(async ([key, k]) => {
        try {
          await this.setStored(k, entries.get(key), options?.timeout)
        } catch (error) {
          if (!(error instanceof BackplaneError && error.code === ErrorCode.E_TOO_LARGE)) throw error
          failed.add(key)
        }
      }),
    )
    return keys.map(([key]) => key).filter((key) => failed.has(key))
  }

  override async deleteMany(keys: readonly string[], options?: KeyOptions): Promise<void> {
    const stored = keys.map((key) => this.key(key, options))
    await Promise.all(stored.map((k) => this.serverOf(k).delete(k)))
  }

  /** memcached's own incr/decr on the stored digits; as memcached (and Django documents), decr stops at 0. */
  override async incr(key: string, delta = 1, options?: KeyOptions): Promise<number> {
    return this.count(key, delta, options)
  }

  override async decr(key: string, delta = 1, options?: KeyOptions): Promise<number> {
    return this.count(key, -delta, options)
  }

  async clear(): Promise<void> {
    await Promise.all(this.servers.map((server) => server.flush()))
  }

  // No scan(): memcached cannot list its keys. The key browser offers lookup by key instead.

  /**
   * One stored key as it is. Its TTL stays null: memcached's binary protocol (all memjs speaks) cannot
   * tell an item's expiry; only the meta commands (`mg … t`) could, and memjs has none.
   */
  override async inspect(storedKey: string): Promise<CacheEntryDetail | undefined> {
    validateMemcachedKey(storedKey)
    const item = await this.serverOf(storedKey).get(storedKey)
    if (!item) return undefined
    // A damaged entry is still shown (as its bytes), so it can be looked at and deleted.
    return { key: storedKey, type: 'entry', ttl: null, ttlUnknown: true, size: item.bytes.length, ...(await storedDetail(item.bytes, () => decodeOffLoop(this.codec, item))) }
  }

  override async deleteStored(storedKeys: readonly string[]): Promise<number> {
    for (const k of storedKeys) validateMemcachedKey(k)
    const deleted = await Promise.all(storedKeys.map((k) => this.serverOf(k).delete(k)))
    return deleted.filter(Boolean).length
  }

  /** `stats` summed over the servers; uptime is the shortest, the time the sums have all been counting. */
  override async stats(): Promise<CacheStats> {
    const all = await Promise.all(this.servers.map((server) => server.stats()))
    const sum = (...names: string[]) => all.reduce((total, stats) => total + names.reduce((n, name) => n + (Number(stats[name]) || 0), 0), 0)
    return {
      hits: sum('get_hits'),
      misses: sum('get_misses'),
      operations: sum('cmd_get', 'cmd_set'),
      memoryBytes: sum('bytes'),
      maxMemoryBytes: sum('limit_maxbytes'),
      connections: sum('curr_connections'),
      evictions: sum('evictions'),
      keys: sum('curr_items'),
      uptimeSeconds: Math.min(...all.map((stats) => Number(stats.uptime) || 0)),
    }
  }

  protected async serverVersion(): Promise<string> {
    const versions = await Promise.all(this.servers.map((server) => server.version()))
    if (versions.length === 1) return `memcached ${versions[0]}`
    return versions.map((version, i) => `memcached ${version} (${this.servers[i]!.node})`).join(', ')
  }

  override async close(): Promise<void> {
    for (const server of this.servers) server.close()
  }

  private key(key: string, options?: KeyOptions): string {
    const k = this.makeKey(key, options?.version)
    validateMemcachedKey(k)
    return k
  }

  private serverOf(storedKey: string): MemcachedConnection {
    return selectServer(this.servers, storedKey)
  }

  private async setStored(k: string, value: CacheValue, timeout: number | null | undefined): Promise<void> {
    try {
      await this.store('set', k, value, timeout)
    } catch (error) {
      // As Django: a value the server refuses (its 1 MB limit) must not leave the old one in place.
      if (error instanceof BackplaneError && error.code === ErrorCode.E_TOO_LARGE) await this.serverOf(k).delete(k)
      throw error
    }
  }

  private store(op: 'set' | 'add', k: string, value: CacheValue, timeout: number | null | undefined): Promise<boolean> {
    const server = this.serverOf(k)
    const limit = server.knownMaxItemSize()
    // Only the first write to a server waits for its item size limit: the others go straight on.
    if (limit === undefined) return server.maxItemSize().then((read) => this.storeWithin(read, server, op, k, value, timeout))
    return this.storeWithin(limit, server, op, k, value, timeout)
  }

  /** Callers are async, so what this throws (a value too large, or with no stored form) reaches theirs as a rejection. */
  private storeWithin(limit: number, server: MemcachedConnection, op: 'set' | 'add', k: string, value: CacheValue, timeout: number | null | undefined): Promise<boolean> {
    const encoded = this.codec.encode(value)
    const item: MemcachedItem = { bytes: encoded.bytes, flags: encoded.flags ?? 0 }
    if (item.bytes.length > limit) {
      throw new BackplaneError(ErrorCode.E_TOO_LARGE, `The value is ${item.bytes.length} bytes once encoded; memcached at ${server.node} keeps items of at most ${limit} bytes.`, {
        hint: 'Store less (split it, or compress it first), or raise the server\'s item size limit (memcached -I).',
      })
    }
    return server.store(op, k, item, this.exptime(timeout))
  }

  private async count(key: string, delta: number, options?: KeyOptions): Promise<number> {
    if (!Number.isSafeInteger(delta)) {
      throw new BackplaneError(ErrorCode.E_INVALID_INPUT, `incr()/decr() take a whole number, not ${delta}.`, { hint: 'memcached counts in whole numbers.' })
    }
    const k = this.key(key, options)
    // As Django: memcached takes no negative delta, so incr(-n) is decr(n).
    const value = await this.serverOf(k).count(delta < 0 ? 'decr' : 'incr', k, BigInt(Math.abs(delta)))
    if (value === undefined) {
      throw new BackplaneError(ErrorCode.E_NOT_FOUND, `Key "${key}" not found.`, { hint: "Set it to a number first; incr() does not create keys (Django raises ValueError: Key '…' not found)." })
    }
    // A counter past 2^53 (memcached's are 64-bit) comes back rounded: the API answers numbers.
    return Number(value)
  }

  /** Django's get_backend_timeout(), in the binary protocol's unsigned seconds. */
  private exptime(timeout: number | null | undefined): number {
    const seconds = timeout === undefined ? this.defaultTimeout : timeout
    if (seconds === null) return 0
    const whole = Math.trunc(seconds)
    if (whole <= 0) return EXPIRED
    // The binary protocol's expiry is 32 bits: a later Unix time than it holds is its last second (2106).
    return whole > THIRTY_DAYS ? Math.min(whole + Math.trunc(Date.now() / 1000), 0xfffffffe) : whole
  }
}

// Django's MEMCACHE_MAX_KEY_LENGTH, as memcached-keys.ts counts it.
export const memcachedEngine = defineEngine({
  kind: 'cache',
  id: 'memcached',
  title: 'Memcached',
  description:
    "Django's PyMemcacheCache: one or more memcached servers, each key on the server Django's pymemcache picks, values as it stores them. Memcached cannot list its keys, so the key browser looks keys up by name.",
  options: MemcachedOptions,
  create: (options, ctx) => new MemcachedCache(options, ctx),
})
