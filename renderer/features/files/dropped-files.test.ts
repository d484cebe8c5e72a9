import { describe, expect, it } from 'vitest'
import { walkDropped, type DroppedEntry } from './dropped-files'

const fileEntry = (name: string): DroppedEntry => ({ isFile: true, isDirectory: false, name, file: (success) => success(new File([name], name)) })

/** A folder whose reader answers in batches of `batch`, as Chromium does with 100. */
function folderEntry(name: string, children: DroppedEntry[], batch = 2): DroppedEntry {
  return {
    isFile: false,
    isDirectory: true,
    name,
    createReader: () => {
      let at = 0
      return {
        readEntries: (success) => {
          const next = children.slice(at, at + batch)
          at += batch
          setTimeout(() => success(next), 0)
        },
      }
    },
  }
}

describe('walking a dropped folder', () => {
  it('finds every file below it with its relative path, across reader batches', async () => {
    const photos = folderEntry('photos', [fileEntry('a.jpg'), fileEntry('b.jpg'), fileEntry('c.jpg'), folderEntry('2026', [fileEntry('d.jpg')]), folderEntry('empty', [])])
    const tree = await walkDropped([photos, fileEntry('notes.txt')])
    expect(tree.files.map((f) => f.path)).toEqual(['photos/a.jpg', 'photos/b.jpg', 'photos/c.jpg', 'photos/2026/d.jpg', 'notes.txt'])
    expect(await tree.files[3]?.file.text()).toBe('d.jpg')
    expect(tree.emptyFolders).toEqual(['photos/empty'])
  })
})
