import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { cacheContract } from '../../../../test/contracts/cache.contract'
import { createBackend, testContext } from '../../../../test/support/engine-context'
import type { Cache } from '../base'
import { locmemEngine } from './locmem'

const make = (options: Record<string, unknown> = {}) => createBackend<Cache>(locmemEngine, { location: randomUUID(), ...options }, testContext('cache'))

cacheContract('locmem', make)

describe('locmem, as Django\'s LocMemCache', () => {
  it('culls a third of the entries when full, least recently used first', async () => {
    const cache = await make({ maxEntries: 3, cullFrequency: 3 })
    await cache.set('a', 1)
    await cache.set('b', 2)
    await cache.set('c', 3)
    await cache.get('a') // "a" is now the most recently used; "b" the least
    await cache.set('d', 4)
    expect(await cache.get('b')).toBeUndefined()
    expect(await cache.get('a')).toBe(1)
    expect(await cache.get('d')).toBe(4)
  })

  it('clears everything when full and cullFrequency is 0', async () => {
    const cache = await make({ maxEntries: 2, cullFrequency: 0 })
    await cache.set('a', 1)
    await cache.set('b', 2)
    await cache.set('c', 3)
    expect(await cache.get('a')).toBeUndefined()
    expect(await cache.get('c')).toBe(3)
  })

  it('shares entries between aliases naming the same location, kept apart by key prefix', async () => {
    const location = randomUUID()
    const one = await createBackend<Cache>(locmemEngine, { location, keyPrefix: 'one' }, testContext('cache'))
    const two = await createBackend<Cache>(locmemEngine, { location, keyPrefix: 'two' }, testContext('cache'))
    const same = await createBackend<Cache>(locmemEngine, { location, keyPrefix: 'one' }, testContext('cache'))
    await one.set('k', 'from one')
    expect(await two.get('k')).toBeUndefined()
    expect(await same.get('k')).toBe('from one')
  })

  it('makes stored keys as Django\'s default_key_func does: prefix:version:key', async () => {
    const cache = await make({ keyPrefix: 'site' })
    await cache.set('user:1', 'x', { version: 3 })
    const page = await cache.scan!({ pattern: '*' })
    expect(page.entries.map((e) => e.key)).toEqual(['site:3:user:1'])
    expect(cache.describeKey!('site:3:user:1')).toEqual({ userKey: 'user:1', version: 3 })
  })

  it('warns about keys memcached would reject, as Django\'s CacheKeyWarning', async () => {
    const ctx = testContext('cache')
    const cache = await createBackend<Cache>(locmemEngine, { location: randomUUID() }, ctx)
    await cache.set('has space', 1)
    await cache.set('x'.repeat(260), 1)
    expect(ctx.logs.filter((l) => l.level === 'warn').map((l) => l.message)).toEqual([
      expect.stringContaining('space or control character'),
      expect.stringContaining('longer than 250 characters'),
    ])
  })

  it('refuses a value with no JSON form', async () => {
    const cache = await make()
    await expect(cache.set('f', () => 1)).rejects.toMatchObject({ code: 'E_INVALID_INPUT' })
  })
})

describe('locmem limits', () => {
  it('keeps the bytes of its values under maxBytes, the least recently used going first, and refuses one value larger than that', async () => {
    const cache = await createBackend<Cache>(locmemEngine, { location: `bytes-${Math.random()}`, maxBytes: 4096 }, testContext('cache'))
    await cache.set('a', 'x'.repeat(1500))
    await cache.set('b', 'y'.repeat(1500))
    await cache.get('a')
    await cache.set('c', 'z'.repeat(1500))
    expect(await cache.get('b')).toBeUndefined()
    expect(await cache.get('a')).toHaveLength(1500)
    expect(await cache.get('c')).toHaveLength(1500)
    await expect(cache.set('huge', 'h'.repeat(5000))).rejects.toMatchObject({ code: 'E_TOO_LARGE', status: 413 })
    await cache.incr('n').catch(() => undefined)
    await cache.set('n', 1)
    expect(await cache.incr('n', 10 ** 6)).toBe(1_000_001)
  })

  it('looks at count keys per page, as Redis SCAN, and answers a pathological pattern at once', async () => {
    const cache = await createBackend<Cache>(locmemEngine, { location: `scan-${Math.random()}`, maxEntries: 100_000 }, testContext('cache'))
    for (let i = 0; i < 50; i++) await cache.set(`k${i}`, i)
    const first = await cache.scan!({ pattern: '*k4*', count: 10 })
    expect(first.cursor).not.toBeNull()
    await cache.set('a'.repeat(8000), 1)
    const stalled = await cache.scan!({ pattern: `*${'?'.repeat(1000)}b*`, count: 1000 })
    expect(stalled.entries).toEqual([])
  })
})
