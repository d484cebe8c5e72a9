import { createHash, randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { inflateSync } from 'node:zlib'
import { afterAll, describe, expect, it } from 'vitest'
import { cacheContract } from '../../../../test/contracts/cache.contract'
import { createBackend, testContext } from '../../../../test/support/engine-context'
import type { Cache } from '../base'
import { fileEngine } from './file'

const ctx = testContext('cache')
afterAll(() => ctx.cleanup())

let folders = 0
const newFolder = () => join(ctx.dataDir, `file-cache-${++folders}`)
const make = (options: Record<string, unknown> = {}) => createBackend<Cache>(fileEngine, { location: newFolder(), ...options }, ctx)
const md5 = (text: string) => createHash('md5').update(text).digest('hex')

// The contract's listing by pattern skips itself here (the file cache lists md5 file names); the
// listing is tested below with '*', as the key browser uses it.
cacheContract('file', make)

describe("file cache, in Django's FileBasedCache format", () => {
  it('writes md5(prefix:version:key).djcache holding pickle(expiry) then zlib(pickle(value))', async () => {
    const location = newFolder()
    const cache = await make({ location, keyPrefix: 'site' })
    const before = Date.now() / 1000
    await cache.set('user:1', 'x', { timeout: 60, version: 2 })
    const name = `${md5('site:2:user:1')}.djcache`
    expect(readdirSync(location)).toEqual([name])
    const bytes = readFileSync(join(location, name))
    // pickle.dumps(float, 5): PROTO 5, FRAME 10, BINFLOAT, 8 bytes big-endian, STOP.
    expect([...bytes.subarray(0, 12)]).toEqual([0x80, 5, 0x95, 10, 0, 0, 0, 0, 0, 0, 0, 0x47])
    expect(bytes[20]).toBe(0x2e)
    const expiry = bytes.readDoubleBE(12)
    expect(expiry).toBeGreaterThanOrEqual(before + 60)
    expect(expiry).toBeLessThan(before + 62)
    expect(inflateSync(bytes.subarray(21)).length).toBeGreaterThan(0)
    await cache.set('forever', 'y', { timeout: null })
    expect([...readFileSync(join(location, `${md5('site:1:forever')}.djcache`)).subarray(0, 4)]).toEqual([0x80, 5, 0x4e, 0x2e])
  })

  it('deletes an expired file when it reads it, and counts an empty file as expired, as Django does', async () => {
    const location = newFolder()
    const cache = await make({ location })
    await cache.set('gone', 1, { timeout: 0 })
    const file = join(location, `${md5(':1:gone')}.djcache`)
    expect(existsSync(file)).toBe(true)
    expect(await cache.get('gone')).toBeUndefined()
    expect(existsSync(file)).toBe(false)
    writeFileSync(join(location, `${md5(':1:empty')}.djcache`), '')
    expect(await cache.hasKey('empty')).toBe(false)
    expect(existsSync(join(location, `${md5(':1:empty')}.djcache`))).toBe(false)
  })

  it('answers E_CACHE_CORRUPT, naming the file, for a truncated or damaged file', async () => {
    const location = newFolder()
    const cache = await make({ location })
    await cache.set('big', 'v'.repeat(10_000) + Math.random())
    const file = join(location, `${md5(':1:big')}.djcache`)
    const whole = readFileSync(file)
    writeFileSync(file, whole.subarray(0, whole.length - 5))
    const truncated = await cache.get('big').catch((e: unknown) => e)
    expect(truncated).toMatchObject({ code: 'E_CACHE_CORRUPT', status: 422 })
    expect((truncated as Error).message).toContain(file)
    expect((truncated as { hint: string }).hint).toContain(`${md5(':1:big')}.djcache`)
    writeFileSync(file, whole.subarray(0, 10))
    await expect(cache.get('big')).rejects.toMatchObject({ code: 'E_CACHE_CORRUPT' })
    writeFileSync(file, 'not a cache file')
    await expect(cache.get('big')).rejects.toMatchObject({ code: 'E_CACHE_CORRUPT' })
    // The key browser still shows it, as bytes, and it can be deleted.
    expect(await cache.inspect!(`${md5(':1:big')}.djcache`)).toMatchObject({ encoding: 'bytes', raw: Buffer.from('not a cache file').toString('base64') })
    expect(await cache.delete('big')).toBe(true)
  })

  it('culls at maxEntries as Django does (a random third), and never touches other files in the folder', async () => {
    const location = newFolder()
    mkdirSync(location)
    writeFileSync(join(location, 'notes.txt'), 'mine')
    writeFileSync(join(location, 'other.djcache'), 'not an md5 name')
    const cache = await make({ location, maxEntries: 9, cullFrequency: 3 })
    for (let i = 0; i < 9; i++) await cache.set(`k${i}`, i)
    const entries = () => readdirSync(location).filter((n) => /^[0-9a-f]{32}\.djcache$/.test(n))
    expect(entries()).toHaveLength(9)
    await cache.set('k9', 9) // 9 files >= maxEntries: 3 of them go before the new one is written
    expect(entries()).toHaveLength(7)
    expect(await cache.get('k9')).toBe(9)
    for (let i = 10; i < 40; i++) await cache.set(`k${i}`, i)
    expect(entries().length).toBeLessThanOrEqual(9)
    await cache.clear()
    expect(readdirSync(location).sort()).toEqual(['notes.txt', 'other.djcache'])
  })

  it('clears every entry when full and cullFrequency is 0', async () => {
    const location = newFolder()
    const cache = await make({ location, maxEntries: 3, cullFrequency: 0 })
    for (const k of ['a', 'b', 'c', 'd']) await cache.set(k, k)
    expect(await cache.get('a')).toBeUndefined()
    expect(await cache.get('d')).toBe('d')
    expect(readdirSync(location)).toHaveLength(1)
  })

  it('writes atomically: a failed write leaves nothing under the final name and no temporary file', async () => {
    const location = newFolder()
    const cache = await make({ location })
    await cache.set('other', 1)
    // A folder where the entry's file would go: the rename into place fails.
    mkdirSync(join(location, `${md5(':1:blocked')}.djcache`))
    await expect(cache.set('blocked', 'x')).rejects.toBeTruthy()
    expect(readdirSync(location).filter((n) => n.startsWith('tmp'))).toEqual([])
    await expect(cache.set('bad', () => 1)).rejects.toBeTruthy()
    expect(existsSync(join(location, `${md5(':1:bad')}.djcache`))).toBe(false)
  })

  it('never shows a reader half a file while it is rewritten', async () => {
    const cache = await make()
    // Random, so that zlib cannot shrink them: each file is large enough to be written in pieces.
    const values = [1, 2, 3].map(() => randomBytes(600_000).toString('base64'))
    await cache.set('k', values[0])
    let writing = true
    const writes = (async () => {
      for (let i = 0; i < 15; i++) await cache.set('k', values[i % 3])
    })().finally(() => (writing = false))
    const seen: unknown[] = []
    // Readers keep reading for as long as the writers write.
    const reader = async () => {
      while (writing) seen.push(await cache.get('k'))
    }
    await Promise.all([writes, reader(), reader(), reader()])
    expect(seen.length).toBeGreaterThan(5)
    for (const value of seen) expect(values).toContain(value)
  })

  it('does not follow a symbolic link planted under an entry name', async () => {
    const location = newFolder()
    const cache = await make({ location })
    await cache.set('real', 1)
    const outside = join(ctx.dataDir, 'outside.djcache')
    writeFileSync(outside, readFileSync(join(location, `${md5(':1:real')}.djcache`)))
    symlinkSync(outside, join(location, `${md5(':1:linked')}.djcache`))
    await expect(cache.get('linked')).rejects.toMatchObject({ code: 'E_PATH_OUTSIDE_ROOT' })
    const listed = await cache.scan!({ pattern: '*' })
    expect(listed.entries.map((e) => e.key)).toEqual([`${md5(':1:real')}.djcache`])
    await cache.clear()
    expect(existsSync(outside)).toBe(true)
  })

  it('lists file names a page at a time with their TTL and size, and shows and deletes an entry by file name or stored key', async () => {
    const location = newFolder()
    const cache = await make({ location, keyPrefix: 'p' })
    for (let i = 0; i < 5; i++) await cache.set(`k${i}`, { i }, { timeout: 100 })
    await cache.set('never', 'n', { timeout: null })
    const keys: string[] = []
    let cursor: string | null = null
    let pages = 0
    do {
      const page = await cache.scan!({ pattern: '*', cursor, count: 2 })
      keys.push(...page.entries.map((e) => e.key))
      for (const e of page.entries) expect(e.size).toBeGreaterThan(4)
      cursor = page.cursor
      expect(++pages).toBeLessThan(10)
    } while (cursor)
    expect(keys).toEqual([...keys].sort())
    expect(new Set(keys).size).toBe(6)
    const named = `${md5('p:1:k3')}.djcache`
    expect(keys).toContain(named)
    expect(cache.storedPattern!('k*')).toBeUndefined()

    const byName = await cache.inspect!(named)
    expect(byName).toMatchObject({ key: named, type: 'entry', encoding: 'pickle', value: { i: 3 } })
    expect(byName!.ttl).toBeGreaterThan(95)
    expect(Buffer.from(byName!.raw!, 'base64')).toEqual(readFileSync(join(location, named)))
    expect(await cache.inspect!('p:1:never')).toMatchObject({ key: 'p:1:never', ttl: null, value: 'n' })
    expect(await cache.inspect!('p:1:missing')).toBeUndefined()

    expect(await cache.deleteStored!([named, 'p:1:k4', 'p:1:missing'])).toBe(2)
    expect(await cache.get('k3')).toBeUndefined()
    expect(await cache.get('k4')).toBeUndefined()
    expect(await cache.get('k0')).toEqual({ i: 0 })
  })

  it('pages through a large folder, each file once, in name order, whatever was deleted meanwhile', async () => {
    const location = newFolder()
    mkdirSync(location)
    const never = Buffer.from([0x80, 5, 0x4e, 0x2e])
    const names = Array.from({ length: 700 }, (_, i) => `${md5(`k${i}`)}.djcache`)
    for (const name of names) writeFileSync(join(location, name), never)
    const cache = await make({ location })
    const seen: string[] = []
    let cursor: string | null = null
    do {
      const page = await cache.scan!({ pattern: '*', cursor, count: 100 })
      seen.push(...page.entries.map((e) => e.key))
      cursor = page.cursor
      // A deleted file the cursor already passed changes nothing for the pages after it.
      if (seen.length === 100) await cache.deleteStored!([seen[0]!])
    } while (cursor)
    expect(seen).toEqual([...names].sort())
  })

  it('counts entries, bytes on disk, hits and misses', async () => {
    const location = newFolder()
    const cache = await make({ location })
    await cache.set('a', 'x'.repeat(100))
    await cache.set('b', 2)
    await cache.get('a')
    await cache.get('nope')
    await cache.get('nope')
    const stats = await cache.stats!()
    const bytes = readdirSync(location).reduce((sum, n) => sum + readFileSync(join(location, n)).length, 0)
    expect(stats).toEqual({ keys: 2, memoryBytes: bytes, hits: 1, misses: 2 })
  })

  it('keeps a relative location in the data directory, and a check creates no folder', async () => {
    const cache = await createBackend<Cache>(fileEngine, { location: 'rel/cache' }, ctx)
    expect((await cache.check()).state).toBe('ok')
    expect(existsSync(join(ctx.dataDir, 'rel/cache'))).toBe(false)
    await cache.set('k', 1)
    expect(readdirSync(join(ctx.dataDir, 'rel/cache'))).toEqual([`${md5(':1:k')}.djcache`])
  })
})
