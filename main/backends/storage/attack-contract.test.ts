import type { Readable } from 'node:stream'
import { afterAll, describe, expect, it } from 'vitest'
import { createBackend, testContext, type TestContext } from '../../../test/support/engine-context'
import { storageSuite } from '../contracts'
import { runContractSuite } from '../contracts/harness'
import { pageEntries, type BaseStorage, type ByteRange, type OpenOptions, type StorageEntry, type StorageListing } from './base'
import { memoryEngine } from './engines/memory'

/**
 * Does the kind's contract suite catch an engine that breaks what docs/storage.md and
 * docs/custom-engines.md promise? Each engine below is the memory engine with one promise broken; the
 * suite must fail at least one case for it (it is what `backplane test-engine` tells a custom engine's
 * author). The memory engine itself passes the suite (memory.test.ts), so any failure is the break's.
 */
const contexts: TestContext[] = []
afterAll(() => contexts.forEach((c) => c.cleanup()))

async function memoryWith(breakIt: (storage: BaseStorage) => void): Promise<BaseStorage> {
  const ctx = testContext('storage', { engine: 'broken' })
  contexts.push(ctx)
  const storage = await createBackend<BaseStorage>(memoryEngine, {}, ctx)
  breakIt(storage)
  return storage
}

async function failedCases(breakIt: (storage: BaseStorage) => void): Promise<string[]> {
  const results = await runContractSuite(storageSuite, { make: () => memoryWith(breakIt) }, { timeoutMs: 10_000 })
  expect(results.filter((r) => r.outcome === 'passed').length).toBeGreaterThan(15) // the suite did run
  return results.filter((r) => r.outcome === 'failed').map((r) => r.name)
}

const localeOrder = (storage: BaseStorage) => {
  const original = storage.listFolder.bind(storage)
  storage.listFolder = async (dir, { cursor, limit }): Promise<StorageListing> => {
    const all: StorageEntry[] = (await original(dir, { cursor: null, limit: 1_000_000 })).entries
    return pageEntries(all.sort((a, b) => a.name.localeCompare(b.name, 'en', { sensitivity: 'base' })), cursor, limit)
  }
}

describe('the storage contract suite catches an engine that', () => {
  it('sorts its listing pages in locale order rather than code unit order (pages then skip and repeat entries)', async () => {
    // docs/storage.md: list() is "sorted by name (UTF-16 code unit order)"; the cursor is the last name
    // shown, so a page cut in another order loses entries: "B.txt" sorts after "a.txt" here.
    // The break is real: paging by one through a.txt, B.txt, c.txt loses an entry.
    const broken = await memoryWith(localeOrder)
    for (const n of ['a.txt', 'B.txt', 'c.txt']) await broken.put(n, 'x')
    const seen: string[] = []
    let cursor: string | null = null
    do {
      const page: StorageListing = await broken.list('', { cursor, limit: 1 })
      seen.push(...page.entries.map((e) => e.name))
      cursor = page.cursor
    } while (cursor && seen.length < 10)
    expect(seen.sort()).not.toEqual(['B.txt', 'a.txt', 'c.txt'])
    expect(await failedCases(localeOrder)).not.toEqual([])
  })

  it('reads a whole file when a range starts past its end', async () => {
    // docs/storage.md: "A start past the end reads nothing."
    const failed = await failedCases((storage) => {
      const original = storage.readFile.bind(storage)
      storage.readFile = async (name: string, options: OpenOptions): Promise<Readable> => {
        const size = (await storage.statEntry(name))?.size ?? 0
        const range: ByteRange | undefined = options.range && options.range.start >= size ? undefined : options.range
        return original(name, { ...options, ...(range ? { range } : { range: undefined }) })
      }
    })
    expect(failed).not.toEqual([])
  })
})
