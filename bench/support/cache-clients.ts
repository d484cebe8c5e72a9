import memjs from 'memjs'
import { Redis } from 'ioredis'
import { cacheEngines, type Cache } from '../../main/backends/cache'
import { createBackend, testContext } from '../../test/support/engine-context'
import { serviceEnv } from '../../test/support/services'

/** The bench's own Redis database: the testbed's Redis is shared, and this one is flushed at the end. */
export const BENCH_REDIS_DB = 9

/** The two calls the throughput figures time, the same for our engine and the raw client. */
export interface KeyValueClient {
  get(key: string): Promise<unknown>
  set(key: string, value: string): Promise<unknown>
}

/** Our engine and the server's raw client side by side, each able to say why it is absent. */
export interface ClientPair {
  ours: KeyValueClient
  raw: KeyValueClient
  /** The raw client with the options our engine gives it (timeouts, protocol), to tell its cost from the engine's code. */
  rawLikeEngine?: KeyValueClient
  close(): Promise<void>
}

/** The testbed's Redis URL with the bench's database in the path, or why there is none. */
export function benchRedisUrl(): string | { skipped: string } {
  const url = serviceEnv('redis')?.BACKPLANE_TEST_REDIS_URL
  if (!url) return { skipped: 'no Redis: BACKPLANE_TEST_REDIS_URL is not set (start the testbed: npm run testbed:start)' }
  const parsed = new URL(url)
  parsed.pathname = `/${BENCH_REDIS_DB}`
  return parsed.toString()
}

/** A cache backend of a built-in engine, made as the pool makes it, or why the engine is not there. */
export async function ourCache(engineId: string, options: Record<string, unknown>): Promise<{ cache: Cache; close(): Promise<void> } | { skipped: string }> {
  const engine = cacheEngines.find((e) => e.id === engineId)
  if (!engine) return { skipped: `the ${engineId} cache engine is not registered in main/backends/cache/index.ts` }
  const ctx = testContext('cache', { engine: engineId, alias: `bench-${engineId}` })
  const cache = await createBackend<Cache>(engine, options, ctx)
  return {
    cache,
    async close() {
      await cache.close()
      ctx.cleanup()
    },
  }
}

function asClient(cache: Cache): KeyValueClient {
  return { get: (key) => cache.get(key), set: (key, value) => cache.set(key, value, { timeout: 300 }) }
}

export async function redisPair(): Promise<ClientPair | { skipped: string }> {
  const url = benchRedisUrl()
  if (typeof url !== 'string') return url
  const ours = await ourCache('redis', { location: url })
  if ('skipped' in ours) return ours
  const raw = new Redis(url, { lazyConnect: true })
  // As main/backends/cache/engines/redis-connection.ts makes its client: a timer per command, RESP2, no offline queue.
  const like = new Redis(url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, commandTimeout: 10_000, protocol: 2 })
  await raw.connect()
  await like.connect()
  const client = (redis: Redis): KeyValueClient => ({ get: (key) => redis.getBuffer(key), set: (key, value) => redis.set(key, value, 'PX', 300_000) })
  return {
    ours: asClient(ours.cache),
    raw: client(raw),
    rawLikeEngine: client(like),
    async close() {
      await ours.close()
      raw.disconnect()
      like.disconnect()
    },
  }
}

export async function memcachedPair(): Promise<ClientPair | { skipped: string }> {
  const location = serviceEnv('memcached')?.BACKPLANE_TEST_MEMCACHED
  if (!location) return { skipped: 'no Memcached: BACKPLANE_TEST_MEMCACHED is not set (start the testbed: npm run testbed:start)' }
  const ours = await ourCache('memcached', { location })
  if ('skipped' in ours) return ours
  const raw = memjs.Client.create(location, { retries: 0, logger: { log: () => undefined } })
  return {
    ours: asClient(ours.cache),
    raw: { get: (key) => raw.get(key), set: (key, value) => raw.set(key, value, { expires: 300 }) },
    async close() {
      await ours.close()
      raw.close()
    },
  }
}
