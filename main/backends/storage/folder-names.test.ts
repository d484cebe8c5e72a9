import { describe, expect, it } from 'vitest'
import { FolderNames, pageOfNames, type FolderStamp } from './folder-names'

const SECOND = 1_000_000_000n
const stamp = (mtimeNs: bigint, ino = 1n): FolderStamp => ({ dev: 1n, ino, mtimeNs, ctimeNs: mtimeNs })

describe('FolderNames', () => {
  it('reads a settled folder once while its times stay, and again once they change', async () => {
    const cache = new FolderNames()
    let reads = 0
    const read = async () => (reads++, ['b', 'a', 'c'])
    const now = 100n * SECOND
    expect(await cache.sorted(stamp(10n * SECOND), read, now)).toEqual(['a', 'b', 'c'])
    await cache.sorted(stamp(10n * SECOND), read, now)
    expect(reads).toBe(1)
    await cache.sorted(stamp(11n * SECOND), read, now)
    expect(reads).toBe(2)
  })

  it('never keeps a folder changed within the last second (a coarse clock could hide the next change)', async () => {
    const cache = new FolderNames()
    let reads = 0
    const read = async () => (reads++, ['a'])
    const now = 100n * SECOND
    await cache.sorted(stamp(now - SECOND / 2n), read, now)
    await cache.sorted(stamp(now - SECOND / 2n), read, now)
    expect(reads).toBe(2)
  })

  it('keeps only the folders used last', async () => {
    const cache = new FolderNames(2)
    let reads = 0
    const read = async () => (reads++, ['a'])
    const now = 100n * SECOND
    for (const ino of [1n, 2n, 3n]) await cache.sorted(stamp(SECOND, ino), read, now)
    await cache.sorted(stamp(SECOND, 3n), read, now)
    await cache.sorted(stamp(SECOND, 2n), read, now)
    expect(reads).toBe(3)
    await cache.sorted(stamp(SECOND, 1n), read, now)
    expect(reads).toBe(4)
  })
})

describe('pageOfNames', () => {
  const names = Array.from({ length: 10 }, (_, i) => `n${i}`)
  it('pages after a name, without gaps or repeats, and says when there is no more', () => {
    const seen: string[] = []
    let after: string | null = null
    do {
      const page = pageOfNames(names, after, 3)
      seen.push(...page.names)
      after = page.last
    } while (after !== null)
    expect(seen).toEqual(names)
  })
  it('starts after a name that is gone, at the next one', () => {
    expect(pageOfNames(['a', 'c', 'd'], 'b', 1)).toEqual({ names: ['c'], last: 'c' })
    expect(pageOfNames(['a', 'c'], 'z', 5)).toEqual({ names: [], last: null })
  })

  it('keeps only the names wanted, looking no further than the page needs', () => {
    const sorted = ['a1', 'b', 'c2', 'd', 'e3', 'f']
    const asked: string[] = []
    const digit = (name: string) => (asked.push(name), /\d/.test(name))
    expect(pageOfNames(sorted, null, 2, digit)).toEqual({ names: ['a1', 'c2'], last: 'c2' })
    // Stopped at the second match: a page's cost is what it shows, not the folder.
    expect(asked).toEqual(['a1', 'b', 'c2'])
    expect(pageOfNames(sorted, 'c2', 2, digit)).toEqual({ names: ['e3'], last: null })
    expect(pageOfNames(sorted, null, 5, () => false)).toEqual({ names: [], last: null })
  })
})
