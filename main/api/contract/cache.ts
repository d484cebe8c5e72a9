import { z } from 'zod'
import { method } from './define'

const Alias = z.string().default('default')
/** Memcached stops at 250 characters and Django warns beyond; 8 KiB leaves room for any real key and bounds matching it. */
export const MAX_CACHE_KEY = 8192
const Key = z.string().min(1, 'Enter a key.').max(MAX_CACHE_KEY, `A key of more than ${MAX_CACHE_KEY} characters is not a key anyone uses.`)
const Version = z.number().int().optional()

/** A key as the server stores it (prefix and version included), for keys the browser lists. */
const StoredKey = z.string().min(1, 'Enter a key.').max(MAX_CACHE_KEY, `A key of more than ${MAX_CACHE_KEY} characters is not a key anyone uses.`)
const EntryType = z.enum(['entry', 'hash', 'list', 'set', 'zset', 'stream', 'other'])

export const CacheEntryView = z.object({
  key: z.string(),
  /** The key as the application wrote it, when the stored key carries this alias's prefix and a version. */
  userKey: z.string().optional(),
  version: z.number().int().optional(),
  ttl: z.number().nullable(),
  size: z.number(),
  type: EntryType.optional(),
})

export const CacheEntryDetailView = CacheEntryView.extend({
  type: EntryType,
  encoding: z.enum(['int', 'pickle', 'json', 'text', 'bytes']).optional(),
  value: z.unknown().optional(),
  opaque: z.boolean().optional(),
  raw: z.string().optional(),
  rawTruncated: z.boolean().optional(),
  problem: z.object({ code: z.string(), message: z.string(), hint: z.string().optional() }).optional(),
  ttlUnknown: z.boolean().optional(),
  items: z.array(z.object({ field: z.string().optional(), score: z.number().optional(), value: z.unknown() })).optional(),
  itemCount: z.number().optional(),
})

export const CacheStatsView = z.object({
  hits: z.number().optional(),
  misses: z.number().optional(),
  operations: z.number().optional(),
  memoryBytes: z.number().optional(),
  maxMemoryBytes: z.number().optional(),
  connections: z.number().optional(),
  evictions: z.number().optional(),
  keys: z.number().optional(),
  uptimeSeconds: z.number().optional(),
})

/** Part of the workload's keys, so only characters every server takes in a key (Memcached refuses spaces and control characters). */
const RunId = z.string().regex(/^[A-Za-z0-9._-]{1,100}$/, 'Use 1 to 100 letters, digits, ".", "_" or "-".')
const Pattern = z.string().max(1024).default('*')
/** Whether a pattern matches keys as stored (prefix and version included) instead of as the application wrote them. */
const Raw = z.boolean().default(false)

export const WorkloadResultView = z.object({
  runId: z.string(),
  cancelled: z.boolean(),
  seconds: z.number(),
  operations: z.number(),
  gets: z.number(),
  sets: z.number(),
  hits: z.number(),
  misses: z.number(),
  errors: z.number(),
  /** The first error's message, when there were errors. */
  firstError: z.string().optional(),
  opsPerSecond: z.number(),
  latencyMs: z.object({ p50: z.number(), p90: z.number(), p99: z.number(), max: z.number() }),
  /** Operations by latency: each bucket counts those that took at most `upToMs` (and more than the bucket before). */
  histogram: z.array(z.object({ upToMs: z.number(), count: z.number() })),
})

export const cacheMethods = {
  'cache.scan': method({
    description:
      'Lists stored keys matching a glob pattern, a page at a time; as Redis SCAN, count is how many keys a page looks at, so a page may hold fewer (even none) while the cursor goes on. ' +
      'The pattern matches keys as the application wrote them (`session:*`), in any version; with raw, it matches keys as stored.',
    input: z.object({ alias: Alias, pattern: Pattern, raw: Raw, cursor: z.string().max(1024).nullable().default(null), count: z.number().int().min(1).max(1000).default(200) }),
    output: z.object({ entries: z.array(CacheEntryView), cursor: z.string().nullable() }),
  }),
  'cache.inspect': method({
    description: 'One stored key in full: its value decoded (pickles read, never executed) beside its raw bytes, or the first items of a Redis hash, list, set, sorted set or stream.',
    input: z.object({ alias: Alias, key: StoredKey }),
    output: z.object({ found: z.boolean(), entry: CacheEntryDetailView.optional() }),
  }),
  'cache.get': method({
    description: 'Reads one key (the key as the application uses it; prefix and version are added).',
    input: z.object({ alias: Alias, key: Key, version: Version }),
    output: z.object({ found: z.boolean(), value: z.unknown().optional() }),
  }),
  'cache.set': method({
    description: 'Writes one key; timeout in seconds, null for never.',
    input: z.object({ alias: Alias, key: Key, value: z.unknown(), timeout: z.number().min(0).nullable().optional(), version: Version }),
    output: z.object({ ok: z.literal(true) }),
  }),
  'cache.delete': method({
    description: 'Deletes one key.',
    input: z.object({ alias: Alias, key: Key, version: Version }),
    output: z.object({ deleted: z.boolean() }),
  }),
  'cache.incr': method({
    description: 'Adds delta (negative to decrement) to a number and answers the new value; a missing key is E_NOT_FOUND, as in Django.',
    input: z.object({ alias: Alias, key: Key, delta: z.number().int().default(1), version: Version }),
    output: z.object({ value: z.number() }),
  }),
  'cache.touch': method({
    description: 'Gives a key a new timeout (seconds, null for never) without changing its value.',
    input: z.object({ alias: Alias, key: Key, timeout: z.number().min(0).nullable().optional(), version: Version }),
    output: z.object({ touched: z.boolean() }),
  }),
  'cache.deleteKeys': method({
    description: 'Deletes stored keys as they are (any prefix or version); answers how many were there.',
    input: z.object({ alias: Alias, keys: z.array(StoredKey).min(1).max(1000) }),
    output: z.object({ deleted: z.number() }),
  }),
  'cache.deleteMatching': method({
    description:
      'Counts (dryRun, the default) or deletes the keys a pattern matches, as cache.scan matches them. A dry run answers the count and the first keys; ' +
      'deleting needs confirmCount, the count the dry run gave, so nothing is deleted that the user was not shown.',
    input: z.object({ alias: Alias, pattern: z.string().min(1).max(1024), raw: Raw, dryRun: z.boolean().default(true), confirmCount: z.number().int().min(0).optional() }),
    output: z.object({ matched: z.number(), deleted: z.number(), sample: z.array(z.string()) }),
  }),
  'cache.stats': method({
    description: "The alias's counters now (hits, misses, operations, memory, connections, evictions, keys); the GUI charts their change over time.",
    input: z.object({ alias: Alias }),
    output: z.object({ at: z.number(), stats: CacheStatsView }),
  }),
  'cache.workload': method({
    description:
      'Runs a get/set mix against an alias for a while, on keys of its own (`__backplane_workload__:*`, deleted afterwards), with cache.workloadProgress events; ' +
      'answers ops/s and a latency histogram. cache.workloadCancel stops it early, and it answers what it measured so far.',
    input: z.object({
      alias: Alias,
      runId: RunId,
      keys: z.number().int().min(1).max(100_000).default(1000),
      valueBytes: z.number().int().min(1).max(1024 * 1024).default(100),
      readRatio: z.number().min(0).max(1).default(0.9),
      concurrency: z.number().int().min(1).max(256).default(8),
      durationSeconds: z.number().min(1).max(300).default(10),
    }),
    output: WorkloadResultView,
  }),
  'cache.workloadCancel': method({
    description: 'Stops a running workload; it answers with what it measured so far.',
    input: z.object({ runId: RunId }),
    output: z.object({ cancelled: z.boolean() }),
  }),
  'cache.createTable': method({
    description: "Creates the database cache's table in Django's createcachetable shape (cache_key, value, expires), unless it exists; answers whether it did and the SQL.",
    input: z.object({ alias: Alias }),
    output: z.object({ created: z.boolean(), sql: z.string() }),
  }),
  'cache.clear': method({
    description: 'Deletes every key of the cache (Django: cache.clear()).',
    input: z.object({ alias: Alias }),
    output: z.object({ ok: z.literal(true) }),
  }),
}
