import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Cache } from '../../main/backends/cache/base'

/**
 * What every cache engine must do, after Django's cache test suite (tests/cache/tests.py), run
 * against each engine as Django runs it against each backend.
 * @param make builds a fresh, empty cache; options are the alias's raw options (timeout, keyPrefix…).
 */
export function cacheContract(name: string, make: (options?: Record<string, unknown>) => Promise<Cache>, teardown?: () => Promise<void>): void {
  describe(`${name} implements the cache contract`, () => {
    let cache: Cache
    beforeEach(async () => {
      cache = await make()
      await cache.clear()
    })
    afterEach(async () => {
      await cache.close()
      await teardown?.()
    })

    it('returns what was set, and nothing for a key never set', async () => {
      await cache.set('greeting', { text: 'hello', n: [1, 2] })
      expect(await cache.get('greeting')).toEqual({ text: 'hello', n: [1, 2] })
      expect(await cache.get('never-set')).toBeUndefined()
    })

    it('adds only when the key is absent', async () => {
      expect(await cache.add('k', 'first')).toBe(true)
      expect(await cache.add('k', 'second')).toBe(false)
      expect(await cache.get('k')).toBe('first')
    })

    it('deletes, saying whether the key was there', async () => {
      await cache.set('k', 1)
      expect(await cache.delete('k')).toBe(true)
      expect(await cache.delete('k')).toBe(false)
      expect(await cache.hasKey('k')).toBe(false)
    })

    it('reads, writes and deletes many keys at once', async () => {
      expect(await cache.setMany(new Map<string, unknown>([['a', 1], ['b', 'two'], ['c', null]]))).toEqual([])
      const found = await cache.getMany(['a', 'b', 'c', 'missing'])
      expect(Object.fromEntries(found)).toEqual({ a: 1, b: 'two', c: null })
      await cache.deleteMany(['a', 'b'])
      expect([...(await cache.getMany(['a', 'b', 'c'])).keys()]).toEqual(['c'])
    })

    it('increments and decrements numbers, and refuses keys that do not exist', async () => {
      await cache.set('n', 10)
      expect(await cache.incr('n')).toBe(11)
      expect(await cache.incr('n', 5)).toBe(16)
      expect(await cache.decr('n', 6)).toBe(10)
      expect(await cache.get('n')).toBe(10)
      await expect(cache.incr('no-such-key')).rejects.toMatchObject({ code: 'E_NOT_FOUND' })
    })

    it('expires a key set with timeout 0 at once, and keeps one with timeout null', async () => {
      await cache.set('gone', 'x', { timeout: 0 })
      await cache.set('forever', 'y', { timeout: null })
      expect(await cache.get('gone')).toBeUndefined()
      expect(await cache.get('forever')).toBe('y')
    })

    it('expires a key after its timeout, and touch() gives it a new one', async () => {
      await cache.set('short', 'x', { timeout: 1 })
      await cache.set('touched', 'y', { timeout: 1 })
      expect(await cache.touch('touched', { timeout: 10 })).toBe(true)
      expect(await cache.touch('never-set', { timeout: 10 })).toBe(false)
      await new Promise((r) => setTimeout(r, 1100))
      expect(await cache.get('short')).toBeUndefined()
      expect(await cache.get('touched')).toBe('y')
    })

    it('keeps versions apart', async () => {
      await cache.set('v', 'one', { version: 1 })
      await cache.set('v', 'two', { version: 2 })
      expect(await cache.get('v')).toBe('one')
      expect(await cache.get('v', { version: 2 })).toBe('two')
      expect(await cache.get('v', { version: 3 })).toBeUndefined()
    })

    it('keeps non-ASCII keys and values intact', async () => {
      await cache.set('ключ-😀', { name: 'Zoë — 日本語' })
      expect(await cache.get('ключ-😀')).toEqual({ name: 'Zoë — 日本語' })
    })

    it('hands out copies: changing a value read back does not change the cache', async () => {
      await cache.set('obj', { list: [1] })
      const first = (await cache.get('obj')) as { list: number[] }
      first.list.push(2)
      expect(await cache.get('obj')).toEqual({ list: [1] })
    })

    it('empties itself on clear()', async () => {
      await cache.set('a', 1)
      await cache.set('b', 2)
      await cache.clear()
      expect(await cache.get('a')).toBeUndefined()
      expect(await cache.get('b')).toBeUndefined()
    })

    it('lists stored keys by pattern when it can scan', async () => {
      if (!cache.scan) return
      await cache.set('user:1', 'a')
      await cache.set('user:2', 'b')
      await cache.set('order:1', 'c')
      const keys: string[] = []
      let cursor: string | null = null
      do {
        const page = await cache.scan({ pattern: '*user:*', cursor, count: 1 })
        keys.push(...page.entries.map((e) => e.key))
        cursor = page.cursor
      } while (cursor)
      expect(keys).toHaveLength(2)
      expect(keys.every((k) => k.endsWith('user:1') || k.endsWith('user:2'))).toBe(true)
    })

    it('reports itself healthy', async () => {
      const report = await cache.check()
      expect(report.state, JSON.stringify(report.error)).toBe('ok')
      expect(report.steps.map((s) => s.ok)).not.toContain(false)
    })
  })
}
