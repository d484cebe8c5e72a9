import { randomUUID } from 'node:crypto'
import Redis from 'ioredis'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { createBackend, testContext } from '../../../../test/support/engine-context'
import { describeService } from '../../../../test/support/services'
import { openTestApp } from '../../../../test/support/test-app'
import { MAX_RAW_BYTES, type Cache, type CacheEntryInfo } from '../base'
import { redisEngine } from './redis'

// Database 3, with a prefix of this run's own: nothing here clears the database.
describeService('redis', 'redis key browser', (env) => {
  const prefix = `bp-inspect-${randomUUID().slice(0, 8)}`
  let raw: Redis
  let cache: Cache

  beforeAll(async () => {
    // The URL's own database number would win over a db option: the path says 3.
    raw = new Redis(env.BACKPLANE_TEST_REDIS_URL!.replace(/\/\d*$/, '/3'))
    cache = await createBackend<Cache>(redisEngine, { location: env.BACKPLANE_TEST_REDIS_URL, db: 3, keyPrefix: prefix, serializer: 'json' }, testContext('cache'))
    await raw.hset(`${prefix}:hash`, { name: 'Ada', blob: Buffer.from([0xff, 0x00, 0xfe]) })
    await raw.rpush(`${prefix}:list`, ...Array.from({ length: 150 }, (_, i) => `item-${i}`))
    await raw.sadd(`${prefix}:set`, 'a', 'b', 'c')
    await raw.zadd(`${prefix}:zset`, 1.5, 'low', 10, 'high')
    await raw.xadd(`${prefix}:stream`, '1-1', 'event', 'login', 'user', 'ada')
    await raw.xadd(`${prefix}:stream`, '1-2', '$tag', 'x', '$tag', 'y')
    await raw.set(`${prefix}:big`, Buffer.alloc(MAX_RAW_BYTES + 10, 0x61), 'EX', 600)
  })
  afterAll(async () => {
    for await (const keys of raw.scanStream({ match: `${prefix}:*`, count: 1000 })) if ((keys as string[]).length) await raw.unlink(...(keys as string[]))
    raw.disconnect()
    await cache.close()
  })

  async function scanAll(pattern: string): Promise<CacheEntryInfo[]> {
    const entries: CacheEntryInfo[] = []
    let cursor: string | null = null
    do {
      const page = await cache.scan!({ pattern, cursor, count: 500 })
      entries.push(...page.entries)
      cursor = page.cursor
    } while (cursor)
    return entries
  }

  it('lists every Redis type with its TTL and size, an entry as "entry"', async () => {
    await cache.set('entry', { a: 1 }, { timeout: 120 })
    const entries = await scanAll(`${prefix}:*`)
    const byKey = Object.fromEntries(entries.map((e) => [e.key.slice(prefix.length + 1), e]))
    expect(Object.fromEntries(Object.entries(byKey).map(([k, e]) => [k, e.type]))).toEqual({
      hash: 'hash',
      list: 'list',
      set: 'set',
      zset: 'zset',
      stream: 'stream',
      big: 'entry',
      '1:entry': 'entry',
    })
    expect(byKey['1:entry']!.ttl).toBeGreaterThan(118)
    expect(byKey['1:entry']!.ttl).toBeLessThanOrEqual(120)
    expect(byKey.hash!.ttl).toBeNull()
    expect(byKey.big!.size).toBeGreaterThan(MAX_RAW_BYTES)
  })

  it('shows a hash field by field, bytes that are not UTF-8 as $bytes', async () => {
    const entry = await cache.inspect!(`${prefix}:hash`)
    expect(entry).toMatchObject({ type: 'hash', itemCount: 2 })
    expect(entry!.items).toEqual(
      expect.arrayContaining([
        { field: 'name', value: 'Ada' },
        { field: 'blob', value: { $bytes: Buffer.from([0xff, 0x00, 0xfe]).toString('base64') } },
      ]),
    )
  })

  it('shows the first 100 items of a list and how many it has', async () => {
    const entry = await cache.inspect!(`${prefix}:list`)
    expect(entry).toMatchObject({ type: 'list', itemCount: 150 })
    expect(entry!.items).toHaveLength(100)
    expect(entry!.items![99]).toEqual({ value: 'item-99' })
  })

  it('shows a set, a sorted set with scores, and a stream by entry id', async () => {
    const set = await cache.inspect!(`${prefix}:set`)
    expect(set).toMatchObject({ type: 'set', itemCount: 3 })
    expect(set!.items!.map((i) => i.value).sort()).toEqual(['a', 'b', 'c'])
    expect(await cache.inspect!(`${prefix}:zset`)).toMatchObject({ type: 'zset', itemCount: 2, items: [{ value: 'low', score: 1.5 }, { value: 'high', score: 10 }] })
    expect(await cache.inspect!(`${prefix}:stream`)).toMatchObject({
      type: 'stream',
      itemCount: 2,
      items: [
        { field: '1-1', value: { event: 'login', user: 'ada' } },
        { field: '1-2', value: { $dict: [['$tag', 'x'], ['$tag', 'y']] } },
      ],
    })
  })

  it('shows an entry decoded beside its raw bytes, cut at MAX_RAW_BYTES', async () => {
    const big = await cache.inspect!(`${prefix}:big`)
    expect(big).toMatchObject({ type: 'entry', encoding: 'text', rawTruncated: true })
    expect(Buffer.from(big!.raw!, 'base64')).toHaveLength(MAX_RAW_BYTES)
    expect(big!.ttl).toBeGreaterThan(590)
    await cache.set('small', [1, 'two'])
    const small = await cache.inspect!(`${prefix}:1:small`)
    expect(small).toMatchObject({ type: 'entry', value: [1, 'two'] })
    expect(small!.rawTruncated).toBeUndefined()
    expect(Buffer.from(small!.raw!, 'base64').toString()).toBe('[1,"two"]')
    expect(await cache.inspect!(`${prefix}:never-set`)).toBeUndefined()
  })

  it('deletes stored keys of any type with UNLINK, answering how many were there', async () => {
    await raw.sadd(`${prefix}:doomed-set`, 'x')
    await raw.set(`${prefix}:doomed-string`, 'x')
    expect(await cache.deleteStored!([`${prefix}:doomed-set`, `${prefix}:doomed-string`, `${prefix}:never-there`])).toBe(2)
    expect(await raw.exists(`${prefix}:doomed-set`, `${prefix}:doomed-string`)).toBe(0)
  })

  it('reports the counters INFO has, and the server version in the health report', async () => {
    const before = await cache.stats!()
    await cache.get('miss-me')
    const after = await cache.stats!()
    expect(after.misses).toBeGreaterThan(before.misses!)
    expect(after.operations).toBeGreaterThan(before.operations!)
    expect(after).toMatchObject({ keys: expect.any(Number), memoryBytes: expect.any(Number), connections: expect.any(Number), evictions: expect.any(Number), uptimeSeconds: expect.any(Number) })
    expect(after.keys).toBe(await raw.dbsize())
    const report = await cache.check()
    expect(report).toMatchObject({ state: 'ok', version: expect.stringMatching(/^Redis \d+\.\d+\.\d+$/) })
    expect(report.version).toBe(`Redis ${/redis_version:(\S+)/.exec(await raw.info('server'))![1]}`)
  })

  it('answers a hostile pattern (1,000 characters of *a*a…) at once', async () => {
    await raw.set(`${prefix}:${'a'.repeat(3000)}`, 'x')
    const t0 = performance.now()
    const page = await cache.scan!({ pattern: '*a'.repeat(500), count: 1000 })
    expect(performance.now() - t0).toBeLessThan(1000)
    expect(page.entries.every((e) => e.key.endsWith('a'))).toBe(true)
    const doubled = await scanAll(`${prefix}:${'**'.repeat(300)}aaa`)
    expect(performance.now() - t0).toBeLessThan(2000)
    expect(doubled.map((e) => e.key)).toEqual([`${prefix}:${'a'.repeat(3000)}`])
  })

  it('answers a hostile pattern through the API at once, matched as the application wrote its keys', async () => {
    const test = await openTestApp()
    try {
      await test.app.call('settings.saveAlias', { kind: 'cache', name: 'browse', engine: 'redis', options: { location: env.BACKPLANE_TEST_REDIS_URL, db: 3, keyPrefix: prefix } })
      await cache.set(`${'a'.repeat(2000)}b`, 1)
      const t0 = performance.now()
      const page = await test.app.call('cache.scan', { alias: 'browse', pattern: '*a'.repeat(500), count: 1000 })
      expect(performance.now() - t0).toBeLessThan(1000)
      expect(page.entries.map((e) => e.userKey)).not.toContain(`${'a'.repeat(2000)}b`)
      const found = await test.app.call('cache.scan', { alias: 'browse', pattern: `${'*a'.repeat(400)}*b`, count: 1000 })
      expect(performance.now() - t0).toBeLessThan(2000)
      expect(found.entries.map((e) => e.userKey)).toContain(`${'a'.repeat(2000)}b`)
    } finally {
      await test.close()
    }
  })
})
