import { spawnSync } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import Redis from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { djangoAvailable, djangoCache, withDjangoCache } from '../../../../test/support/django-cache'
import { createBackend, testContext } from '../../../../test/support/engine-context'
import { SYSTEM_PYTHON, describeService } from '../../../../test/support/services'
import { openTestApp, type TestApp } from '../../../../test/support/test-app'
import type { Cache } from '../base'
import { redisEngine } from './redis'

const djangoHere = djangoAvailable('django_redis', 'python3-django-redis', 'Django Redis interop')
const withDjango: typeof describeService = (name, title, fn) => (djangoHere ? describeService(name, title, fn) : describe.skip(title, () => fn({})))

/** What Django writes, in Backplane's value model (what the test driver hands Django and gets back). */
const DJANGO_VALUES: Record<string, unknown> = {
  str: 'Zoë — 日本語',
  int: 42,
  negative: -7,
  big: { $int: '123456789012345678901234567890' },
  float: 2.5,
  true: true,
  false: false,
  none: null,
  bytes: { $bytes: Buffer.from([0, 1, 254, 255]).toString('base64') },
  list: [1, 'two', null],
  tuple: { $tuple: [1, 'two'] },
  dict: { a: 1, b: [true, null] },
  nested: { users: [{ name: 'Ada', tags: { $set: ['x', 'y'] }, at: { $tuple: [] } }] },
  set: { $set: [1, 2, 3] },
  datetime: { $datetime: '2026-12-01T10:30:00.123456+00:00' },
  naive: { $datetime: '2026-12-01T10:30:00' },
  decimal: { $decimal: '19.90' },
  uuid: { $uuid: '12345678-1234-5678-1234-567812345678' },
}

/** Sets come back in Python's hash order: compare them as sorted. */
function normalised(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalised)
  if (typeof value !== 'object' || value === null) return value
  const entries = Object.entries(value).map(([k, v]) => [k, normalised(v)] as const)
  return Object.fromEntries(entries.map(([k, v]) => [k, (k === '$set' || k === '$frozenset') && Array.isArray(v) ? [...v].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))) : v]))
}

withDjango('redis', 'redis engine and a real Django (django-redis), on the same keys', (env) => {
  // Database 2 is this file's; every test uses prefixes of its own, nothing clears it.
  const url = env.BACKPLANE_TEST_REDIS_URL!.replace(/\/\d*$/, '/2')
  const run = `bp-dj-${randomUUID().slice(0, 8)}`
  const opened: Cache[] = []
  let raw: Redis

  const backplane = async (options: Record<string, unknown>) => {
    const cache = await createBackend<Cache>(redisEngine, { location: url, ...options }, testContext('cache'))
    opened.push(cache)
    return cache
  }
  const django = (settings: Record<string, unknown>, ops: Parameters<typeof djangoCache>[1]) => djangoCache({ BACKEND: 'django_redis.cache.RedisCache', LOCATION: url, ...settings }, ops)

  beforeAll(() => {
    raw = new Redis(url)
  })
  afterAll(async () => {
    const stream = raw.scanStream({ match: `${run}*`, count: 1000 })
    for await (const keys of stream) if ((keys as string[]).length) await raw.unlink(...(keys as string[]))
    raw.disconnect()
    await Promise.all(opened.map((c) => c.close()))
  })

  it.each([
    { prefix: `${run}-a`, version: 1, timeout: 300 },
    { prefix: `${run}-b`, version: 3, timeout: 42 },
    { prefix: `${run}-c`, version: 1, timeout: null },
  ])('reads what Django wrote (prefix $prefix, version $version, timeout $timeout) equal, with its TTL', async ({ prefix, version, timeout }) => {
    const written = Date.now()
    await django(
      { KEY_PREFIX: prefix, VERSION: version },
      Object.entries(DJANGO_VALUES).map(([key, value]) => ({ op: 'set' as const, key, value, timeout })),
    )
    const cache = await backplane({ keyPrefix: prefix, version })
    for (const [key, value] of Object.entries(DJANGO_VALUES)) {
      expect(normalised(await cache.get(key)), key).toEqual(normalised(value))
    }
    const found = await cache.getMany(Object.keys(DJANGO_VALUES))
    expect(normalised(Object.fromEntries(found))).toEqual(normalised(DJANGO_VALUES))
    const detail = await cache.inspect!(`${prefix}:${version}:str`)
    expect(detail).toMatchObject({ type: 'entry', encoding: 'pickle', value: DJANGO_VALUES.str })
    expect((await cache.inspect!(`${prefix}:${version}:int`))?.encoding).toBe('int')
    if (timeout === null) expect(detail!.ttl).toBeNull()
    else {
      // Within a second of Django's timeout, counting from when Django was asked (a loaded machine starts Python slowly).
      expect(detail!.ttl).toBeGreaterThanOrEqual(timeout - 1 - Math.ceil((Date.now() - written) / 1000))
      expect(detail!.ttl).toBeLessThanOrEqual(timeout)
    }
  })

  it('writes values and tags that Django reads back equal, with the timeout given', async () => {
    const prefix = `${run}-w`
    const cache = await backplane({ keyPrefix: prefix, version: 2 })
    const written: Record<string, unknown> = {
      ...DJANGO_VALUES,
      frozenset: { $frozenset: ['a'] },
      bytearray: { $bytearray: Buffer.from('hi').toString('base64') },
      dictWithIntKeys: { $dict: [[1, 'one'], [{ $tuple: [1, 2] }, 'pair']] },
      date: { $date: '2026-12-01' },
      time: { $time: '10:30:00' },
      timedelta: { $timedelta: 90.5 },
      nan: { $float: 'nan' },
      inf: { $float: '-inf' },
    }
    const setAt = Date.now()
    for (const [key, value] of Object.entries(written)) await cache.set(key, value, { timeout: 120 })
    await cache.setMany(new Map<string, unknown>([['many-1', 'one'], ['many-2', { $tuple: [2] }]]), { timeout: null })
    const keys = [...Object.keys(written), 'many-1', 'many-2']
    const read = (await django({ KEY_PREFIX: prefix, VERSION: 2 }, keys.map((key) => ({ op: 'get' as const, key })))) as { value?: unknown; missing?: true }[]
    const back = Object.fromEntries(keys.map((key, i) => [key, read[i]!.value]))
    expect(normalised(back)).toEqual(normalised({ ...written, 'many-1': 'one', 'many-2': { $tuple: [2] } }))
    // Django's has_key and its own make_key agree with ours.
    const [has, made] = await django({ KEY_PREFIX: prefix, VERSION: 2 }, [{ op: 'has_key', key: 'str' }, { op: 'make_key', key: 'str' }])
    expect(has).toBe(true)
    expect(made).toBe(`${prefix}:2:str`)
    expect(await raw.pttl(`${prefix}:2:str`)).toBeGreaterThan(120_000 - (Date.now() - setAt) - 1000)
    expect(await raw.pttl(`${prefix}:2:many-1`)).toBe(-1)
  })

  it('increments the same counter from either side, and keeps integers as plain digits as Django does', async () => {
    const prefix = `${run}-n`
    const cache = await backplane({ keyPrefix: prefix })
    await django({ KEY_PREFIX: prefix }, [{ op: 'set', key: 'hits', value: 5 }])
    expect(await raw.get(`${prefix}:1:hits`)).toBe('5')
    expect(await cache.incr('hits', 3)).toBe(8)
    const [afterDjango] = await django({ KEY_PREFIX: prefix }, [{ op: 'incr', key: 'hits', delta: 2 }])
    expect(afterDjango).toBe(10)
    expect(await cache.decr('hits')).toBe(9)
    await cache.set('mine', 100)
    const [fromDjango, missing] = await django({ KEY_PREFIX: prefix }, [{ op: 'incr', key: 'mine', delta: -1 }, { op: 'get', key: 'never' }])
    expect(fromDjango).toBe(99)
    expect(missing).toEqual({ missing: true })
  })

  it('increments a pickled number as django-redis does, keeping its TTL, and refuses a pickled str with a hint', async () => {
    const prefix = `${run}-p`
    const setAt = Date.now()
    await django({ KEY_PREFIX: prefix }, [
      { op: 'set', key: 'ratio', value: 1.5, timeout: 100 },
      { op: 'set', key: 'name', value: 'Ada', timeout: 100 },
      { op: 'set', key: 'huge', value: { $int: '9223372036854775807' }, timeout: null },
    ])
    const cache = await backplane({ keyPrefix: prefix })
    expect(await cache.incr('ratio', 2)).toBe(3.5)
    expect(await raw.pttl(`${prefix}:1:ratio`)).toBeGreaterThan(100_000 - (Date.now() - setAt) - 1000)
    const refused = await cache.incr('name').catch((e: { code: string; hint: string }) => e)
    expect(refused).toMatchObject({ code: 'E_INVALID_INPUT', hint: expect.stringContaining('numbers only') })
    expect(await cache.get('name')).toBe('Ada')
    expect(await raw.pttl(`${prefix}:1:name`)).toBeGreaterThan(100_000 - (Date.now() - setAt) - 1000)
    // Past 64 bits INCRBY overflows; the sum is made here, exact, as Python's int would be.
    await cache.incr('huge', 1)
    const [big] = (await django({ KEY_PREFIX: prefix }, [{ op: 'get', key: 'huge' }])) as { value: unknown }[]
    expect(big!.value).toEqual({ $int: '9223372036854775808' })
  })

  it("shows a Django value of a class Backplane cannot write as opaque, and will not write it back", async () => {
    const prefix = `${run}-o`
    // What Django stores for cache.set('third', Fraction(1, 3)): the pickle, at DEFAULT_PROTOCOL.
    const pickled = spawnSync(SYSTEM_PYTHON, ['-c', 'import pickle, sys, fractions; sys.stdout.buffer.write(pickle.dumps(fractions.Fraction(1, 3), pickle.DEFAULT_PROTOCOL))'])
    expect(pickled.status).toBe(0)
    await raw.set(`${prefix}:1:third`, pickled.stdout, 'EX', 60)
    const [djangoSees] = (await django({ KEY_PREFIX: prefix }, [{ op: 'get', key: 'third' }])) as { value: { $class: string } }[]
    expect(djangoSees!.value.$class).toBe('fractions.Fraction')
    const cache = await backplane({ keyPrefix: prefix })
    const detail = await cache.inspect!(`${prefix}:1:third`)
    expect(detail).toMatchObject({ type: 'entry', encoding: 'pickle', opaque: true, value: { $class: 'fractions.Fraction' } })
    expect(Buffer.from(detail!.raw!, 'base64').equals(pickled.stdout)).toBe(true)
    const value = await cache.get('third')
    await expect(cache.set('copy', value)).rejects.toMatchObject({ code: 'E_INVALID_INPUT' })
  })

  it('answers a corrupt pickle with E_CACHE_CORRUPT from get(), while inspect() shows its bytes', async () => {
    const prefix = `${run}-x`
    const good = spawnSync(SYSTEM_PYTHON, ['-c', 'import pickle, sys; sys.stdout.buffer.write(pickle.dumps({"a": list(range(50))}, 4))']).stdout
    const damaged = good.subarray(0, good.length - 9)
    await raw.set(`${prefix}:1:broken`, damaged, 'EX', 60)
    const [djangoSays] = await withDjangoCache({ BACKEND: 'django_redis.cache.RedisCache', LOCATION: url, KEY_PREFIX: prefix }, [{ op: 'get', key: 'broken' }])
    expect(djangoSays).toHaveProperty('error')
    const cache = await backplane({ keyPrefix: prefix })
    await expect(cache.get('broken')).rejects.toMatchObject({ code: 'E_CACHE_CORRUPT', status: 422 })
    const detail = await cache.inspect!(`${prefix}:1:broken`)
    expect(detail).toMatchObject({ type: 'entry', encoding: 'bytes', value: { $bytes: damaged.toString('base64') }, problem: { code: 'E_CACHE_CORRUPT', message: expect.any(String) } })
    expect(detail!.rawTruncated).toBeUndefined()
    expect(Buffer.from(detail!.raw!, 'base64').equals(damaged)).toBe(true)
  })

  it('reads and writes with the password given as an option, as Django OPTIONS PASSWORD', async () => {
    const prefix = `${run}-pw`
    const bare = url.replace(/\/\/[^@]*@/, '//')
    await djangoCache({ BACKEND: 'django_redis.cache.RedisCache', LOCATION: bare, KEY_PREFIX: prefix, OPTIONS: { PASSWORD: env.BACKPLANE_TEST_PASSWORD } }, [{ op: 'set', key: 'k', value: 'from django' }])
    const cache = await backplane({ location: bare, password: env.BACKPLANE_TEST_PASSWORD, keyPrefix: prefix })
    expect(await cache.get('k')).toBe('from django')
  })

  it("reads and writes Django's JSON serializer when the alias's serializer is json", async () => {
    const prefix = `${run}-json`
    const settings = { KEY_PREFIX: prefix, OPTIONS: { SERIALIZER: 'django_redis.serializers.json.JSONSerializer' } }
    await django(settings, [{ op: 'set', key: 'doc', value: { a: [1, 'two'], b: null } }])
    const cache = await backplane({ keyPrefix: prefix, serializer: 'json' })
    expect(await cache.get('doc')).toEqual({ a: [1, 'two'], b: null })
    expect((await cache.inspect!(`${prefix}:1:doc`))?.encoding).toBe('json')
    await cache.set('back', ['x', 2.5, true])
    const [back] = (await django(settings, [{ op: 'get', key: 'back' }])) as { value: unknown }[]
    expect(back!.value).toEqual(['x', 2.5, true])
  })

  describe('through the API, with an alias on this engine', () => {
    let test: TestApp
    beforeAll(async () => {
      test = await openTestApp()
    })
    afterAll(() => test.close())

    it("finds Django's session:… keys with the pattern session:*, in any version, and none of another prefix", async () => {
      const prefix = `${run}-s`
      await django({ KEY_PREFIX: prefix }, [
        { op: 'set', key: 'session:abc', value: { user: 1 } },
        { op: 'set', key: 'session:def', value: { user: 2 }, version: 7 },
        { op: 'set', key: 'other:session:x', value: 0 },
      ])
      await django({ KEY_PREFIX: `${prefix}-elsewhere` }, [{ op: 'set', key: 'session:zzz', value: 3 }])
      await test.app.call('settings.saveAlias', { kind: 'cache', name: 'django', engine: 'redis', options: { location: url, keyPrefix: prefix } })
      const found: { key: string; userKey?: string; version?: number }[] = []
      let cursor: string | null = null
      do {
        const page: { entries: typeof found; cursor: string | null } = await test.app.call('cache.scan', { alias: 'django', pattern: 'session:*', cursor, count: 1000 })
        found.push(...page.entries)
        cursor = page.cursor
      } while (cursor)
      expect(found.map((e) => [e.userKey, e.version]).sort()).toEqual([
        ['session:abc', 1],
        ['session:def', 7],
      ])
      const { entry } = await test.app.call('cache.inspect', { alias: 'django', key: `${prefix}:7:session:def` })
      expect(entry).toMatchObject({ value: { user: 2 }, encoding: 'pickle', userKey: 'session:def', version: 7 })
    })
  })
})
