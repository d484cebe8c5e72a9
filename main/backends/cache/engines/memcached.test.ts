import { spawn } from 'node:child_process'
import { randomBytes, randomUUID } from 'node:crypto'
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createConnection } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cacheContract } from '../../../../test/contracts/cache.contract'
import { createBackend, testContext } from '../../../../test/support/engine-context'
import { describeService } from '../../../../test/support/services'
import type { Cache } from '../base'
import { memcachedEngine } from './memcached'
import { parseLocation } from './memcached-ring'
import { startOwnMemcached, type OwnMemcached } from './memcached-test-server'
import { MemcachedConnection } from './memcached-wire'

/** Seconds memcached will keep a key (-1: never), read with the meta command `mg <key> t` over the text protocol. */
async function ttlOf(port: number, storedKey: string): Promise<number | undefined> {
  const socket = createConnection(port, '127.0.0.1')
  try {
    const reply = await new Promise<string>((resolve, reject) => {
      let text = ''
      socket.on('data', (chunk) => {
        text += chunk.toString()
        if (text.endsWith('\r\n')) resolve(text)
      })
      socket.once('error', reject)
      socket.write(`mg ${storedKey} t\r\n`)
    })
    if (reply.startsWith('EN')) return undefined
    return Number(/ t(-?\d+)/.exec(reply)?.[1])
  } finally {
    socket.destroy()
  }
}

/** The key as the alias stores it (prefix:version:key). */
function storedKey(cache: Cache, key: string): string {
  return (cache as unknown as { makeKey(k: string): string }).makeKey(key)
}

describeService('memcached', 'memcached engine', () => {
  let own: OwnMemcached
  let large: OwnMemcached
  const caches: Cache[] = []
  const make = async (options: Record<string, unknown> = {}) => {
    const cache = await createBackend<Cache>(memcachedEngine, { location: own.location, keyPrefix: 'bp-mc-test', ...options }, testContext('cache'))
    caches.push(cache)
    return cache
  }

  beforeAll(async () => {
    own = await startOwnMemcached()
    large = await startOwnMemcached(['-I', '4m'])
  })
  afterAll(async () => {
    for (const cache of caches) await cache.close()
    await Promise.all([own?.kill(), large?.kill()])
  })

  // On a memcached of its own: the suite calls clear(), which is flush_all.
  cacheContract('memcached', (options) => make(options))

  describe('as Django\'s PyMemcacheCache', () => {
    it('passes expiry times as Django\'s get_backend_timeout(): null never, 0 at once, over 30 days as a Unix time', async () => {
      const cache = await make({ keyPrefix: `ttl-${randomUUID()}` })
      const k = (key: string) => storedKey(cache, key)
      await cache.set('forever', 1, { timeout: null })
      await cache.set('default', 1)
      await cache.set('now', 1, { timeout: 0 })
      await cache.set('negative', 1, { timeout: -5 })
      await cache.set('forty-days', 1, { timeout: 40 * 86400 })
      expect(await ttlOf(own.port, k('forever'))).toBe(-1)
      expect(await ttlOf(own.port, k('default'))).toBeGreaterThan(295)
      expect(await ttlOf(own.port, k('default'))).toBeLessThanOrEqual(300)
      expect(await ttlOf(own.port, k('now'))).toBeUndefined()
      expect(await ttlOf(own.port, k('negative'))).toBeUndefined()
      const forty = (await ttlOf(own.port, k('forty-days')))!
      expect(Math.abs(forty - 40 * 86400)).toBeLessThan(5)
      expect(await cache.touch('forever', { timeout: 0 })).toBe(true)
      expect(await cache.get('forever')).toBeUndefined()
    })

    it('refuses keys memcached cannot hold with Django\'s InvalidCacheKey wording as the hint, an 8 KiB key included', async () => {
      const cache = await make()
      await expect(cache.set('has space', 1)).rejects.toMatchObject({ code: 'E_INVALID_INPUT', hint: expect.stringContaining('Cache key contains characters that will cause errors if used with memcached') })
      await expect(cache.get('tab\there')).rejects.toMatchObject({ code: 'E_INVALID_INPUT' })
      await expect(cache.get('k'.repeat(8192))).rejects.toMatchObject({ code: 'E_INVALID_INPUT', hint: expect.stringMatching(/^Cache key will cause errors if used with memcached: .*\(longer than 250\)$/) })
      // 200 characters pass Django's check, but 400 bytes of UTF-8 are more than memcached (and pymemcache) take.
      await expect(cache.set('é'.repeat(200), 1)).rejects.toMatchObject({ code: 'E_INVALID_INPUT', hint: expect.stringContaining('Key is too long') })
      const error = await cache.getMany(['ok', 'k'.repeat(8192)]).catch((e: unknown) => e)
      expect(error).toMatchObject({ code: 'E_INVALID_INPUT' })
      expect((error as Error).message.length).toBeLessThan(300)
    })

    it('increments in memcached itself: 64-bit counters, a missing key is E_NOT_FOUND, a pickle is E_INVALID_INPUT, decr stops at 0', async () => {
      const cache = await make({ keyPrefix: `incr-${randomUUID()}` })
      await cache.set('big', 2 ** 40)
      expect(await cache.incr('big')).toBe(2 ** 40 + 1)
      expect(await cache.incr('big', -2)).toBe(2 ** 40 - 1)
      await cache.set('n', 3)
      expect(await cache.decr('n', 10)).toBe(0)
      expect(await cache.get('n')).toBe(0)
      await expect(cache.incr('missing')).rejects.toMatchObject({ code: 'E_NOT_FOUND' })
      expect(await cache.get('missing')).toBeUndefined()
      await cache.set('list', [1, 2])
      await expect(cache.incr('list')).rejects.toMatchObject({ code: 'E_INVALID_INPUT', hint: expect.stringContaining('plain digits') })
      await expect(cache.incr('n', 1.5)).rejects.toMatchObject({ code: 'E_INVALID_INPUT' })
    })

    it('keeps the expiry on incr, as memcached does', async () => {
      const cache = await make({ keyPrefix: `incr-ttl-${randomUUID()}` })
      await cache.set('n', 1, { timeout: 1000 })
      await cache.incr('n')
      const ttl = await ttlOf(own.port, storedKey(cache, 'n'))
      expect(ttl).toBeGreaterThan(990)
    })
  })

  describe('values too large for memcached', () => {
    it('refuses a 2 MB binary value before sending it, with a hint, and leaves no old value behind', async () => {
      const cache = await make({ keyPrefix: `large-${randomUUID()}` })
      await cache.set('blob', 'old')
      await expect(cache.set('blob', { $bytes: randomBytes(2 * 1024 * 1024).toString('base64') })).rejects.toMatchObject({
        code: 'E_TOO_LARGE',
        status: 413,
        message: expect.stringContaining('at most 1048576 bytes'),
        hint: expect.stringContaining('memcached -I'),
      })
      expect(await cache.get('blob')).toBeUndefined()
    })

    it('maps the server\'s own "too large" (a value just under the limit, with the item\'s overhead over it) to E_TOO_LARGE', async () => {
      const cache = await make({ keyPrefix: `large-${randomUUID()}` })
      await cache.set('almost', 'old')
      await expect(cache.set('almost', 'x'.repeat(1024 * 1024 - 10))).rejects.toMatchObject({ code: 'E_TOO_LARGE', message: expect.stringContaining('refused') })
      expect(await cache.get('almost')).toBeUndefined()
    })

    it('reads the item size limit from the server: a 2 MB binary value round-trips on a memcached started with -I 4m', async () => {
      const cache = await make({ location: large.location })
      const bytes = randomBytes(2 * 1024 * 1024).toString('base64')
      await cache.set('blob', { $bytes: bytes })
      expect(await cache.get('blob')).toEqual({ $bytes: bytes })
      await expect(cache.set('bigger', 'x'.repeat(5 * 1024 * 1024))).rejects.toMatchObject({ code: 'E_TOO_LARGE', message: expect.stringContaining('4194304') })
    })

    it('answers from set_many the keys that were too large, storing the others', async () => {
      const cache = await make({ keyPrefix: `many-${randomUUID()}` })
      const failed = await cache.setMany(new Map<string, unknown>([['a', 1], ['huge', 'x'.repeat(2 * 1024 * 1024)], ['b', 'two']]))
      expect(failed).toEqual(['huge'])
      expect(Object.fromEntries(await cache.getMany(['a', 'b', 'huge']))).toEqual({ a: 1, b: 'two' })
    })
  })

  describe('many keys at once', () => {
    it('gets 1,000 keys in one get_many', async () => {
      const cache = await make({ keyPrefix: `thousand-${randomUUID()}` })
      const entries = new Map(Array.from({ length: 1000 }, (_, i) => [`k${i}`, i] as [string, unknown]))
      expect(await cache.setMany(entries)).toEqual([])
      const keys = [...entries.keys(), 'absent-1', 'absent-2']
      const started = performance.now()
      const found = await cache.getMany(keys)
      expect(found.size).toBe(1000)
      expect(found.get('k999')).toBe(999)
      expect(performance.now() - started).toBeLessThan(2000)
      await cache.deleteMany([...entries.keys()])
      expect((await cache.getMany(keys)).size).toBe(0)
    })
  })

  describe('what other clients left', () => {
    it('answers a damaged pickle with E_CACHE_CORRUPT, and the key browser still shows its bytes', async () => {
      const cache = await make({ keyPrefix: `corrupt-${randomUUID()}` })
      const k = storedKey(cache, 'broken')
      // flags 1, pymemcache's "pickled", over bytes that are only the start of a pickle.
      const raw = new MemcachedConnection(parseLocation(own.location)[0]!, { connectTimeoutSeconds: 1, commandTimeoutSeconds: 1, log: testContext('cache').log })
      try {
        await raw.store('set', k, { bytes: Buffer.from([0x80, 0x05, 0x95, 0x10]), flags: 1 }, 0)
      } finally {
        raw.close()
      }
      await expect(cache.get('broken')).rejects.toMatchObject({ code: 'E_CACHE_CORRUPT' })
      expect(await cache.inspect!(k)).toMatchObject({ encoding: 'bytes', value: { $bytes: 'gAWVEA==' }, raw: 'gAWVEA==' })
    })
  })

  describe('on a Unix socket', () => {
    it('reaches a memcached at "unix:/path", as Django\'s LOCATION writes it', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'bp-mc-'))
      chmodSync(dir, 0o777) // memcached runs as nobody
      const path = join(dir, 'memcached.sock')
      const user = process.getuid?.() === 0 ? ['-u', 'nobody'] : []
      const child = spawn('memcached', ['-s', path, '-a', '0777', ...user], { stdio: 'ignore' })
      try {
        await expect.poll(() => existsSync(path)).toBe(true)
        const cache = await make({ location: `unix:${path}` })
        await cache.set('k', 'over a socket file')
        expect(await cache.get('k')).toBe('over a socket file')
        expect((await cache.check()).version).toMatch(/^memcached 1\.6/)
      } finally {
        process.kill(child.pid!, 'SIGKILL')
        rmSync(dir, { recursive: true, force: true })
      }
    })
  })

  describe('the key browser on memcached', () => {
    it('has no scan (memcached cannot list keys) but inspects one stored key, raw bytes beside the value', async () => {
      const cache = await make({ keyPrefix: `inspect-${randomUUID()}` })
      expect(cache.scan).toBeUndefined()
      await cache.set('user:1', 'Zoë')
      const stored = storedKey(cache, 'user:1')
      const detail = await cache.inspect!(stored)
      expect(detail).toMatchObject({ key: stored, type: 'entry', ttl: null, size: 4, value: 'Zoë', raw: Buffer.from('Zoë').toString('base64') })
      expect(detail?.rawTruncated).toBeUndefined()
      expect(await cache.inspect!(`${stored}-absent`)).toBeUndefined()
      expect(await cache.deleteStored!([stored, `${stored}-absent`])).toBe(1)
      expect(await cache.get('user:1')).toBeUndefined()
    })

    it('truncates the raw bytes it shows of a large value', async () => {
      const cache = await make({ keyPrefix: `inspect-${randomUUID()}` })
      await cache.set('long', 'y'.repeat(100_000))
      const detail = await cache.inspect!(storedKey(cache, 'long'))
      expect(detail?.size).toBe(100_000)
      expect(detail?.rawTruncated).toBe(true)
      expect(Buffer.from(detail!.raw!, 'base64').length).toBe(64 * 1024)
    })

    it('reports the servers\' stats summed, and its version and health', async () => {
      const cache = await make({ location: [own.location, large.location] })
      const before = await cache.stats!()
      await cache.get('stats-probe')
      const after = await cache.stats!()
      expect(after.misses).toBe(before.misses! + 1)
      expect(after.maxMemoryBytes).toBe(2 * 64 * 1024 * 1024)
      expect(after.connections).toBeGreaterThanOrEqual(2)
      expect(after.uptimeSeconds).toBeGreaterThanOrEqual(0)
      const report = await cache.check()
      expect(report.state).toBe('ok')
      expect(report.version).toMatch(/^memcached 1\.6\.\d+ \(127\.0\.0\.1:\d+\), memcached 1\.6\.\d+ \(127\.0\.0\.1:\d+\)$/)
      const single = await make()
      expect((await single.check()).version).toMatch(/^memcached 1\.6\.\d+$/)
    })
  })
})
