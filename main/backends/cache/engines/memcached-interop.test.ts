import { randomBytes, randomUUID } from 'node:crypto'
import * as memjs from 'memjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { djangoAvailable, djangoCache, withDjangoCache } from '../../../../test/support/django-cache'
import { createBackend, testContext } from '../../../../test/support/engine-context'
import { describeService } from '../../../../test/support/services'
import type { Cache } from '../base'
import { memcachedEngine } from './memcached'
import { parseLocation, selectServer } from './memcached-ring'
import { startOwnMemcached, type OwnMemcached } from './memcached-test-server'

/** Values as Django's tests would cache them, and the flags pymemcache's pickle_serde stores each with. */
const VALUES: [name: string, value: unknown, flags: number][] = [
  ['str', 'hello', 16],
  ['empty str', '', 16],
  ['non-ASCII str', 'Zoë — 日本語 😀', 16],
  ['int', 42, 2],
  ['negative int', -7, 2],
  ['big int', { $int: '123456789012345678901234567890' }, 2],
  ['bytes', { $bytes: randomBytes(300).toString('base64') }, 0],
  ['float', 3.5, 1],
  ['bool', true, 1],
  ['None', null, 1],
  ['list', [1, 'a', null, [2.5]], 1],
  ['dict', { a: 1, b: [2], c: { d: 'e' } }, 1],
  ['dict with other keys', { $dict: [[1, 'one'], [{ $tuple: [2, 3] }, 'pair']] }, 1],
  ['tuple', { $tuple: [1, 'two', { $tuple: [] }] }, 1],
  ['set', { $set: [1, 2, 3] }, 1],
  ['datetime', { $datetime: '2024-05-06T07:08:09.123456+00:00' }, 1],
  ['naive datetime', { $datetime: '2024-05-06T07:08:09' }, 1],
  ['date', { $date: '2024-05-06' }, 1],
  ['decimal', { $decimal: '3.14159' }, 1],
  ['uuid', { $uuid: '12345678-1234-5678-1234-567812345678' }, 1],
  ['nan', { $float: 'nan' }, 1],
]

const withDjango = djangoAvailable('pymemcache', 'python3-pymemcache', 'memcached interop with Django') ? describeService : () => undefined

withDjango('memcached', 'memcached, wire-compatible with Django\'s PyMemcacheCache', (env) => {
  let own: OwnMemcached
  let location: string[]
  let raw: Map<string, memjs.Client>
  const prefix = `bp-mc-interop-${randomUUID().slice(0, 8)}`
  const written: string[] = []
  const caches: Cache[] = []
  const djangoSettings = () => ({ BACKEND: 'django.core.cache.backends.memcached.PyMemcacheCache', LOCATION: location, KEY_PREFIX: prefix, VERSION: 2 })
  const django = (ops: Parameters<typeof djangoCache>[1]) => djangoCache(djangoSettings(), ops)
  const make = async (options: Record<string, unknown> = {}) => {
    const cache = await createBackend<Cache>(memcachedEngine, { location, keyPrefix: prefix, version: 2, ...options }, testContext('cache'))
    caches.push(cache)
    return cache
  }
  /** The servers that hold a stored key, asked one by one with a raw memjs client. */
  const holders = async (storedKey: string) => {
    const found: { node: string; flags: number }[] = []
    for (const [node, client] of raw) {
      const { value, flags } = await client.get(storedKey)
      if (value) found.push({ node, flags: flags!.readUInt32BE(0) })
    }
    return found
  }
  const stored = (key: string) => `${prefix}:2:${key}`

  beforeAll(async () => {
    own = await startOwnMemcached()
    // The testbed's shared server and one of our own: two servers, so server selection matters.
    location = [env.BACKPLANE_TEST_MEMCACHED!, own.location]
    raw = new Map(location.map((l) => [l, memjs.Client.create(l, { logger: { log: () => undefined } })]))
  })
  afterAll(async () => {
    try {
      // Never flush_all the shared server: delete only what these tests wrote.
      if (written.length) await (await make()).deleteMany(written)
    } finally {
      for (const cache of caches) await cache.close()
      for (const client of raw?.values() ?? []) client.close()
      await own?.kill()
    }
  })

  it('finds each of 50 keys Django wrote by asking only the server pymemcache chose, the one holding it', async () => {
    const keys = Array.from({ length: 50 }, (_, i) => `django-wrote:${i}`)
    written.push(...keys)
    await django(keys.map((key, i) => ({ op: 'set', key, value: `value ${i}`, timeout: 600 })))
    const servers = parseLocation(location)
    const cache = await make()
    const used = new Set<string>()
    for (const [i, key] of keys.entries()) {
      const holding = await holders(stored(key))
      expect(holding, key).toEqual([{ node: selectServer(servers, stored(key)).node, flags: 16 }])
      used.add(holding[0]!.node)
      // An alias on the holding server alone finds it too: the two-server alias asked that one.
      expect(await cache.get(key)).toBe(`value ${i}`)
    }
    expect(used.size).toBe(2)
  })

  it('writes 50 keys where Django looks for them', async () => {
    const keys = Array.from({ length: 50 }, (_, i) => `backplane-wrote:${i}`)
    written.push(...keys)
    const cache = await make()
    expect(await cache.setMany(new Map(keys.map((key, i) => [key, i * 1000])))).toEqual([])
    const [many] = await django([{ op: 'get_many', keys }])
    expect(many).toEqual(Object.fromEntries(keys.map((key, i) => [key, i * 1000])))
    for (const key of keys.slice(0, 10)) expect(await holders(stored(key))).toHaveLength(1)
  })

  describe('values, both directions', () => {
    for (const [name, value, flags] of VALUES) {
      it(`reads a ${name} Django stored (flags ${flags}), and stores one Django reads back equal with the same flags`, async () => {
        const cache = await make()
        const id = name.replace(/ /g, '-')
        written.push(`from-django:${id}`, `from-backplane:${id}`)
        await django([{ op: 'set', key: `from-django:${id}`, value, timeout: 600 }])
        expect((await holders(stored(`from-django:${id}`)))[0]?.flags).toBe(flags)
        expect(await cache.get(`from-django:${id}`)).toEqual(value)

        await cache.set(`from-backplane:${id}`, value, { timeout: 600 })
        expect((await holders(stored(`from-backplane:${id}`)))[0]?.flags).toBe(flags)
        const [read] = await django([{ op: 'get', key: `from-backplane:${id}` }])
        expect(read).toEqual({ value })
      })
    }
  })

  it('counts with Django on the same integers: each incr()s what the other wrote, and both refuse a missing key', async () => {
    const cache = await make()
    written.push('counter', 'django-counter', 'missing-counter')
    await cache.set('counter', 10)
    const [byDjango] = await django([{ op: 'incr', key: 'counter', delta: 5 }])
    expect(byDjango).toBe(15)
    expect(await cache.incr('counter', 2)).toBe(17)
    await django([{ op: 'set', key: 'django-counter', value: 1 }])
    expect(await cache.decr('django-counter', 5)).toBe(0)
    const [refused] = await withDjangoCache(djangoSettings(), [{ op: 'incr', key: 'missing-counter' }])
    expect(refused).toEqual({ error: 'ValueError', message: `Key '${stored('missing-counter')}' not found` })
    await expect(cache.incr('missing-counter')).rejects.toMatchObject({ code: 'E_NOT_FOUND' })
  })

  it('expires what Django set with timeout 0 and keeps what it touched, as Django would see it', async () => {
    const cache = await make()
    written.push('touched', 'gone')
    await cache.set('touched', 'x', { timeout: 1 })
    await cache.set('gone', 'y', { timeout: 0 })
    expect(await cache.touch('touched', { timeout: 600 })).toBe(true)
    await new Promise((r) => setTimeout(r, 1100))
    const [touched, gone] = await django([{ op: 'get', key: 'touched' }, { op: 'get', key: 'gone' }])
    expect(touched).toEqual({ value: 'x' })
    expect(gone).toEqual({ missing: true })
  })

  it('refuses the keys Django refuses, with Django\'s own InvalidCacheKey message as the hint', async () => {
    const cache = await make()
    for (const key of ['has space', 'tab\there', 'é'.repeat(10) + 'x'.repeat(250)]) {
      const [django] = await withDjangoCache(djangoSettings(), [{ op: 'set', key, value: 1 }])
      const ours = await cache.set(key, 1).catch((e: unknown) => e)
      expect(django, key).toMatchObject({ error: 'InvalidCacheKey' })
      expect(ours, key).toMatchObject({ code: 'E_INVALID_INPUT' })
      if (key.length < 80) expect((ours as { hint: string }).hint).toBe((django as { message: string }).message)
    }
  })

  it('with serializer "json", writes JSON text (flags 0) and still reads what Django stored by its flags', async () => {
    const cache = await make({ serializer: 'json' })
    written.push('json-written', 'django-list')
    await cache.set('json-written', { a: [1, 2] })
    expect(await holders(stored('json-written'))).toEqual([expect.objectContaining({ flags: 0 })])
    const { value } = await raw.get(selectServer(parseLocation(location), stored('json-written')).node)!.get(stored('json-written'))
    expect(value!.toString()).toBe('{"a":[1,2]}')
    await django([{ op: 'set', key: 'django-list', value: [1, { $tuple: [2] }] }])
    expect(await cache.get('django-list')).toEqual([1, { $tuple: [2] }])
  })
})
