import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startOwnMemcached, type OwnMemcached } from '../backends/cache/engines/memcached-test-server'
import { openTestApp, type TestApp } from '../../test/support/test-app'
import { describeService, requireTool } from '../../test/support/services'
import type { MethodName } from './contract'
import { ENGINE_ALIASES, FUZZ_PREFIX, HOSTILE_KEY_WORDS, randomCall, prng, show, systematicCalls, type CallOutcome, type EngineAlias } from './cache-engines-fuzz.inputs'
import { startOwnRedis, type OwnRedis } from '../backends/cache/engines/redis-test-server'
import { HOSTILE_MEMCACHED, HOSTILE_PICKLES, HOSTILE_ROWS, PWNED, memcachedSet, plantFiles } from './cache-engines-fuzz.stored'
import Redis from 'ioredis'

// cache-fuzz.test.ts fuzzes the locmem default alias; this fuzzes the same methods, and the workload,
// on one alias per server-side engine: file (a folder of the test's own, two levels below a parent the
// test checks afterwards), database (the default sqlite data alias), redis (the testbed, db 3, a prefix
// of this test's own) and memcached (a server of the test's own, so nothing touches the shared one).
// Every answer is a result or a typed client error with a hint, within 3 s; nothing is logged at error
// level; the sentinel key of each alias survives; no file appears outside the file cache's folder; no
// prototype is polluted. Then the faults: a Redis that dies mid-scan and mid-workload, a cache folder
// that turns into a file, a cache table dropped, all mid-browse.

type Failure = { status?: number; code?: string; message?: string; hint?: string; details?: Record<string, unknown> }

/** How a call ended, checked: a result, or a typed error with a hint (a client error unless `server` faults are expected). */
async function outcomeOf(app: TestApp['app'], method: MethodName, input: Record<string, unknown>, { server = false } = {}): Promise<{ outcome: CallOutcome; error?: Failure; value?: unknown }> {
  const t0 = performance.now()
  const settled = await app.call(method, input as never).then(
    (value: unknown) => ({ outcome: 'ok' as CallOutcome, value }),
    (err: Failure) => {
      const where = `${method} ${show(input)} → ${err.code}: ${err.message}`
      expect(err.code, where).toMatch(/^E_[A-Z_]+$/)
      expect(err.code, where).not.toMatch(/^E_INTERNAL$|^E_BAD_OUTPUT$/)
      expect(err.hint, where).toEqual(expect.any(String))
      if (!server) expect(err.status, where).toBeLessThan(500)
      return { outcome: err.code!, error: err }
    },
  )
  const ms = performance.now() - t0
  // A workload is asked to run for a while: its 3 s start when that while ends.
  const asked = method === 'cache.workload' && typeof input.durationSeconds === 'number' && input.durationSeconds > 0 ? input.durationSeconds * 1000 : 0
  expect(ms, `${method} took long on ${show(input)}`).toBeLessThan(3000 + Math.min(asked, 60_000))
  if (process.env.FUZZ_DEBUG && ms > 500) console.log(`slow: ${Math.round(ms)} ms ${method} ${show(input).slice(0, 160)} → ${settled.outcome}`)
  return settled
}

const errorLogs = (test: TestApp, from: number) => test.logs.slice(from).filter((r) => r.level === 'error').map((r) => r.message)

describeService('redis', 'cache engines under hostile input', (env) => {
  let test: TestApp
  let memcached: OwnMemcached
  let parent: string
  let fileDir: string
  let tmpBefore: Set<string>

  beforeAll(async () => {
    tmpBefore = new Set(readdirSync(tmpdir()))
    test = await openTestApp()
    memcached = await startOwnMemcached()
    parent = mkdtempSync(join(tmpdir(), 'bp-engines-fuzz-'))
    // Two levels down, so a key that climbed out of the folder with `../../` would still land where this test looks.
    fileDir = join(parent, 'one', 'two', 'cache')
    mkdirSync(fileDir, { recursive: true })
    const redis = new URL(env.BACKPLANE_TEST_REDIS_URL!)
    redis.pathname = '/3'
    const options: Record<EngineAlias, Record<string, unknown>> = {
      // Room enough that culling (Django's, by design) never takes the sentinel.
      'fuzz-file': { location: fileDir, maxEntries: 100_000 },
      'fuzz-database': { database: 'default', location: 'fuzz_cache_table', maxEntries: 100_000 },
      'fuzz-redis': { location: redis.toString() },
      'fuzz-memcached': { location: memcached.location },
    }
    for (const [name, engine] of Object.entries(ENGINE_ALIASES)) {
      await test.app.call('settings.saveAlias', { kind: 'cache', name, engine, options: { keyPrefix: FUZZ_PREFIX, ...options[name as EngineAlias] } })
    }
    await test.app.call('cache.createTable', { alias: 'fuzz-database' })
  })
  afterAll(async () => {
    // The redis alias shares db 3: delete what the fuzz wrote under its prefix, never the whole database.
    const pattern = `${FUZZ_PREFIX}:*`
    await test?.app.call('cache.deleteMatching', { alias: 'fuzz-redis', pattern, raw: true }).then(
      ({ matched }) => test.app.call('cache.deleteMatching', { alias: 'fuzz-redis', pattern, raw: true, dryRun: false, confirmCount: matched }),
      () => undefined,
    )
    await test?.close()
    await memcached?.kill()
    if (parent) rmSync(parent, { recursive: true, force: true })
  })

  const RANDOM_METHODS: MethodName[] = [
    'cache.scan',
    'cache.inspect',
    'cache.get',
    'cache.set',
    'cache.delete',
    'cache.incr',
    'cache.touch',
    'cache.deleteKeys',
    'cache.deleteMatching',
    'cache.stats',
    'cache.createTable',
    'cache.workloadCancel',
  ]

  /** Plants entries past Backplane; answers the user keys they are under. */
  async function plant(alias: EngineAlias): Promise<string[]> {
    const stored = (name: string) => `${FUZZ_PREFIX}:1:planted-${name}`
    switch (alias) {
      case 'fuzz-file':
        return plantFiles(fileDir, stored).map((name) => `planted-${name}`)
      case 'fuzz-database':
        for (const [name, [value, expires]] of Object.entries(HOSTILE_ROWS)) {
          await test.app.call('data.query', { sql: 'INSERT INTO fuzz_cache_table (cache_key, value, expires) VALUES (?, ?, ?)', params: [stored(name), value, expires] as never })
        }
        return Object.keys(HOSTILE_ROWS).map((name) => `planted-${name}`)
      case 'fuzz-redis': {
        const url = new URL(env.BACKPLANE_TEST_REDIS_URL!)
        url.pathname = '/3'
        const raw = new Redis(url.toString())
        try {
          for (const [name, bytes] of Object.entries(HOSTILE_PICKLES)) await raw.set(stored(name), bytes, 'EX', 600)
          // Not strings: a hash, list, set, sorted set and stream under the alias's prefix, with hostile members.
          await raw.hset(stored('hash'), { __proto__: '\u0000', constructor: HOSTILE_PICKLES.laughs!, [''.padEnd(8192, 'f')]: 'v' })
          await raw.rpush(stored('list'), HOSTILE_PICKLES.deep!, HOSTILE_PICKLES.system!, '')
          await raw.sadd(stored('set'), HOSTILE_PICKLES.cycle!, '\r\n')
          await raw.zadd(stored('zset'), 'inf', 'a', '-inf', HOSTILE_PICKLES.laughs!)
          await raw.xadd(stored('stream'), '*', '__proto__', 'x', 'f', HOSTILE_PICKLES.deep!)
          for (const type of ['hash', 'list', 'set', 'zset', 'stream']) await raw.expire(stored(type), 600)
        } finally {
          raw.disconnect()
        }
        return [...Object.keys(HOSTILE_PICKLES), 'hash', 'list', 'set', 'zset', 'stream'].map((name) => `planted-${name}`)
      }
      case 'fuzz-memcached':
        for (const [name, bytes] of Object.entries(HOSTILE_PICKLES)) await memcachedSet(memcached.port, stored(name), 1, bytes)
        for (const [name, [flags, bytes]] of Object.entries(HOSTILE_MEMCACHED)) await memcachedSet(memcached.port, stored(name), flags, bytes)
        return [...Object.keys(HOSTILE_PICKLES), ...Object.keys(HOSTILE_MEMCACHED)].map((name) => `planted-${name}`)
    }
  }

  for (const alias of Object.keys(ENGINE_ALIASES) as EngineAlias[]) {
    it(`${alias}: reads entries a hostile peer planted as values or typed client errors, never running them`, async () => {
      const { app } = test
      const keys = await plant(alias)
      const before = test.logs.length
      const outcomes = new Map<string, number>()
      const attempt = async (method: MethodName, input: Record<string, unknown>) => {
        const { outcome } = await outcomeOf(app, method, { alias, ...input })
        outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1)
      }
      for (const key of keys) {
        await attempt('cache.get', { key })
        await attempt('cache.inspect', { key: `${FUZZ_PREFIX}:1:${key}` })
        await attempt('cache.incr', { key })
      }
      for (const raw of [false, true]) {
        for (let cursor: string | null = null, pages = 0; pages === 0 || (cursor && pages < 50); pages++) {
          const { value } = await outcomeOf(app, 'cache.scan', { alias, raw, cursor, count: 7 })
          cursor = (value as { cursor: string | null } | undefined)?.cursor ?? null
        }
      }
      await attempt('cache.deleteMatching', { pattern: 'planted-*' })
      await attempt('cache.stats', {})
      // Touch rewrites what it finds: last.
      for (const key of keys) await attempt('cache.touch', { key, timeout: 600 })
      if (process.env.FUZZ_DEBUG) console.log(alias, 'planted', [...outcomes].sort())
      expect(errorLogs(test, before)).toEqual([])
      expect(existsSync(PWNED)).toBe(false)
      // Entries that are fine in all but size or shape read as values; the rest are typed refusals.
      expect(outcomes.get('ok')).toBeGreaterThan(keys.length)
      expect([...outcomes.keys()].filter((code) => code !== 'ok')).toEqual(expect.arrayContaining(['E_CACHE_CORRUPT']))
    }, 60_000)
  }

  for (const alias of Object.keys(ENGINE_ALIASES) as EngineAlias[]) {
    it(`${alias}: answers results or typed client errors, never a 500, within 3 s, and loses nothing`, async () => {
      const { app } = test
      await app.call('cache.set', { alias, key: 'sentinel', value: 'keep', timeout: null })
      await app.call('cache.set', { alias, key: 'n', value: 1, timeout: null })
      const rand = prng(20261201 + alias.length)
      const before = test.logs.length
      const outcomes = new Map<string, number>()
      const attempt = async (method: MethodName, input: Record<string, unknown>) => {
        const { outcome } = await outcomeOf(app, method, input)
        const tally = `${method} ${outcome}`
        outcomes.set(tally, (outcomes.get(tally) ?? 0) + 1)
      }
      for (const [method, input] of systematicCalls(alias)) await attempt(method, input)
      for (let round = 0; round < 15; round++) {
        for (const method of RANDOM_METHODS) await attempt(method, randomCall(method, alias, rand))
      }
      // The workload runs for a second at least: a few runs only, valid and not.
      for (let run = 0; run < 4; run++) await attempt('cache.workload', { ...randomCall('cache.workload', alias, rand), runId: `fuzz-${run}` })
      await attempt('cache.workload', { alias, runId: 'fuzz-big', keys: 100_000, valueBytes: 1024 * 1024, readRatio: 0, concurrency: 256, durationSeconds: 1 })
      if (process.env.FUZZ_DEBUG) console.log(alias, [...outcomes].sort())

      expect(errorLogs(test, before)).toEqual([])
      const count = (suffix: string) => [...outcomes].filter(([k]) => k.endsWith(suffix)).reduce((sum, [, n]) => sum + n, 0)
      expect(count(' E_INVALID_INPUT')).toBeGreaterThan(0)
      // Most calls reach the engine: the systematic ones are all of a shape the contract accepts.
      expect(count(' ok')).toBeGreaterThan(100)
      expect(outcomes.get('cache.workload ok')).toBeGreaterThan(0)
      if (alias === 'fuzz-memcached') expect(outcomes.get('cache.set E_TOO_LARGE')).toBeGreaterThan(0)
      else {
        const huge = (await app.call('cache.get', { alias, key: 'huge' })) as { value?: string }
        expect(huge.value?.length === 8 * 1024 * 1024 && /^h+$/.test(huge.value), 'the 8 MB value read back whole').toBe(true)
      }
      expect(await app.call('cache.get', { alias, key: 'sentinel' })).toEqual({ found: true, value: 'keep' })
      expect(({} as Record<string, unknown>).polluted).toBeUndefined()
      expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined()
    }, 180_000)
  }

  it('answers calls at once on the same keys consistently: whole values, counts that add up, one table', async () => {
    const { app } = test
    const before = test.logs.length
    for (const alias of Object.keys(ENGINE_ALIASES) as EngineAlias[]) {
      // Writers of whole values and readers at once: a reader sees one of the values, never a mix or a half.
      const values = Array.from({ length: 8 }, (_, i) => String(i).repeat(200_000))
      const answers = await Promise.all([
        ...values.map((value) => app.call('cache.set', { alias, key: 'raced', value, timeout: 600 })),
        ...values.map(() => app.call('cache.get', { alias, key: 'raced' })),
      ])
      for (const answer of answers.slice(values.length) as { found: boolean; value?: unknown }[]) {
        if (answer.found) expect(values, alias).toContain(answer.value)
      }
      // incr on one key from 40 calls at once: Redis and Memcached count each (INCRBY, incr); file and
      // database read and write as Django does, so may lose some, but never fail or go wrong.
      await app.call('cache.set', { alias, key: 'counted', value: 0, timeout: 600 })
      const incremented = await Promise.all(Array.from({ length: 40 }, () => outcomeOf(app, 'cache.incr', { alias, key: 'counted' })))
      expect(incremented.filter((r) => r.outcome !== 'ok').map((r) => r.error?.message), alias).toEqual([])
      const counted = (await app.call('cache.get', { alias, key: 'counted' })).value as number
      if (alias === 'fuzz-redis' || alias === 'fuzz-memcached') expect(counted, alias).toBe(40)
      else expect(counted, alias).toBeGreaterThanOrEqual(1)
    }
    // The table button pressed ten times at once: one creates it, the others find it.
    await app.call('settings.saveAlias', { kind: 'cache', name: 'raced-table', engine: 'database', options: { database: 'default', location: 'raced_table' } })
    const created = await Promise.all(Array.from({ length: 10 }, () => outcomeOf(app, 'cache.createTable', { alias: 'raced-table' })))
    expect(created.map((r) => r.outcome)).toEqual(Array(10).fill('ok'))
    expect(created.filter((r) => (r.value as { created: boolean }).created)).toHaveLength(1)
    await app.call('cache.set', { alias: 'raced-table', key: 'k', value: 'v' })
    expect(await app.call('cache.get', { alias: 'raced-table', key: 'k' })).toEqual({ found: true, value: 'v' })
    expect(errorLogs(test, before)).toEqual([])
  }, 60_000)

  it('matches keys of aliases whose prefix is itself a pattern only as the literal prefix', async () => {
    const { app } = test
    const url = new URL(env.BACKPLANE_TEST_REDIS_URL!)
    url.pathname = '/3'
    for (const hostile of ['*', '[', '\\', '?', '%_', 'a:b']) {
      const prefix = `${FUZZ_PREFIX}${hostile}`
      const aliases: [string, string, Record<string, unknown>][] = [
        ['prefixed-redis', 'redis', { location: url.toString() }],
        ['prefixed-database', 'database', { database: 'default', location: 'fuzz_cache_table', maxEntries: 100_000 }],
        ['prefixed-locmem', 'locmem', { location: 'prefixed' }],
      ]
      for (const [name, engine, options] of aliases) {
        await app.call('settings.saveAlias', { kind: 'cache', name, engine, options: { ...options, keyPrefix: prefix } })
        await app.call('cache.set', { alias: name, key: 'mine', value: 1, timeout: 600 })
        const listed = await app.call('cache.scan', { alias: name, pattern: '*', count: 1000 })
        const keys = listed.entries.map((e) => e.key)
        expect(keys, `${engine} prefix ${hostile}`).toContain(`${prefix}:1:mine`)
        // The fuzz aliases' keys share the prefix's start: none of them may match.
        expect(keys.filter((k) => !k.startsWith(`${prefix}:`)), `${engine} prefix ${hostile}`).toEqual([])
        expect(await app.call('cache.deleteMatching', { alias: name, pattern: '*' }), `${engine} prefix ${hostile}`).toMatchObject({ matched: keys.length })
        await app.call('cache.delete', { alias: name, key: 'mine' })
      }
    }
  })

  it('wrote nothing outside the file cache folder', () => {
    // Inside the parent: only the folders leading to the cache, and in the cache only Django's md5 names.
    const found: string[] = []
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name)
        if (entry.isDirectory()) walk(path)
        else found.push(relative(parent, path))
      }
    }
    walk(parent)
    expect(found.length).toBeGreaterThan(0)
    // (The planted folder is walked into: it is empty.)
    expect(found.filter((f) => !/^one\/two\/cache\/[0-9a-f]{32}\.djcache$/.test(f))).toEqual([])
    // And nothing new in the temporary folder named after a hostile key.
    const fresh = readdirSync(tmpdir()).filter((name) => !tmpBefore.has(name))
    expect(fresh.filter((name) => HOSTILE_KEY_WORDS.some((word) => name.includes(word)))).toEqual([])
  })
})

const withRedisServer = requireTool('redis-server', 'redis-server', 'cache faults with a Redis of its own') ? describe : describe.skip

withRedisServer('cache aliases whose server, folder or table goes away mid-browse', () => {
  let test: TestApp
  let redis: OwnRedis
  let memcached: OwnMemcached
  let home: string

  beforeAll(async () => {
    test = await openTestApp()
    redis = await startOwnRedis()
    memcached = await startOwnMemcached()
    home = mkdtempSync(join(tmpdir(), 'bp-engines-faults-'))
    await test.app.call('settings.saveAlias', { kind: 'data', name: 'side', engine: 'sqlite', options: { name: join(home, 'side.sqlite3') } })
    const aliases: [string, string, Record<string, unknown>][] = [
      ['own-redis', 'redis', { location: `redis://127.0.0.1:${redis.port}/0`, connectTimeoutSeconds: 1, commandTimeoutSeconds: 2 }],
      ['own-memcached', 'memcached', { location: memcached.location }],
      ['orphan-db', 'database', { database: 'side', location: 'orphan_cache' }],
      ['fragile-file', 'file', { location: join(home, 'cache'), maxEntries: 10_000 }],
      ['fragile-db', 'database', { database: 'default', location: 'fragile_cache', maxEntries: 10_000 }],
      ['steady-file', 'file', { location: join(home, 'steady') }],
    ]
    for (const [name, engine, options] of aliases) await test.app.call('settings.saveAlias', { kind: 'cache', name, engine, options })
    await test.app.call('cache.createTable', { alias: 'fragile-db' })
    await test.app.call('cache.createTable', { alias: 'orphan-db' })
    await test.app.call('cache.set', { alias: 'steady-file', key: 'sentinel', value: 'keep', timeout: null })
  })
  afterAll(async () => {
    await test?.close()
    redis?.client.disconnect()
    await redis?.stop()
    await memcached?.kill()
    if (home) rmSync(home, { recursive: true, force: true })
  })

  /** The other aliases still answer: a cache failure takes nothing else down. */
  async function othersWork() {
    expect(await test.app.call('cache.get', { alias: 'steady-file', key: 'sentinel' })).toEqual({ found: true, value: 'keep' })
    await test.app.call('cache.set', { key: 'locmem-alive', value: 1 })
    expect(await test.app.call('cache.get', { key: 'locmem-alive' })).toEqual({ found: true, value: 1 })
    expect(await test.app.call('data.query', { sql: 'SELECT 1 AS one' })).toMatchObject({ rows: [[1]] })
  }

  async function fill(alias: string, n: number) {
    for (let i = 0; i < n; i++) await test.app.call('cache.set', { alias, key: `k:${i}`, value: i, timeout: null })
  }

  it('redis: a scan loop and a workload meet the server dying with E_CONNECTION* within 3 s; it works again once back', async () => {
    const { app } = test
    const before = test.logs.length
    await redis.client.call('DEBUG', 'POPULATE', '20000', 'k')
    const first = await app.call('cache.scan', { alias: 'own-redis', pattern: '*', raw: true, count: 10 })
    expect(first.cursor).not.toBeNull()

    // A browse that pages on while the server dies under it, and a workload running meanwhile.
    let diedAt = 0
    const browse = (async () => {
      let cursor = first.cursor
      for (;;) {
        const { value, error } = await outcomeOf(app, 'cache.scan', { alias: 'own-redis', pattern: '*', raw: true, cursor, count: 10 }, { server: true })
        if (error) return { error, afterDeath: performance.now() - diedAt }
        // At the end of the keys, start over: the loop runs until the server is gone.
        cursor = (value as { cursor: string | null }).cursor
      }
    })()
    const workload = app.call('cache.workload', { alias: 'own-redis', runId: 'dies', keys: 100, concurrency: 4, durationSeconds: 2 })
    await new Promise((r) => setTimeout(r, 300))
    diedAt = performance.now()
    await redis.stop()
    const browsed = await browse
    expect(browsed.error.code, browsed.error.message).toMatch(/^E_CONNECTION/)
    expect(browsed.afterDeath).toBeLessThan(3000)
    const result = await workload
    expect(result.errors).toBeGreaterThan(0)
    expect(result.firstError).toEqual(expect.any(String))
    expect(result.operations).toBeGreaterThan(result.errors)

    // While it is down: every method a typed error at once, and the app's other aliases unaffected.
    for (const [method, input] of [
      ['cache.get', { key: 'k' }],
      ['cache.set', { key: 'k', value: 1 }],
      ['cache.scan', {}],
      ['cache.inspect', { key: 'k:1' }],
      ['cache.stats', {}],
      ['cache.deleteMatching', { pattern: 'k:*' }],
      ['cache.deleteKeys', { keys: ['k:1'] }],
      ['cache.incr', { key: 'n' }],
      ['cache.touch', { key: 'k' }],
      ['cache.delete', { key: 'k' }],
    ] as const) {
      const { error } = await outcomeOf(app, method, { alias: 'own-redis', ...input }, { server: true })
      expect(error?.code, method).toMatch(/^E_CONNECTION/)
    }
    await othersWork()

    await redis.start()
    await app.call('cache.set', { alias: 'own-redis', key: 'back', value: 'again' })
    expect(await app.call('cache.get', { alias: 'own-redis', key: 'back' })).toEqual({ found: true, value: 'again' })
    expect(errorLogs(test, before)).toEqual([])
  }, 30_000)

  it('memcached: a server killed under calls in flight gives E_CONNECTION* within 3 s, and the alias works again once it is back', async () => {
    const { app } = test
    const before = test.logs.length
    await app.call('cache.set', { alias: 'own-memcached', key: 'k', value: 'v' })
    const inFlight = Array.from({ length: 50 }, (_, i) => outcomeOf(app, i % 2 ? 'cache.get' : 'cache.set', { alias: 'own-memcached', key: `k${i}`, value: 'x'.repeat(100_000) }, { server: true }))
    await memcached.kill()
    for (const { outcome } of await Promise.all(inFlight)) expect(outcome).toMatch(/^ok$|^E_CONNECTION/)
    for (const [method, input] of [
      ['cache.get', { key: 'k' }],
      ['cache.set', { key: 'k', value: 1 }],
      ['cache.inspect', { key: ':1:k' }],
      ['cache.stats', {}],
      ['cache.incr', { key: 'k' }],
      ['cache.touch', { key: 'k' }],
      ['cache.delete', { key: 'k' }],
      ['cache.deleteKeys', { keys: [':1:k'] }],
    ] as const) {
      const { error } = await outcomeOf(app, method, { alias: 'own-memcached', ...input }, { server: true })
      expect(error?.code, method).toMatch(/^E_CONNECTION/)
    }
    const workload = await app.call('cache.workload', { alias: 'own-memcached', runId: 'memcached-down', keys: 10, concurrency: 2, durationSeconds: 1 })
    expect(workload.errors).toBe(workload.operations)
    await othersWork()
    await memcached.start()
    await app.call('cache.set', { alias: 'own-memcached', key: 'back', value: 'again' })
    expect(await app.call('cache.get', { alias: 'own-memcached', key: 'back' })).toEqual({ found: true, value: 'again' })
    expect(errorLogs(test, before)).toEqual([])
  }, 30_000)

  it('database: a cache whose data alias is deleted answers typed errors, and the app goes on', async () => {
    const { app } = test
    const before = test.logs.length
    await app.call('cache.set', { alias: 'orphan-db', key: 'k', value: 1 })
    await app.call('settings.deleteAlias', { kind: 'data', name: 'side' })
    for (const method of ['cache.get', 'cache.scan', 'cache.stats', 'cache.createTable'] as const) {
      const { error } = await outcomeOf(app, method, { alias: 'orphan-db', key: 'k' }, { server: true })
      expect(error?.code, method).toMatch(/^E_/)
    }
    await othersWork()
    expect(errorLogs(test, before)).toEqual([])
  })

  it('file: a cache folder that becomes a file mid-browse gives typed errors, and the alias recovers once it is a folder again', async () => {
    const { app } = test
    const before = test.logs.length
    await fill('fragile-file', 30)
    const first = await app.call('cache.scan', { alias: 'fragile-file', count: 5 })
    const folder = join(home, 'cache')
    rmSync(folder, { recursive: true })
    writeFileSync(folder, 'not a folder')
    for (const [method, input] of [
      ['cache.scan', { cursor: first.cursor, count: 5 }],
      ['cache.scan', {}],
      ['cache.get', { key: 'k:1' }],
      ['cache.set', { key: 'k:1', value: 1 }],
      ['cache.inspect', { key: ':1:k:1' }],
      ['cache.stats', {}],
      ['cache.deleteMatching', { pattern: '*' }],
      ['cache.deleteKeys', { keys: [':1:k:1'] }],
      ['cache.incr', { key: 'k:1' }],
      ['cache.touch', { key: 'k:1' }],
      ['cache.delete', { key: 'k:1' }],
      ['cache.clear', {}],
    ] as const) {
      await outcomeOf(app, method, { alias: 'fragile-file', ...input }, { server: true })
    }
    await othersWork()
    // Deleted outright mid-browse, the folder is just an empty cache: the next page ends the listing.
    rmSync(folder)
    const { outcome } = await outcomeOf(app, 'cache.scan', { alias: 'fragile-file', cursor: first.cursor, count: 5 }, { server: true })
    expect(outcome).toBe('ok')
    await app.call('cache.set', { alias: 'fragile-file', key: 'back', value: 'again' })
    expect(await app.call('cache.get', { alias: 'fragile-file', key: 'back' })).toEqual({ found: true, value: 'again' })
    expect(errorLogs(test, before)).toEqual([])
  })

  it('database: a table dropped mid-browse is a typed error naming the missing table, and createTable brings it back', async () => {
    const { app } = test
    const before = test.logs.length
    await fill('fragile-db', 30)
    const first = await app.call('cache.scan', { alias: 'fragile-db', count: 5 })
    expect(first.cursor).not.toBeNull()
    await app.call('data.script', { sql: 'DROP TABLE fragile_cache' })
    for (const [method, input] of [
      ['cache.scan', { cursor: first.cursor, count: 5 }],
      ['cache.get', { key: 'k:1' }],
      ['cache.set', { key: 'k:1', value: 1 }],
      ['cache.inspect', { key: ':1:k:1' }],
      ['cache.stats', {}],
      ['cache.deleteMatching', { pattern: '*' }],
      ['cache.deleteKeys', { keys: [':1:k:1'] }],
      ['cache.incr', { key: 'k:1' }],
      ['cache.touch', { key: 'k:1' }],
      ['cache.delete', { key: 'k:1' }],
      ['cache.clear', {}],
    ] as const) {
      const { error } = await outcomeOf(app, method, { alias: 'fragile-db', ...input }, { server: true })
      expect(error, method).toBeDefined()
      expect(error!.details?.missingTable, `${method}: ${error!.code} ${error!.message}`).toBe('fragile_cache')
    }
    await othersWork()
    expect(await app.call('cache.createTable', { alias: 'fragile-db' })).toMatchObject({ created: true })
    await app.call('cache.set', { alias: 'fragile-db', key: 'back', value: 'again' })
    expect(await app.call('cache.get', { alias: 'fragile-db', key: 'back' })).toEqual({ found: true, value: 'again' })
    expect(errorLogs(test, before)).toEqual([])
  })
})
