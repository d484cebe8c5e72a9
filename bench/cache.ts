import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Redis } from 'ioredis'
import { App } from '../main/api/app'
import { valueCodec, type CodecFamily } from '../main/backends/cache/codec'
import { createLogger } from '../main/core/log'
import { BENCH_REDIS_DB, benchRedisUrl, memcachedPair, ourCache, redisPair, type ClientPair, type KeyValueClient } from './support/cache-clients'
import { latencyStats, round } from './support/stats'

const TARGETS = { locmemGetsPerSecond: 2_000_000, overheadMax: 0.1, firstPageMs: 100 }
/** Operations per turn; ours and the raw client take TURNS turns each. */
const OPS = Number(process.env.BENCH_CACHE_OPS ?? 5000)
const TURNS = 11
const IN_FLIGHT = 64
const LOCMEM_ROUNDS = 5
const KEYS = 1000
const VALUE = 'x'.repeat(100)
const LOCMEM_GETS = 2_000_000
const BROWSER_KEYS = Number(process.env.BENCH_CACHE_BROWSER_KEYS ?? 1_000_000)
const PAGE_SAMPLES = 100

/**
 * The cache kind, each figure beside a reference measured in the same run: locmem gets against a
 * plain Map, get/set through our Redis and Memcached engines against ioredis and memjs doing the same
 * (one at a time, and 64 in flight), and the key browser's first page on a Redis of a million keys
 * against a bare SCAN. A section whose engine or server is missing says why instead of failing.
 */
export async function cacheBench(): Promise<unknown> {
  return {
    name: 'cache',
    targets: TARGETS,
    locmem: await section('locmem', locmemGets),
    redis: await section('redis', () => throughput(redisPair, 'redis')),
    memcached: await section('memcached', () => throughput(memcachedPair, 'memcached')),
    keyBrowser: await section('key browser', keyBrowserFirstPage),
  }
}

async function section(name: string, run: () => Promise<unknown>): Promise<unknown> {
  process.stderr.write(`bench: cache ${name}…\n`)
  try {
    return await run()
  } catch (err) {
    return { skipped: `failed: ${(err as Error).message}` }
  }
}

/** Awaited locmem gets on warm keys, against a Map's get (bare, and awaited inside an async function as our get is). */
async function locmemGets() {
  const made = await ourCache('locmem', { location: 'bench', maxEntries: KEYS * 2 })
  if ('skipped' in made) return made
  const keys = Array.from({ length: KEYS }, (_, i) => `bench:${i}`)
  const map = new Map<string, string>()
  try {
    for (const key of keys) {
      await made.cache.set(key, VALUE)
      map.set(key, JSON.stringify(VALUE))
    }
    const asyncMapGet = async (key: string) => map.get(key)
    const cache = made.cache
    // The loops are written out, not passed an op: an async callback per get would add a promise of its own and halve the figure.
    const rates = { locmem: [] as number[], mapAwaited: [] as number[], map: [] as number[] }
    for (let r = 0; r < LOCMEM_ROUNDS; r++) {
      let t0 = performance.now()
      for (let i = 0; i < LOCMEM_GETS; i++) await cache.get(keys[i % KEYS]!)
      rates.locmem.push(LOCMEM_GETS / ((performance.now() - t0) / 1000))
      t0 = performance.now()
      for (let i = 0; i < LOCMEM_GETS; i++) await asyncMapGet(keys[i % KEYS]!)
      rates.mapAwaited.push(LOCMEM_GETS / ((performance.now() - t0) / 1000))
      rates.map.push(syncPerSecond(LOCMEM_GETS * 5, (i) => map.get(keys[i % KEYS]!)))
    }
    const best = (xs: number[]) => Math.round(Math.max(...xs))
    const locmem = best(rates.locmem)
    return {
      getsPerSecond: locmem,
      reference: { mapGetAwaitedPerSecond: best(rates.mapAwaited), mapGetPerSecond: best(rates.map) },
      met: { getsPerSecond: locmem >= TARGETS.locmemGetsPerSecond },
    }
  } finally {
    await made.close()
  }
}

function syncPerSecond(n: number, op: (i: number) => unknown): number {
  let sink = 0
  const t0 = performance.now()
  for (let i = 0; i < n; i++) if (op(i) !== undefined) sink++
  const rate = n / ((performance.now() - t0) / 1000)
  if (sink !== n) throw new Error(`the Map missed ${n - sink} gets`)
  return rate
}

/**
 * set then get, one at a time and 64 in flight. Ours and the raw client run in short turns, many of
 * them: the overhead is the median of the turns' ratios, so a burst of load elsewhere on the machine
 * (other test runs share it) weighs on both sides of a pair rather than on one figure.
 */
async function throughput(open: () => Promise<ClientPair | { skipped: string }>, family: CodecFamily) {
  const pair = await open()
  if ('skipped' in pair) return pair
  const sameBytes = family === 'redis' ? await rawRedisSameBytes() : undefined
  try {
    const figures: Record<string, unknown> = {}
    const met: Record<string, boolean> = {}
    for (const inFlight of [1, IN_FLIGHT]) {
      for (const op of ['set', 'get'] as const) {
        const name = `${op}${inFlight === 1 ? 'Sequential' : `InFlight${inFlight}`}`
        const ours = await pairedTurns(pair.ours, pair.raw, op, inFlight)
        const like = pair.rawLikeEngine ? await pairedTurns(pair.ours, pair.rawLikeEngine, op, inFlight) : undefined
        const same = sameBytes && op === 'set' ? await pairedTurns(pair.ours, sameBytes.client, op, inFlight) : undefined
        figures[name] = {
          backplane: ours.best,
          raw: ours.referenceBest,
          overhead: ours.overhead,
          p99Ratio: ours.p99Ratio,
          ...(like ? { rawLikeEngine: like.referenceBest, overheadBeyondClientOptions: like.overhead } : {}),
          ...(same ? { rawSameBytes: same.referenceBest, overheadBeyondSameBytes: same.overhead } : {}),
        }
        met[name] = ours.overhead <= TARGETS.overheadMax
      }
    }
    return { opsPerTurn: OPS, turns: TURNS, valueBytes: VALUE.length, codec: codecCost(family), ...figures, met }
  } finally {
    await pair.close()
    sameBytes?.close()
  }
}

/**
 * The raw client sends the value as a string; a Django entry is the pickle's bytes, which ioredis sends
 * by another, slower path (a Buffer argument builds the command in a buffer). This reference sets those
 * very bytes (encoded once: the codec's cost is reported apart), so that the part of a set's overhead
 * that is the value's format on the wire can be told from our engine's. `raw` and `overhead` stay as they were.
 */
async function rawRedisSameBytes(): Promise<{ client: KeyValueClient; close(): void } | undefined> {
  const url = benchRedisUrl()
  if (typeof url !== 'string') return undefined
  const redis = new Redis(url, { lazyConnect: true })
  await redis.connect()
  const bytes = valueCodec('redis', 'django').encode(VALUE).bytes
  return { client: { get: (key) => redis.getBuffer(key), set: (key) => redis.set(key, bytes, 'PX', 300_000) }, close: () => redis.disconnect() }
}

/** TURNS turns of each side; the best of each side, and the median of the paired ratios. */
async function pairedTurns(ours: KeyValueClient, reference: KeyValueClient, op: 'get' | 'set', inFlight: number) {
  const mine: Timed[] = []
  const theirs: Timed[] = []
  for (let t = 0; t < TURNS; t++) {
    // Who goes first alternates, so neither side always runs on a server the other just warmed.
    if (t % 2) mine.push(await timed(ours, op, 'bench:', inFlight))
    theirs.push(await timed(reference, op, 'bench:raw:', inFlight))
    if (!(t % 2)) mine.push(await timed(ours, op, 'bench:', inFlight))
  }
  const ratios = mine.map((m, i) => m.opsPerSecond / theirs[i]!.opsPerSecond)
  const p99Ratios = mine.map((m, i) => m.p99Ms / theirs[i]!.p99Ms)
  return { best: bestOf(mine), referenceBest: bestOf(theirs), overhead: round(1 - median(ratios), 3), p99Ratio: round(median(p99Ratios), 2) }
}

/**
 * What turning the value into Django's bytes and back costs in this process (the raw clients send the
 * string as it is): the part of the overhead that is the value format's, not the engine's plumbing.
 */
function codecCost(family: CodecFamily) {
  const codec = valueCodec(family, 'django')
  const { bytes } = codec.encode(VALUE)
  const N = 100_000
  let t0 = performance.now()
  for (let i = 0; i < N; i++) codec.encode(VALUE)
  const encodeUs = ((performance.now() - t0) * 1000) / N
  t0 = performance.now()
  for (let i = 0; i < N; i++) codec.decode({ bytes })
  const decodeUs = ((performance.now() - t0) * 1000) / N
  return { serializer: 'django', storedBytes: bytes.length, encodeMicros: round(encodeUs, 2), decodeMicros: round(decodeUs, 2), largeDict: largeDictCost(codec) }
}

/**
 * A Django-sized structured entry (2,000 dicts, about 100 KB pickled) read back: the fastest of ten
 * reads, beside JSON.parse of the same value's JSON as the reference (what the value model costs at least).
 */
function largeDictCost(codec: ReturnType<typeof valueCodec>) {
  const value = Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`key:${i}`, { id: i, name: `user ${i}`, tags: ['a', 'b'], score: i / 3 }]))
  const { bytes } = codec.encode(value)
  const json = JSON.stringify(value)
  const fastest = (run: () => unknown) => {
    let best = Infinity
    for (let i = 0; i < 10; i++) {
      const t0 = performance.now()
      run()
      best = Math.min(best, performance.now() - t0)
    }
    return round(best, 2)
  }
  return { pickleBytes: bytes.length, decodeMs: fastest(() => codec.decode({ bytes })), reference: { jsonParseMs: fastest(() => JSON.parse(json)) } }
}

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

interface Timed {
  opsPerSecond: number
  p50Ms: number
  p99Ms: number
}

async function timed(client: KeyValueClient, op: 'get' | 'set', prefix: string, inFlight: number): Promise<Timed> {
  const latencies = new Array<number>(OPS)
  let next = 0
  const worker = async () => {
    for (let i = next++; i < OPS; i = next++) {
      const key = `${prefix}${i % KEYS}`
      const t0 = performance.now()
      if (op === 'get') {
        if ((await client.get(key)) == null) throw new Error(`get ${key} missed: the sets before it did not land`)
      } else await client.set(key, VALUE)
      latencies[i] = performance.now() - t0
    }
  }
  const t0 = performance.now()
  await Promise.all(Array.from({ length: inFlight }, worker))
  const seconds = (performance.now() - t0) / 1000
  const stats = latencyStats(latencies)
  return { opsPerSecond: Math.round(OPS / seconds), p50Ms: stats.p50Ms, p99Ms: stats.p99Ms }
}

function bestOf(rounds: Timed[]): Timed {
  return rounds.reduce((best, r) => (r.opsPerSecond > best.opsPerSecond ? r : best))
}

/**
 * cache.scan through the API (router, pool, engine: what the key browser calls) for the first page of
 * 200 on a Redis database holding a million entries as Django writes them, against ioredis's bare SCAN.
 */
async function keyBrowserFirstPage() {
  const url = benchRedisUrl()
  if (typeof url !== 'string') return url
  const home = mkdtempSync(join(tmpdir(), 'backplane-bench-cache-'))
  // The alias's password goes to a secret store: the throwaway data directory's file, never the desktop's keychain.
  process.env.BACKPLANE_SECRET_STORE = 'file'
  const app = await App.open({ host: 'cli', dataDir: home, log: createLogger('bench', { level: 'error' }) })
  const raw = new Redis(url, { lazyConnect: true })
  try {
    await raw.connect()
    // FLUSHDB below: only ever on the bench's own database of the shared testbed Redis.
    if (raw.options.db !== BENCH_REDIS_DB) throw new Error(`the bench's Redis client is on database ${raw.options.db}, not ${BENCH_REDIS_DB}`)
    const saved = await app.call('settings.saveAlias', { kind: 'cache', name: 'bench', engine: 'redis', options: { location: url } }).catch((err: Error) => err)
    if (saved instanceof Error) return { skipped: `the redis engine is not there: ${saved.message}` }
    const fill = await fillRedis(raw)
    const firstPage = async (pattern: string) => {
      const ours: number[] = []
      const bare: number[] = []
      let entries = 0
      // Turn about, so a burst of load on the machine hits both sides alike.
      for (let i = 0; i < PAGE_SAMPLES + 3; i++) {
        let t0 = performance.now()
        const page = await app.call('cache.scan', { alias: 'bench', pattern, count: 200 })
        if (i >= 3) ours.push(performance.now() - t0)
        entries = page.entries.length
        t0 = performance.now()
        await raw.scan('0', 'MATCH', `:*:${pattern}`, 'COUNT', 200)
        if (i >= 3) bare.push(performance.now() - t0)
      }
      const b = latencyStats(ours)
      return { pattern, entries, backplane: b, bareScan: latencyStats(bare), met: { p50: b.p50Ms < TARGETS.firstPageMs, p99: b.p99Ms < TARGETS.firstPageMs } }
    }
    return { keys: BROWSER_KEYS, fill, all: await firstPage('*'), narrow: await firstPage('bench:12345*') }
  } finally {
    // The bench's own database: nothing else lives there.
    if (raw.status === 'ready' && raw.options.db === BENCH_REDIS_DB) await raw.flushdb()
    raw.disconnect()
    await app.close()
    rmSync(home, { recursive: true, force: true })
  }
}

/** Entries as Django's Redis cache keeps an integer (`:1:bench:<n>` → "<n>"), MSET 1000 at a time, 20 commands in flight. */
async function fillRedis(raw: Redis) {
  const t0 = performance.now()
  await raw.flushdb()
  const PER_COMMAND = 1000
  for (let start = 0; start < BROWSER_KEYS; start += PER_COMMAND * 20) {
    const pipeline = raw.pipeline()
    for (let c = start; c < Math.min(BROWSER_KEYS, start + PER_COMMAND * 20); c += PER_COMMAND) {
      const args: string[] = []
      for (let n = c; n < Math.min(BROWSER_KEYS, c + PER_COMMAND); n++) args.push(`:1:bench:${n}`, String(n))
      pipeline.mset(...args)
    }
    await pipeline.exec()
  }
  const size = await raw.dbsize()
  if (size !== BROWSER_KEYS) throw new Error(`filled ${size} keys, not ${BROWSER_KEYS}`)
  return { ms: Math.round(performance.now() - t0) }
}
