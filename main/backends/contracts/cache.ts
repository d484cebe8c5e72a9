import assert from 'node:assert/strict'
import { ErrorCode } from '../../core/errors'
import type { Cache } from '../cache/base'
import { assertHealthy } from './health'
import { rejectsWithCode, using, type ContractSuite } from './harness'

export interface CacheFixture {
  /** A fresh cache; options are the alias's raw options (timeout, keyPrefix…). Each case clears it first. */
  make(options?: Record<string, unknown>): Promise<Cache>
  afterEach?(): Promise<void>
}

type Case = ContractSuite<CacheFixture>['cases'][number]

/** A case on a cleared cache, closed afterwards. */
function on(name: string, run: (cache: Cache, t: Parameters<Case['run']>[1]) => Promise<void>): Case {
  return {
    name,
    run: (f, t) =>
      using(f.make(), async (cache) => {
        await cache.clear()
        await run(cache, t)
      }),
  }
}

/** After Django's cache test suite (tests/cache/tests.py), run against each engine as Django runs it against each backend. */
export const cacheSuite: ContractSuite<CacheFixture> = {
  kind: 'cache',
  cases: [
    on('returns what was set, and nothing for a key never set', async (cache) => {
      await cache.set('greeting', { text: 'hello', n: [1, 2] })
      assert.deepEqual(await cache.get('greeting'), { text: 'hello', n: [1, 2] })
      assert.equal(await cache.get('never-set'), undefined)
    }),
    on('adds only when the key is absent', async (cache) => {
      assert.equal(await cache.add('k', 'first'), true)
      assert.equal(await cache.add('k', 'second'), false)
      assert.equal(await cache.get('k'), 'first')
    }),
    on('deletes, saying whether the key was there', async (cache) => {
      await cache.set('k', 1)
      assert.equal(await cache.delete('k'), true)
      assert.equal(await cache.delete('k'), false)
      assert.equal(await cache.hasKey('k'), false)
    }),
    on('reads, writes and deletes many keys at once', async (cache) => {
      assert.deepEqual(await cache.setMany(new Map<string, unknown>([['a', 1], ['b', 'two'], ['c', null]])), [])
      const found = await cache.getMany(['a', 'b', 'c', 'missing'])
      assert.deepEqual(Object.fromEntries(found), { a: 1, b: 'two', c: null })
      await cache.deleteMany(['a', 'b'])
      assert.deepEqual([...(await cache.getMany(['a', 'b', 'c'])).keys()], ['c'])
    }),
    on('increments and decrements numbers, and refuses keys that do not exist', async (cache) => {
      await cache.set('n', 10)
      assert.equal(await cache.incr('n'), 11)
      assert.equal(await cache.incr('n', 5), 16)
      assert.equal(await cache.decr('n', 6), 10)
      assert.equal(await cache.get('n'), 10)
      await rejectsWithCode(cache.incr('no-such-key'), ErrorCode.E_NOT_FOUND, 'incr() of a missing key')
    }),
    on('expires a key set with timeout 0 at once, and keeps one with timeout null', async (cache) => {
      await cache.set('gone', 'x', { timeout: 0 })
      await cache.set('forever', 'y', { timeout: null })
      assert.equal(await cache.get('gone'), undefined)
      assert.equal(await cache.get('forever'), 'y')
    }),
    on('expires a key after its timeout, and touch() gives it a new one', async (cache) => {
      await cache.set('short', 'x', { timeout: 1 })
      await cache.set('touched', 'y', { timeout: 1 })
      assert.equal(await cache.touch('touched', { timeout: 10 }), true)
      assert.equal(await cache.touch('never-set', { timeout: 10 }), false)
      await new Promise((r) => setTimeout(r, 1100))
      assert.equal(await cache.get('short'), undefined)
      assert.equal(await cache.get('touched'), 'y')
    }),
    on('keeps versions apart', async (cache) => {
      await cache.set('v', 'one', { version: 1 })
      await cache.set('v', 'two', { version: 2 })
      assert.equal(await cache.get('v'), 'one')
      assert.equal(await cache.get('v', { version: 2 }), 'two')
      assert.equal(await cache.get('v', { version: 3 }), undefined)
    }),
    on('keeps non-ASCII keys and values intact', async (cache) => {
      await cache.set('ключ-😀', { name: 'Zoë — 日本語' })
      assert.deepEqual(await cache.get('ключ-😀'), { name: 'Zoë — 日本語' })
    }),
    on('hands out copies: changing a value read back does not change the cache', async (cache) => {
      await cache.set('obj', { list: [1] })
      const first = (await cache.get('obj')) as { list: number[] }
      first.list.push(2)
      assert.deepEqual(await cache.get('obj'), { list: [1] })
    }),
    on('empties itself on clear()', async (cache) => {
      await cache.set('a', 1)
      await cache.set('b', 2)
      await cache.clear()
      assert.equal(await cache.get('a'), undefined)
      assert.equal(await cache.get('b'), undefined)
    }),
    on('lists stored keys by pattern, a page at a time', async (cache, t) => {
      if (typeof cache.scan !== 'function') t.skip('the engine has no scan(), so the key browser cannot list its keys')
      if (cache.storedPattern && cache.storedPattern('x') === undefined) t.skip("the engine's stored names do not show the keys (the file cache keeps their md5 only), so it lists keys without a pattern")
      await cache.set('user:1', 'a')
      await cache.set('user:2', 'b')
      await cache.set('order:1', 'c')
      const keys: string[] = []
      let cursor: string | null = null
      let pages = 0
      do {
        const page = await cache.scan!({ pattern: '*user:*', cursor, count: 1 })
        keys.push(...page.entries.map((e) => e.key))
        cursor = page.cursor
        assert.ok(++pages < 100, 'scan() never ended: its cursor does not advance')
      } while (cursor)
      assert.equal(keys.length, 2, `expected the two user: keys, got ${JSON.stringify(keys)}`)
      assert.ok(keys.every((k) => k.endsWith('user:1') || k.endsWith('user:2')), `unexpected keys ${JSON.stringify(keys)}`)
    }),
    on('adds over an expired entry, and expires an entry set with a negative timeout at once', async (cache) => {
      await cache.set('k', 'old', { timeout: 0 })
      assert.equal(await cache.add('k', 'new'), true, 'add() over an expired entry')
      assert.equal(await cache.get('k'), 'new')
      await cache.set('neg', 'x', { timeout: -5 })
      assert.equal(await cache.get('neg'), undefined)
    }),
    on('refuses to increment a value that is not a number', async (cache) => {
      await cache.set('text', 'ten')
      await rejectsWithCode(cache.incr('text'), ErrorCode.E_INVALID_INPUT, 'incr() of a string')
      assert.equal(await cache.get('text'), 'ten')
    }),
    on('keeps Python-typed values (tagged) as they were: tuple, bytes, big int, set, datetime, decimal', async (cache) => {
      const value = {
        tuple: { $tuple: [1, 'two'] },
        bytes: { $bytes: Buffer.from([0, 255, 10]).toString('base64') },
        big: { $int: '123456789012345678901234567890' },
        set: { $set: [3, 1, 2] },
        when: { $datetime: '2026-12-01T10:30:00+00:00' },
        price: { $decimal: '19.90' },
        nested: [{ $tuple: [] }, null, true, 1.5],
      }
      await cache.set('typed', value)
      assert.deepEqual(await cache.get('typed'), value)
    }),
    on("answers get_or_set() and incr_version() as Django's BaseCache does", async (cache, t) => {
      const base = cache as Cache & { getOrSet?: (k: string, v: unknown) => Promise<unknown>; incrVersion?: (k: string, d?: number) => Promise<number> }
      if (!base.getOrSet || !base.incrVersion) return t.skip('the engine does not extend BaseCache, which provides get_or_set() and incr_version()')
      assert.equal(await base.getOrSet('g', 'made'), 'made')
      assert.equal(await base.getOrSet('g', 'other'), 'made')
      await cache.set('moved', 'v')
      assert.equal(await base.incrVersion('moved'), 2)
      assert.equal(await cache.get('moved'), undefined)
      assert.equal(await cache.get('moved', { version: 2 }), 'v')
      await rejectsWithCode(base.incrVersion('never-set'), ErrorCode.E_NOT_FOUND, 'incr_version() of a missing key')
    }),
    on('shows a stored key in full, and deletes stored keys as they are', async (cache, t) => {
      const made = (cache as Cache & { makeKey?: (k: string) => string }).makeKey
      if (!cache.inspect || !cache.deleteStored || !made) return t.skip('the engine has no inspect() and deleteStored(), so the key browser can only read keys through get()')
      await cache.set('shown', { a: [1, 2] })
      const stored = made.call(cache, 'shown')
      const entry = await cache.inspect(stored)
      assert.ok(entry, 'inspect() found nothing for a key just set')
      assert.deepEqual(entry.value, { a: [1, 2] })
      assert.equal(entry.type, 'entry')
      assert.ok(typeof entry.raw === 'string' && entry.raw.length > 0, 'inspect() gave no raw bytes')
      assert.equal(await cache.inspect(made.call(cache, 'never-set')), undefined)
      assert.equal(await cache.deleteStored([stored, made.call(cache, 'never-set')]), 1)
      assert.equal(await cache.get('shown'), undefined)
    }),
    on('reports itself healthy', async (cache) => void assertHealthy(await cache.check())),
  ],
}
