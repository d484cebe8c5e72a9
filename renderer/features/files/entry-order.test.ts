import { describe, expect, it } from 'vitest'
import { orderEntries } from './entry-order'
import type { StorageEntry } from './types'

const file = (name: string, size: number, modified: string): StorageEntry => ({ name, type: 'file', size, modified })
const dir = (name: string): StorageEntry => ({ name, type: 'dir' })

const entries = [file('b/report10.pdf', 30, '2026-01-03T00:00:00Z'), dir('b/zeta'), file('b/Report2.pdf', 10, '2026-01-01T00:00:00Z'), file('b/notes.txt', 20, '2026-01-02T00:00:00Z'), dir('b/alpha')]
const names = (list: StorageEntry[]) => list.map((entry) => entry.name.slice(2))

describe('the order of a folder', () => {
  it('puts folders first, then names in natural order (2 before 10), ignoring case', () => {
    expect(names(orderEntries(entries, { key: 'name', descending: false }, ''))).toEqual(['alpha', 'zeta', 'notes.txt', 'Report2.pdf', 'report10.pdf'])
  })

  it('sorts files by size, largest first, with the folders still on top', () => {
    expect(names(orderEntries(entries, { key: 'size', descending: true }, ''))).toEqual(['alpha', 'zeta', 'report10.pdf', 'notes.txt', 'Report2.pdf'])
  })

  it('sorts by modification time', () => {
    expect(names(orderEntries(entries, { key: 'modified', descending: false }, ''))).toEqual(['alpha', 'zeta', 'Report2.pdf', 'notes.txt', 'report10.pdf'])
  })

  it('keeps the names that contain the filter, matching the base name only and ignoring case', () => {
    expect(names(orderEntries(entries, { key: 'name', descending: false }, ' REPORT '))).toEqual(['Report2.pdf', 'report10.pdf'])
    // "b" is the folder every entry is in, not part of their names.
    expect(orderEntries(entries, { key: 'name', descending: false }, 'b/')).toEqual([])
  })

  it('leaves the list it was given alone', () => {
    const copy = [...entries]
    orderEntries(entries, { key: 'size', descending: true }, '')
    expect(entries).toEqual(copy)
  })
})
