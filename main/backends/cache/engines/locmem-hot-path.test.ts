import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { createBackend, testContext } from '../../../../test/support/engine-context'
import type { Cache } from '../base'
import { locmemEngine } from './locmem'

// What locmem's fast get (primitives kept parsed, stored keys remembered, sizes kept in the entry) must not change.
describe('locmem get, fast and the same', () => {
  it('answers a primitive as a JSON round trip would, and an object as a fresh copy each time', async () => {
    const cache = await createBackend<Cache>(locmemEngine, { location: randomUUID() }, testContext('cache'))
    await cache.set('nan', NaN)
    await cache.set('zero', -0)
    await cache.set('text', 'é\ud800')
    await cache.set('date', new Date(0))
    expect(await cache.get('nan')).toBeNull()
    expect(Object.is(await cache.get('zero'), 0)).toBe(true)
    expect(await cache.get('text')).toBe('é\ud800')
    expect(await cache.get('date')).toBe('1970-01-01T00:00:00.000Z')
    await cache.set('obj', { a: [1] })
    const first = (await cache.get('obj')) as { a: number[] }
    first.a.push(2)
    expect(await cache.get('obj')).toEqual({ a: [1] })
    expect(await cache.get('obj')).not.toBe(await cache.get('obj'))
  })

  it('warns about a bad key on every use, not only the first', async () => {
    const ctx = testContext('cache')
    const cache = await createBackend<Cache>(locmemEngine, { location: randomUUID() }, ctx)
    await cache.set('has space', 1)
    await cache.get('has space')
    await cache.get('😀'.repeat(200)) // 400 UTF-16 units but 200 characters, as Python counts: no warning
    expect(ctx.logs.filter((l) => l.level === 'warn')).toHaveLength(2)
  })

  it('keeps its byte count right across gets, overwrites and deletes', async () => {
    const cache = await createBackend<Cache>(locmemEngine, { location: randomUUID() }, testContext('cache'))
    await cache.set('k', 'x'.repeat(100))
    const one = (await cache.stats!()).memoryBytes
    for (let i = 0; i < 5; i++) await cache.get('k')
    await cache.set('k', 'y'.repeat(100))
    expect((await cache.stats!()).memoryBytes).toBe(one)
    await cache.delete('k')
    expect((await cache.stats!()).memoryBytes).toBe(0)
  })

  it('reads a key at another version from its own stored key', async () => {
    const cache = await createBackend<Cache>(locmemEngine, { location: randomUUID(), keyPrefix: 'p' }, testContext('cache'))
    await cache.set('k', 1)
    await cache.set('k', 2, { version: 2 })
    expect(await cache.get('k')).toBe(1)
    expect(await cache.get('k', { version: 2 })).toBe(2)
    expect((await cache.scan!({})).entries.map((e) => e.key).sort()).toEqual(['p:1:k', 'p:2:k'])
  })
})
