import { describe, expect, it } from 'vitest'
import type { Storage, StorageEntry, StorageListing } from '../../backends/storage'
import { MAX_WALK_DEPTH, summarize, topNames } from './tree-walk'
import { zipEntryName } from './zip-stream'

/** A storage whose folders list what `children` says (names relative to the folder). */
function listing(children: (dir: string) => { name: string; type: 'file' | 'dir' }[]): Storage {
  return {
    stat: async (name: string) => ({ name, type: 'dir' }) as StorageEntry,
    list: async (dir: string): Promise<StorageListing> => ({ entries: children(dir).map((c) => ({ ...c, name: `${dir}/${c.name}`, size: 1 }) as StorageEntry), cursor: null }),
  } as unknown as Storage
}

describe('a tree walk', () => {
  it('stops with E_TOO_LARGE where an engine lists a folder inside itself without end', async () => {
    let deepest = 0
    const endless = listing((dir) => {
      deepest = Math.max(deepest, dir.split('/').length)
      return [{ name: 'again', type: 'dir' }]
    })
    await expect(summarize(endless, ['top'], 1_000_000)).rejects.toMatchObject({ code: 'E_TOO_LARGE' })
    expect(deepest).toBe(MAX_WALK_DEPTH)
  })

  it('skips and counts names no Backplane name can address, and walks the rest', async () => {
    const mixed = listing((dir) => (dir === 'top' ? [{ name: 'ok.txt', type: 'file' }, { name: 'C:\\evil.txt', type: 'file' }, { name: 'two\nlines', type: 'file' }] : []))
    expect(await summarize(mixed, ['top'], 100)).toEqual({ files: 1, folders: 1, bytes: 1, truncated: false, skipped: 2 })
  })

  it('drops names inside another named folder, for 10,000 names at once', () => {
    expect(topNames(['a/b', 'a', 'c/d', 'c/d/e', 'a/b/c', 'ab'])).toEqual(['a', 'c/d', 'ab'])
    const many = Array.from({ length: 10_000 }, (_, i) => `bulk/f${i}/x.txt`)
    expect(topNames([...many, 'bulk'])).toEqual(['bulk'])
  })
})

describe('a zip entry name', () => {
  it('never starts like a drive letter, and is otherwise the name itself', () => {
    expect(['Q:notes.txt', 'q:/x', 'QQ:x', 'a/Q:x'].map(zipEntryName)).toEqual(['Q_notes.txt', 'q_/x', 'QQ:x', 'a/Q:x'])
  })
})
