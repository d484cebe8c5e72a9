import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type * as FsPromises from 'node:fs/promises'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createBackend, testContext, type TestContext } from '../../../test/support/engine-context'
import type { Storage } from './base'
import { filesystemEngine } from './engines/filesystem'

/**
 * A folder inside the root swapped for a link out of it by someone else between the engine's check of a
 * name and its use. node:fs/promises is wrapped so the swap happens at exactly that moment: the first
 * call of `fn` on a path ending in `suffix` first runs `swap`. docs/storage.md: "nothing is ever read or
 * written outside the root"; the only admitted limit is an empty folder created outside.
 */
const hook = vi.hoisted(() => ({ armed: null as null | { fn: string; suffix: string; swap: () => void } }))

vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof FsPromises>()
  const wrapped = (fn: 'rm' | 'lstat' | 'stat' | 'rename' | 'link') =>
    (async (...args: unknown[]) => {
      const armed = hook.armed
      if (armed && armed.fn === fn && typeof args[0] === 'string' && args[0].endsWith(armed.suffix)) {
        hook.armed = null
        armed.swap()
      }
      return (real[fn] as (...a: unknown[]) => unknown)(...args)
    }) as never
  const mocked = { ...real, rm: wrapped('rm'), lstat: wrapped('lstat'), stat: wrapped('stat'), rename: wrapped('rename'), link: wrapped('link') }
  return { ...mocked, default: mocked }
})

let ctx: TestContext
let outside: string
afterEach(() => {
  hook.armed = null
  ctx?.cleanup()
  rmSync(outside, { recursive: true, force: true })
})

/** A root with `a/<file>` in it, and a folder outside the root holding a canary of the same name. */
async function setUp(file: string): Promise<{ storage: Storage; root: string; swapAForLink: () => void }> {
  ctx = testContext('storage')
  outside = mkdtempSync(join(tmpdir(), 'backplane-attack-outside-'))
  writeFileSync(join(outside, file), 'CANARY outside the root')
  const storage = await createBackend<Storage>(filesystemEngine, {}, ctx)
  await storage.save(`a/${file}`, 'inside')
  const root = join(ctx.dataDir, 'files')
  const swapAForLink = () => {
    renameSync(join(root, 'a'), join(root, 'a-was-here'))
    symlinkSync(outside, join(root, 'a'))
  }
  return { storage, root, swapAForLink }
}

describe('filesystem: a folder swapped for an outside link between check and use', () => {
  it('delete() never removes a file outside the root', async () => {
    const { storage, swapAForLink } = await setUp('victim.txt')
    // The engine removes through the checked folder's descriptor (/proc/self/fd/<fd>/victim.txt), so the swap is armed on that call.
    hook.armed = { fn: 'rm', suffix: '/victim.txt', swap: swapAForLink }
    await storage.delete('a/victim.txt').catch(() => {})
    expect(hook.armed).toBeNull() // the swap did happen
    expect(existsSync(join(outside, 'victim.txt'))).toBe(true)
  })

  it('move() never unlinks (or pulls in) a file outside the root', async () => {
    const { storage, root, swapAForLink } = await setUp('victim.txt')
    // renameEntry's link(source, target) comes after the source was resolved and checked.
    hook.armed = { fn: 'link', suffix: '/victim.txt', swap: swapAForLink }
    await storage.move('a/victim.txt', 'moved.txt').catch(() => {})
    expect(hook.armed).toBeNull()
    expect(existsSync(join(outside, 'victim.txt'))).toBe(true)
    if (existsSync(join(root, 'moved.txt'))) expect(readFileSync(join(root, 'moved.txt'), 'utf8')).not.toContain('CANARY')
  })

  it('stat() never reports on a file outside the root', async () => {
    const { storage, swapAForLink } = await setUp('victim.txt')
    // statEntry lstat's the entry through the checked folder's descriptor, after the name was checked.
    hook.armed = { fn: 'lstat', suffix: '/victim.txt', swap: swapAForLink }
    const entry = await storage.stat('a/victim.txt').catch(() => null)
    expect(hook.armed).toBeNull()
    // 'inside' is 6 bytes; the canary outside is 23.
    if (entry) expect(entry.size).toBe(6)
  })
})
