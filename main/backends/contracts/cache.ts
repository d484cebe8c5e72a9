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
    on('reports itself healthy', async (cache) => void assertHealthy(await cache.check())),
  ],
}
