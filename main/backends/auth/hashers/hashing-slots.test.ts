import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { makePassword } from '.'
import { HASHING_SLOTS, hashingSlotCount, Slots } from './hashing-slots'

/** A work the test finishes by hand, noting when it started. */
function deferred(started: number[], id: number) {
  let finish!: (ok: boolean) => void
  const work = () => {
    started.push(id)
    return new Promise<number>((resolve, reject) => (finish = (ok) => (ok ? resolve(id) : reject(new Error(`work ${id} failed`)))))
  }
  return { work, finish: (ok = true) => finish(ok) }
}
const tick = () => new Promise((r) => setImmediate(r))

describe('hashing slots', () => {
  it('leaves two of libuv\'s threads to the rest of the process, and at least one slot to hashing', () => {
    expect(hashingSlotCount({})).toBe(2)
    expect(hashingSlotCount({ UV_THREADPOOL_SIZE: '8' })).toBe(6)
    expect(hashingSlotCount({ UV_THREADPOOL_SIZE: '3' })).toBe(1)
    expect(hashingSlotCount({ UV_THREADPOOL_SIZE: '1' })).toBe(1)
    expect(hashingSlotCount({ UV_THREADPOOL_SIZE: 'lots' })).toBe(2)
    expect(HASHING_SLOTS.size).toBe(hashingSlotCount())
  })

  it('runs at most `size` works at once and starts the rest in the order they asked, a failure freeing its slot', async () => {
    const slots = new Slots(2)
    const started: number[] = []
    const works = [1, 2, 3, 4, 5].map((id) => deferred(started, id))
    const results = works.map((w) => slots.run(w.work).catch((err: Error) => err.message))
    await tick()
    expect([started, slots.active, slots.queued]).toEqual([[1, 2], 2, 3])
    works[1]!.finish(false)
    await tick()
    expect(started).toEqual([1, 2, 3])
    works[0]!.finish()
    await tick()
    expect([started, slots.active]).toEqual([[1, 2, 3, 4], 2])
    for (const w of works.slice(2)) {
      w.finish()
      await tick()
    }
    expect(started).toEqual([1, 2, 3, 4, 5])
    expect(await Promise.all(results)).toEqual([1, 'work 2 failed', 3, 4, 5])
    expect([slots.active, slots.queued]).toEqual([0, 0])
  })

  it('keeps a small file read prompt while 16 logins hash with Django\'s default parameters', async () => {
    const hashes = Promise.all(Array.from({ length: 16 }, (_, i) => makePassword(`password ${i}`)))
    await new Promise((r) => setTimeout(r, 50))
    // The hashers go through the shared slots: some hash, the rest wait their turn.
    expect([HASHING_SLOTS.active, HASHING_SLOTS.queued]).toEqual([HASHING_SLOTS.size, 16 - HASHING_SLOTS.size])
    const started = performance.now()
    await readFile(import.meta.filename)
    const readMs = performance.now() - started
    expect(new Set(await hashes).size).toBe(16)
    // Without the slots the read queued behind every hash (seconds); a loaded machine still answers well within this.
    expect(readMs).toBeLessThan(1000)
  }, 120_000)
})
