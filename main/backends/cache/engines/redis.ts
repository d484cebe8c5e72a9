import { z } from 'zod'
import { defineEngine, secretString, type EngineContext } from '../../../core/engine'
import { BackplaneError, ErrorCode } from '../../../core/errors'
import { BaseCache, CacheOptions, type CacheEntryDetail, type CacheScan, type CacheStats, type CacheValue, type KeyOptions, type SetOptions } from '../base'
import { decodeOffLoop, SLICED_FROM_BYTES, serializerOption, valueCodec, type ValueCodec } from '../codec'
import { RedisConnection } from './redis-connection'
import { inspectKey, scanPage, unlinkKeys, type SizeProbe } from './redis-inspect'
import { parseLocation, readCaFile } from './redis-location'
import { redisStats, redisVersion } from './redis-stats'

const oneOrMany = (value: unknown) => (typeof value === 'string' ? [value] : value)

const RedisCacheOptions = CacheOptions.extend({
  location: z
    .preprocess(oneOrMany, z.array(z.string().trim().min(1, 'Enter a Redis URL.')).min(1, 'Enter a Redis URL.').max(16))
    .default(['redis://127.0.0.1:6379/0'])
    .describe(
      "The server, as Django's LOCATION: redis://[[user]:password@]host:port/db, rediss:// for TLS, or unix:///path/to/redis.sock?db=N. " +
        'With several, the first takes every write and the key browser, and get, get_many and has_key go to one of the others (replicas), as in Django. ' +
        'A password typed here is kept in the secret store.',
    ),
  password: secretString('Password, kept in the secret store; overrides one in the location (django-redis: OPTIONS PASSWORD).').optional(),
  username: z.string().optional().describe('ACL user name (Redis 6 and later); overrides one in the location.'),
  db: z.number().int().min(0).optional().describe("Database number; overrides the location's. Note that clear() empties this whole database, as Django's does, not only this prefix."),
  tlsCaFile: z.string().optional().describe("PEM file of the CA that signed a rediss:// server's certificate, when it is not a public one. The server's name is always checked."),
  connectTimeoutSeconds: z.number().min(0.1).max(300).default(5).describe('Give up connecting after this many seconds (django-redis: SOCKET_CONNECT_TIMEOUT).'),
  commandTimeoutSeconds: z.number().min(0.1).max(600).default(10).describe('Give up on an answer after this many seconds (django-redis: SOCKET_TIMEOUT).'),
  serializer: serializerOption,
})
type RedisCacheOptions = z.output<typeof RedisCacheOptions>

// django-redis's incr: atomic, and false (nil) when the key is not there rather than creating it.
const INCR_EXISTING = "if redis.call('EXISTS', KEYS[1]) == 1 then return redis.call('INCRBY', KEYS[1], ARGV[1]) else return false end"
/** What INCRBY answers for a value that is not a 64-bit integer (a pickle, a float) or would overflow. */
const NOT_AN_INTEGER = /not an integer|out of range|would overflow/i

/** Django's RedisCache and django-redis's RedisCache, on the same keys and the same bytes. */
class RedisCache extends BaseCache {
  private readonly sizes: SizeProbe = { memoryUsage: true }

  constructor(
    options: CacheOptions,
    ctx: EngineContext,
    private readonly primary: RedisConnection,
    private readonly replicas: RedisConnection[],
    private readonly codec: ValueCodec,
  ) {
    super(options, ctx)
  }

  async get(key: string, options?: KeyOptions): Promise<CacheValue | undefined> {
    const k = this.key(key, options)
    const bytes = await this.reader().run((c) => c.getBuffer(k))
    if (bytes === null) return undefined
    return bytes.length <= SLICED_FROM_BYTES ? this.decodeNow(k, bytes) : await this.decodeEntry(k, bytes)
  }

  async set(key: string, value: CacheValue, options?: SetOptions): Promise<void> {
    const k = this.key(key, options)
    const bytes = this.codec.encode(value).bytes
    const ms = this.timeoutMs(options?.timeout)
    // As Django and django-redis: Redis has no "expire now" for SET, so a timeout of 0 or less deletes.
    if (ms !== null && ms <= 0) await this.primary.run((c) => c.del(k))
    else await this.primary.run((c) => (ms === null ? c.set(k, bytes) : c.set(k, bytes, 'PX', ms)))
  }

  async add(key: string, value: CacheValue, options?: SetOptions): Promise<boolean> {
    const k = this.key(key, options)
    const bytes = this.codec.encode(value).bytes
    const ms = this.timeoutMs(options?.timeout)
    // django-redis: with a timeout of 0 or less nothing is stored; the answer is whether it would have been.
    if (ms !== null && ms <= 0) return (await this.primary.run((c) => c.exists(k))) === 0
    const reply = await this.primary.run((c) => (ms === null ? c.set(k, bytes, 'NX') : c.set(k, bytes, 'PX', ms, 'NX')))
    return reply === 'OK'
  }

  async touch(key: string, options?: SetOptions): Promise<boolean> {
    const k = this.key(key, options)
    const ms = this.timeoutMs(options?.timeout)
    if (ms === null) {
      // PERSIST answers 0 for a key that never expired; Django documents touch() as "the key exists", so EXISTS says it.
      const replies = await this.primary.run((c) => c.pipeline().persist(k).exists(k).exec())
      return Number(replies?.[1]?.[1]) === 1
    }
    return (await this.primary.run((c) => c.pexpire(k, Math.max(0, ms)))) === 1
  }

  async delete(key: string, options?: KeyOptions): Promise<boolean> {
    const k = this.key(key, options)
    return (await this.primary.run((c) => c.del(k))) > 0
  }

  override async hasKey(key: string, options?: KeyOptions): Promise<boolean> {
    const k = this.key(key, options)
    return (await this.reader().run((c) => c.exists(k))) === 1
  }

  override async getMany(keys: readonly string[], options?: KeyOptions): Promise<Map<string, CacheValue>> {
    const found = new Map<string, CacheValue>()
    if (keys.length === 0) return found
    const stored = keys.map((key) => this.key(key, options))
    const values = await this.reader().run((c) => c.mgetBuffer(...stored))
    for (let i = 0; i < values.length; i++) {
      const bytes = values[i]
      if (bytes !== null && bytes !== undefined) found.set(keys[i]!, await this.decodeEntry(stored[i]!, bytes))
    }
    return found
  }

  /** One pipeline, as django-redis; answers the keys the server refused (Django's RedisCache always answers []). */
  override async setMany(entries: ReadonlyMap<string, CacheValue>, options?: SetOptions): Promise<string[]> {
    const ms = this.timeoutMs(options?.timeout)
    if (ms !== null && ms <= 0) {
      await this.deleteMany([...entries.keys()], options)
      return []
    }
    // Encoded first, so a value that cannot be written stops the call before anything is sent.
    const writes = [...entries].map(([key, value]) => ({ key, k: this.key(key, options), bytes: this.codec.encode(value).bytes }))
    if (writes.length === 0) return []
    const replies = await this.primary.run(async (c) => {
      const pipeline = c.pipeline()
      for (const { k, bytes } of writes) {
        if (ms === null) pipeline.set(k, bytes)
        else pipeline.set(k, bytes, 'PX', ms)
      }
      const replies = (await pipeline.exec()) ?? []
      // Every write refused (the connection went, the server is full): that is the call's error.
      if (replies.length > 0 && replies.every(([err]) => err)) throw replies[0]![0]!
      return replies
    })
    const failed: string[] = []
    writes.forEach(({ key }, i) => {
      const err = replies[i]?.[0]
      if (!err) return
      failed.push(key)
      this.ctx.log.warn(`set_many: Redis refused "${key}": ${err.message}`)
    })
    return failed
  }

  override async deleteMany(keys: readonly string[], options?: KeyOptions): Promise<void> {
    if (keys.length === 0) return
    const stored = keys.map((key) => this.key(key, options))
    await this.primary.run((c) => c.del(...stored))
  }

  override async incr(key: string, delta = 1, options?: KeyOptions): Promise<number> {
    const k = this.key(key, options)
    const answer = await this.primary.run(async (c) => {
      try {
        return { value: (await c.eval(INCR_EXISTING, 1, k, delta)) as number | null }
      } catch (err) {
        // A pickled value (a float, a str) or an integer beyond 64 bits: done here, as django-redis does.
        if (err instanceof Error && NOT_AN_INTEGER.test(err.message)) return { notInteger: true as const }
        throw err
      }
    })
    if ('value' in answer && answer.value !== null) return Number(answer.value)
    if ('value' in answer) throw notFound(key)
    return this.incrDecoded(key, k, delta)
  }

  /** incr() of a value INCRBY cannot add to: read, add, write back with the TTL it had (django-redis's fallback). */
  private async incrDecoded(key: string, k: string, delta: number): Promise<number> {
    const [bytes, pttl] = await this.primary.run(async (c) => {
      const replies = (await c.pipeline().getBuffer(k).pttl(k).exec()) ?? []
      return [replies[0]?.[1] as Buffer | null, Number(replies[1]?.[1])] as const
    })
    if (bytes === null || bytes === undefined || pttl === -2) throw notFound(key)
    const current = await this.decodeEntry(k, bytes)
    let next: CacheValue
    if (typeof current === 'number') next = current + delta
    else if (isBigInt(current) && Number.isInteger(delta)) next = bigIntValue(BigInt(current.$int) + BigInt(delta))
    else {
      throw new BackplaneError(ErrorCode.E_INVALID_INPUT, `Key "${key}" holds ${kindOf(current)}, not a number, so it cannot be incremented.`, {
        hint: 'incr() and decr() work on numbers only (as in Django); set the key to a number first.',
      })
    }
    const encoded = this.codec.encode(next).bytes
    await this.primary.run((c) => (pttl > 0 ? c.set(k, encoded, 'PX', pttl) : c.set(k, encoded)))
    return typeof next === 'number' ? next : Number((next as { $int: string }).$int)
  }

  /** django-redis's incr_version(): the stored bytes move as they are, with the TTL they had. */
  override async incrVersion(key: string, delta = 1, options?: KeyOptions): Promise<number> {
    const version = options?.version ?? this.version
    const from = this.key(key, { version })
    const to = this.key(key, { version: version + delta })
    const replies = await this.primary.run(async (c) => (await c.pipeline().getBuffer(from).pttl(from).exec()) ?? [])
    const bytes = replies[0]?.[1] as Buffer | null
    const pttl = Number(replies[1]?.[1])
    if (!bytes) throw new BackplaneError(ErrorCode.E_NOT_FOUND, `Key "${key}" not found.`, { hint: 'incr_version() moves an existing entry; set it first (as in Django).' })
    await this.primary.run((c) => {
      const pipeline = c.pipeline()
      if (pttl > 0) pipeline.set(to, bytes, 'PX', pttl)
      else pipeline.set(to, bytes)
      return pipeline.del(from).exec()
    })
    return version + delta
  }

  /** FLUSHDB, as Django's RedisCache and django-redis: the whole database, every prefix and every other app's keys in it. */
  async clear(): Promise<void> {
    await this.primary.run((c) => c.flushdb())
  }

  override async scan(options: { pattern?: string; cursor?: string | null; count?: number }): Promise<CacheScan> {
    return this.primary.run((c) => scanPage(c, this.sizes, options))
  }

  override async inspect(storedKey: string): Promise<CacheEntryDetail | undefined> {
    return this.primary.run((c) => inspectKey(c, this.sizes, this.codec, storedKey))
  }

  override async deleteStored(storedKeys: readonly string[]): Promise<number> {
    return this.primary.run((c) => unlinkKeys(c, storedKeys))
  }

  override async stats(): Promise<CacheStats> {
    return this.primary.run((c) => redisStats(c))
  }

  protected async serverVersion(): Promise<string> {
    return this.primary.run((c) => redisVersion(c))
  }

  override async close(): Promise<void> {
    await Promise.all([this.primary, ...this.replicas].map((connection) => connection.close()))
  }

  /** The connection reads go to: a replica at random when there are some (django-redis's get_next_client_index). */
  private reader(): RedisConnection {
    if (this.replicas.length === 0) return this.primary
    return this.replicas[Math.floor(Math.random() * this.replicas.length)]!
  }

  private key(key: string, options?: KeyOptions): string {
    const k = this.makeKey(key, options?.version)
    this.validateKey(k)
    return k
  }

  /** Milliseconds as django-redis counts them (int(timeout * 1000)), null for never. */
  private timeoutMs(timeout: number | null | undefined): number | null {
    const seconds = timeout === undefined ? this.defaultTimeout : timeout
    return seconds === null ? null : Math.trunc(seconds * 1000)
  }

  /** The value of an entry; a damaged pickle is E_CACHE_CORRUPT (the codec's), naming the key. */
  private async decodeEntry(storedKey: string, bytes: Buffer): Promise<CacheValue> {
    try {
      return (await decodeOffLoop(this.codec, { bytes })).value
    } catch (err) {
      throw unreadable(storedKey, err)
    }
  }

  /** decodeEntry for a small value (most entries), without the promise: get() is the hot path. */
  private decodeNow(storedKey: string, bytes: Buffer): CacheValue {
    try {
      return this.codec.decode({ bytes }).value
    } catch (err) {
      throw unreadable(storedKey, err)
    }
  }
}

function unreadable(storedKey: string, err: unknown): unknown {
  if (!(err instanceof BackplaneError)) return err
  return new BackplaneError(err.code as ErrorCode, `The value of "${storedKey}" cannot be read: ${err.message}`, {
    hint: err.code === ErrorCode.E_CACHE_CORRUPT ? 'Look at its raw bytes in the key browser; delete it so the application sets it again.' : err.hint,
    cause: err,
  })
}

function notFound(key: string): BackplaneError {
  return new BackplaneError(ErrorCode.E_NOT_FOUND, `Key "${key}" not found.`, { hint: 'Set it to a number first; incr() does not create keys (as in Django).' })
}

function isBigInt(value: CacheValue): value is { $int: string } {
  return typeof value === 'object' && value !== null && typeof (value as { $int?: unknown }).$int === 'string'
}

function bigIntValue(n: bigint): CacheValue {
  return n <= BigInt(Number.MAX_SAFE_INTEGER) && n >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(n) : { $int: n.toString() }
}

function kindOf(value: CacheValue): string {
  if (value === null) return 'None'
  if (Array.isArray(value)) return 'a list'
  if (typeof value === 'object') {
    const tag = Object.keys(value as object).find((k) => k.startsWith('$'))
    return tag === '$class' ? `a ${(value as { $class: string }).$class}` : tag ? `a ${tag.slice(1)}` : 'a dict'
  }
  return typeof value === 'string' ? 'a str' : `a ${typeof value}`
}

export const redisEngine = defineEngine({
  kind: 'cache',
  id: 'redis',
  title: 'Redis',
  description:
    "A Redis server, as Django's RedisCache and django-redis use it: the same keys and the same bytes, so Backplane reads and writes a running Django app's entries. " +
    'Its key browser also shows hashes, lists, sets, sorted sets and streams. clear() empties the whole database number (FLUSHDB), as Django\'s does.',
  options: RedisCacheOptions,
  async create(options: RedisCacheOptions, ctx) {
    const tlsCa = await readCaFile(options.tlsCaFile, ctx.dataDir)
    const overrides = { password: options.password, username: options.username, db: options.db, tlsCa }
    const timeouts = { connectMs: options.connectTimeoutSeconds * 1000, commandMs: options.commandTimeoutSeconds * 1000 }
    const [primary, ...replicas] = options.location.map((location) => new RedisConnection(parseLocation(location, overrides), timeouts, ctx.log))
    return new RedisCache(options, ctx, primary!, replicas, valueCodec('redis', options.serializer))
  },
})
