import { readdirSync, symlinkSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createBackend, testContext, type TestContext } from '../../../test/support/engine-context'
import { BackplaneError } from '../../core/errors'
import { streamToString, type Storage } from './base'
import { filesystemEngine } from './engines/filesystem'
import { memoryEngine } from './engines/memory'

/**
 * A link inside the root that stays inside it is followed (docs/storage.md), so "alias" → "src" makes
 * "alias/sub" a place inside "src", though the names do not say so. BaseStorage.pairOf refuses a target
 * inside the source by comparing names only.
 */
let ctx: TestContext
afterEach(() => ctx?.cleanup())

async function withAliasOfSrc(): Promise<{ storage: Storage; root: string }> {
  ctx = testContext('storage')
  const storage = await createBackend<Storage>(filesystemEngine, {}, ctx)
  await storage.save('src/a.txt', 'a')
  const root = join(ctx.dataDir, 'files')
  symlinkSync(join(root, 'src'), join(root, 'alias'))
  return { storage, root }
}

describe('filesystem: copy or move of a folder into itself through a link inside the root', () => {
  it('copy() is refused as a target inside the source (E_INVALID_INPUT), not copied into itself without end', async () => {
    const { storage, root } = await withAliasOfSrc()
    // Without the signal the copy nests src/sub/sub/sub/… for minutes (1,400 entries after 60 s).
    const controller = new AbortController()
    const timer = setTimeout(() => controller.abort(), 5_000)
    const err = await storage.copy('src', 'alias/sub', { signal: controller.signal }).then(() => undefined, (e: unknown) => e)
    clearTimeout(timer)
    expect(err).toMatchObject({ code: 'E_INVALID_INPUT' })
    expect(readdirSync(join(root, 'src'), { recursive: true }).length).toBeLessThan(5)
  }, 20_000)

  it('move() is a typed 4xx, not E_INTERNAL (the OS says EINVAL)', async () => {
    const { storage } = await withAliasOfSrc()
    const err = await storage.move('src', 'alias/moved').then(() => undefined, (e: unknown) => e)
    expect(err).toBeInstanceOf(BackplaneError)
    expect((err as BackplaneError).status).toBeLessThan(500)
  })
})

describe('memory: what open() gives is a copy', () => {
  it('a reader that changes the bytes it was given does not change the stored file', async () => {
    ctx = testContext('storage')
    const storage = await createBackend<Storage>(memoryEngine, {}, ctx)
    await storage.save('f.bin', Buffer.from('hello'))
    for await (const chunk of await storage.open('f.bin')) (chunk as Buffer).fill(0x41)
    expect(await streamToString(await storage.open('f.bin'))).toBe('hello')
  })
})
