import { afterEach, describe, expect, it } from 'vitest'
import { createBackend, testContext, type TestContext } from '../../../test/support/engine-context'
import type { Storage } from './base'
import { memoryEngine } from './engines/memory'

/**
 * listdir() (and a folder's copy, a zip, a recursive summary: everything built on BaseStorage.walkFolder)
 * asks for 500-entry pages, and the memory engine answers each page by scanning every node of the whole
 * storage, sorting the folder's entries and finding the cursor by a linear search: the walk is
 * quadratic, with the event loop held all along (100,000 entries: 56 s). The bound is about 10x what a
 * linear walk takes. (The filesystem engine had the same cost until its listing cached the sorted names.)
 */
let ctx: TestContext
afterEach(() => ctx?.cleanup())

describe('walking a big folder is not quadratic', () => {
  it('memory listdir of a 50,000-entry folder finishes within 5 s', async () => {
    ctx = testContext('storage')
    const storage = await createBackend<Storage>(memoryEngine, {}, ctx)
    for (let i = 0; i < 50_000; i++) await storage.put(`big/f${i}.txt`, '')
    const started = performance.now()
    const [, files] = await storage.listdir('big')
    expect(files).toHaveLength(50_000)
    expect(performance.now() - started).toBeLessThan(5_000)
  }, 120_000)
})
