import { randomUUID } from 'node:crypto'
import Redis from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cacheContract } from '../../../../test/contracts/cache.contract'
import { createBackend, testContext } from '../../../../test/support/engine-context'
import { describeService } from '../../../../test/support/services'
import type { Cache } from '../base'
import { redisEngine } from './redis'
import { parseLocation, withoutPassword } from './redis-location'

describe('redis LOCATION, read as redis-py reads it', () => {
  it('reads host, port, database, user and password, and names the server without the password', () => {
    expect(parseLocation('redis://ada:s3cret@cache.test:6380/4')).toEqual({
      connect: { host: 'cache.test', port: 6380, db: 4, username: 'ada', password: 's3cret' },
      display: 'redis://cache.test:6380/4',
    })
    expect(parseLocation('redis://:pw@127.0.0.1')).toMatchObject({ connect: { host: '127.0.0.1', port: 6379, db: 0, password: 'pw' }, display: 'redis://127.0.0.1:6379/0' })
    expect(parseLocation('redis://[::1]:7000?db=2').connect).toMatchObject({ host: '::1', port: 7000, db: 2 })
  })

  it('takes a password with "@" or "/" in it whole, and decodes percent-escapes', () => {
    expect(parseLocation('redis://:p@ss/w0rd@cache.test:6379/1').connect).toMatchObject({ password: 'p@ss/w0rd', host: 'cache.test', db: 1 })
    expect(parseLocation('redis://u%40x:p%3Aw@cache.test/0').connect).toMatchObject({ username: 'u@x', password: 'p:w' })
    expect(withoutPassword('redis://ada:p@ss/w0rd@cache.test:6379/1')).toBe('redis://ada@cache.test:6379/1')
  })

  it('reads rediss:// as TLS with the server name checked, and unix:// sockets with ?db=', () => {
    expect(parseLocation('rediss://cache.test:6380/0', { tlsCa: 'PEM' }).connect.tls).toEqual({ servername: 'cache.test', rejectUnauthorized: true, ca: 'PEM' })
    expect(parseLocation('unix://:pw@/run/redis.sock?db=3')).toEqual({ connect: { path: '/run/redis.sock', db: 3, password: 'pw' }, display: 'unix:///run/redis.sock?db=3' })
  })

  it('lets the password, username and db options override the URL', () => {
    expect(parseLocation('redis://ada:old@cache.test/1', { password: 'new', username: 'bob', db: 2 }).connect).toMatchObject({ password: 'new', username: 'bob', db: 2 })
  })

  it('refuses what is not a Redis URL, without echoing a password', () => {
    expect(() => parseLocation('memcached://cache.test')).toThrow(expect.objectContaining({ code: 'E_INVALID_OPTIONS' }))
    expect(() => parseLocation('redis://:hunter2@cache.test/x')).toThrow(expect.objectContaining({ code: 'E_INVALID_OPTIONS', message: expect.not.stringContaining('hunter2') }))
    expect(() => parseLocation('unix:///')).toThrow(expect.objectContaining({ code: 'E_INVALID_OPTIONS' }))
  })

  it('accepts one URL or a list as the location, as Django does', () => {
    expect(redisEngine.options.parse({ location: 'redis://a/0' }).location).toEqual(['redis://a/0'])
    expect(redisEngine.options.parse({ location: ['redis://a/0', 'redis://b/0'] }).location).toHaveLength(2)
    expect(redisEngine.options.safeParse({ location: [] }).success).toBe(false)
  })
})

describeService('redis', 'redis engine', (env) => {
  // Database 1 is this file's own: the contract clears it (FLUSHDB) before every case.
  const opened: Cache[] = []
  const make = async (options: Record<string, unknown> = {}) => {
    const cache = await createBackend<Cache>(redisEngine, { location: env.BACKPLANE_TEST_REDIS_URL, db: 1, ...options }, testContext('cache'))
    opened.push(cache)
    return cache
  }
  let raw: Redis
  beforeAll(() => {
    raw = new Redis(env.BACKPLANE_TEST_REDIS_URL!.replace(/\/\d*$/, '/1'))
  })
  afterAll(async () => {
    raw.disconnect()
    await Promise.all(opened.map((c) => c.close()))
  })

  cacheContract('redis', make)
  cacheContract('redis, json serializer', (options) => make({ serializer: 'json', ...options }))

  describe('as Django writes to Redis', () => {
    const prefix = () => `bp-redis-${randomUUID().slice(0, 8)}`

    it('sets with PX, deletes on a timeout of 0, and keeps a key without expiry on None', async () => {
      const keyPrefix = prefix()
      const cache = await make({ keyPrefix, timeout: 60 })
      await cache.set('default', 'x')
      await cache.set('short', 'x', { timeout: 1.5 })
      await cache.set('forever', 'x', { timeout: null })
      expect(await raw.pttl(`${keyPrefix}:1:default`)).toBeGreaterThan(59_000)
      expect(await raw.pttl(`${keyPrefix}:1:short`)).toBeGreaterThan(900)
      expect(await raw.pttl(`${keyPrefix}:1:short`)).toBeLessThanOrEqual(1500)
      expect(await raw.pttl(`${keyPrefix}:1:forever`)).toBe(-1)
      await cache.set('forever', 'y', { timeout: 0 })
      expect(await raw.exists(`${keyPrefix}:1:forever`)).toBe(0)
    })

    it('adds with SET NX, and with a timeout of 0 answers whether it would have added, storing nothing', async () => {
      const keyPrefix = prefix()
      const cache = await make({ keyPrefix })
      expect(await cache.add('k', 1, { timeout: 0 })).toBe(true)
      expect(await raw.exists(`${keyPrefix}:1:k`)).toBe(0)
      expect(await cache.add('k', 1, { timeout: 30 })).toBe(true)
      expect(await cache.add('k', 2, { timeout: 0 })).toBe(false)
      expect(await raw.pttl(`${keyPrefix}:1:k`)).toBeGreaterThan(29_000)
    })

    it('touches with PEXPIRE, and with None takes the expiry away (PERSIST) yet says the key is there', async () => {
      const keyPrefix = prefix()
      const cache = await make({ keyPrefix })
      await cache.set('k', 1, { timeout: 10 })
      expect(await cache.touch('k', { timeout: 100 })).toBe(true)
      expect(await raw.pttl(`${keyPrefix}:1:k`)).toBeGreaterThan(99_000)
      expect(await cache.touch('k', { timeout: null })).toBe(true)
      expect(await raw.pttl(`${keyPrefix}:1:k`)).toBe(-1)
      expect(await cache.touch('k', { timeout: null })).toBe(true)
      expect(await cache.touch('gone', { timeout: null })).toBe(false)
    })

    it('keeps the TTL when incr() and incr_version() rewrite an entry', async () => {
      const keyPrefix = prefix()
      const cache = await make({ keyPrefix }) as Cache & { incrVersion(k: string): Promise<number> }
      await cache.set('n', 1.5, { timeout: 50 })
      expect(await cache.incr('n')).toBe(2.5)
      expect(await raw.pttl(`${keyPrefix}:1:n`)).toBeGreaterThan(48_000)
      expect(await cache.incrVersion('n')).toBe(2)
      expect(await raw.pttl(`${keyPrefix}:2:n`)).toBeGreaterThan(48_000)
      expect(await cache.get('n', { version: 2 })).toBe(2.5)
    })

    it('deletes many keys with one DEL and writes many with one pipeline', async () => {
      const keyPrefix = prefix()
      const cache = await make({ keyPrefix })
      expect(await cache.setMany(new Map<string, unknown>([['a', 1], ['b', [2]]]), { timeout: 30 })).toEqual([])
      expect(await raw.pttl(`${keyPrefix}:1:b`)).toBeGreaterThan(29_000)
      await cache.deleteMany(['a', 'b', 'never'])
      expect(await raw.exists(`${keyPrefix}:1:a`, `${keyPrefix}:1:b`)).toBe(0)
      await cache.setMany(new Map([['c', 1]]), { timeout: 0 })
      expect(await raw.exists(`${keyPrefix}:1:c`)).toBe(0)
    })

    it('stores bytes, never text decoded lossily', async () => {
      const keyPrefix = prefix()
      const cache = await make({ keyPrefix })
      const bytes = Buffer.from([0x80, 0xff, 0x00, 0xc3])
      await raw.set(`${keyPrefix}:1:bin`, bytes)
      expect(await cache.get('bin')).toEqual({ $bytes: bytes.toString('base64') })
      await cache.set('b', { $bytes: bytes.toString('base64') })
      expect(await cache.get('b')).toEqual({ $bytes: bytes.toString('base64') })
    })

    it('reads from the replica and writes to the first location when there are several, as Django', async () => {
      // Two databases of one server stand in for a primary and its replica: what is written is not read back.
      const keyPrefix = prefix()
      const url = env.BACKPLANE_TEST_REDIS_URL!
      const cache = await make({ keyPrefix, db: undefined, location: [url.replace(/\/\d*$/, '/1'), url.replace(/\/\d*$/, '/2')] })
      await cache.set('k', 'on the primary')
      expect(await raw.get(`${keyPrefix}:1:k`)).not.toBeNull()
      expect(await cache.get('k')).toBeUndefined()
      const replica = new Redis(url.replace(/\/\d*$/, '/2'))
      try {
        await replica.set(`${keyPrefix}:1:r`, '7', 'EX', 60)
        expect(await cache.get('r')).toBe(7)
        expect(await cache.hasKey('r')).toBe(true)
        expect(Object.fromEntries(await cache.getMany(['r', 'k']))).toEqual({ r: 7 })
      } finally {
        await replica.del(`${keyPrefix}:1:r`)
        replica.disconnect()
      }
    })

    it('says WRONGTYPE as a typed error when a Django call meets a hash', async () => {
      const keyPrefix = prefix()
      const cache = await make({ keyPrefix })
      await raw.hset(`${keyPrefix}:1:h`, 'f', 'v')
      await expect(cache.get('h')).rejects.toMatchObject({ code: 'E_INVALID_INPUT', status: 400 })
    })
  })
})
