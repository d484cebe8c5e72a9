import { describe, expect, it } from 'vitest'
import { storageContract } from '../../../../test/contracts/storage.contract'
import { createBackend, testContext } from '../../../../test/support/engine-context'
import { streamToString, type Storage } from '../base'
import { memoryEngine } from './memory'

storageContract('memory', () => createBackend<Storage>(memoryEngine, {}, testContext('storage')))

const memory = () => createBackend<Storage>(memoryEngine, {}, testContext('storage'))

describe('memory: the folder index', () => {
  it('keeps pages in order while files come and go between them', async () => {
    const storage = await memory()
    for (const n of ['b', 'd', 'f', 'h']) await storage.put(`dir/${n}`, n)
    const first = await storage.list('dir', { limit: 2 })
    expect(first.entries.map((e) => e.name)).toEqual(['dir/b', 'dir/d'])
    // Added before and after the cursor, and one removed after it, once the folder was sorted.
    await storage.put('dir/a', 'a')
    await storage.put('dir/e', 'e')
    await storage.delete('dir/f')
    const second = await storage.list('dir', { cursor: first.cursor, limit: 10 })
    expect(second).toEqual({ entries: [expect.objectContaining({ name: 'dir/e' }), expect.objectContaining({ name: 'dir/h' })], cursor: null })
    expect(await storage.listdir('dir')).toEqual([[], ['a', 'b', 'd', 'e', 'h']])
  })

  it('a folder deleted takes everything under it and nothing beside it', async () => {
    const storage = await memory()
    await storage.put('a/b/c/d.txt', 'deep')
    await storage.put('ab.txt', 'beside')
    await storage.put('a-b/x.txt', 'beside too')
    await storage.delete('a')
    expect(await storage.listdir('')).toEqual([['a-b'], ['ab.txt']])
    expect(await storage.exists('a/b/c/d.txt')).toBe(false)
    // The names are free again, as files or folders.
    await storage.put('a', 'now a file')
    expect(await streamToString(await storage.open('a'))).toBe('now a file')
  })

  it('open() of a range gives copies, and a range past the end reads nothing', async () => {
    const storage = await memory()
    await storage.put('digits', '0123456789')
    for await (const chunk of await storage.open('digits', { range: { start: 2, end: 4 } })) {
      expect(Buffer.from(chunk as Buffer).toString()).toBe('234')
      ;(chunk as Buffer).fill(0x41)
    }
    expect(await streamToString(await storage.open('digits'))).toBe('0123456789')
    expect(await streamToString(await storage.open('digits', { range: { start: 10 } }))).toBe('')
  })
})
