import { describe, expect, it } from 'vitest'
import { keyPrefixOf, sharedPrefix, type CacheEntry } from './cache-entry'
import { keyTreeRows, parentRowIndex } from './key-tree-model'

const entry = (userKey: string): CacheEntry => ({ key: `app:1:${userKey}`, userKey, version: 1, ttl: null, size: 1 })

describe('keyTreeRows', () => {
  const entries = ['session:b', 'session:a', 'user:1:name', 'plain'].map(entry)

  it('shows closed folders with their key counts, then the keys at the top', () => {
    expect(keyTreeRows(entries, new Set()).map((r) => [r.kind, r.name, r.kind === 'folder' ? r.count : r.depth])).toEqual([
      ['folder', 'session', 2],
      ['folder', 'user', 1],
      ['key', 'plain', 0],
    ])
  })

  it('opens folders to their sorted keys, one level deeper', () => {
    const rows = keyTreeRows(entries, new Set(['session:', 'user:', 'user:1:']))
    expect(rows.map((r) => `${'  '.repeat(r.depth)}${r.name}`)).toEqual(['session', '  a', '  b', 'user', '  1', '    name', 'plain'])
    expect(parentRowIndex(rows, 5)).toBe(4)
    expect(parentRowIndex(rows, 0)).toBe(-1)
  })
})

describe('keyPrefixOf', () => {
  it('finds the prefix in prefix:version:key, and none in keys of another shape', () => {
    expect(keyPrefixOf(entry('a:b'))).toBe('app')
    expect(keyPrefixOf({ key: 'other', ttl: null, size: 1 })).toBeUndefined()
    expect(sharedPrefix([entry('a'), entry('b')])).toBe('app')
    expect(sharedPrefix([entry('a'), { key: 'x:1:b', userKey: 'b', version: 1, ttl: null, size: 1 }])).toBeUndefined()
  })
})
