import { chmodSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { createBackend, testContext, type TestContext } from '../../../test/support/engine-context'
import { BackplaneError } from '../../core/errors'
import type { Storage } from './base'
import { filesystemEngine } from './engines/filesystem'

/** Hostile tests of the filesystem engine's copy (copyIntoTemp: COPYFILE_EXCL | COPYFILE_FICLONE into a fresh temp, then checked and committed). */
let ctx: TestContext
afterEach(() => ctx?.cleanup())
let outside: string | undefined
afterAll(() => {
  if (outside) rmSync(outside, { recursive: true, force: true })
})

async function filesystem(options: Record<string, unknown> = {}): Promise<{ storage: Storage; root: string }> {
  ctx = testContext('storage')
  const storage = await createBackend<Storage>(filesystemEngine, options, ctx)
  await storage.makeFolder('d')
  return { storage, root: join(ctx.dataDir, 'files') }
}

const temps = (dir: string) => readdirSync(dir, { recursive: true }).map(String).filter((n) => n.includes('.~bp-part-'))
const failure = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e)

describe('filesystem copy: the new file\'s permissions', () => {
  // What a user sees: an executable someone left in the storage with the set-user-ID bit (a shared
  // folder, an upload via SFTP/rsync) is copied with Copy to… in Backplane; the copy, now owned by the
  // user Backplane runs as (root in a container), keeps the set-user-ID bit: a set-UID binary of the
  // server's user that anyone who can write the storage chose. cp(1) without -p drops these bits; a
  // put() gives 0666 & ~umask. The cause: libuv's copyfile fchmods the new file to the source's full
  // st_mode (setuid/setgid/sticky included), and copyIntoTemp (filesystem.ts, copyIntoTemp) only
  // chmods when fileMode is configured.
  it('a copy of a set-UID/set-GID file (fileMode unset) does not keep those bits', async () => {
    const { storage, root } = await filesystem()
    writeFileSync(join(root, 'd', 'tool'), '#!/bin/sh\necho hi\n')
    chmodSync(join(root, 'd', 'tool'), 0o6755)
    await storage.copy('d/tool', 'd/tool-copy')
    const mode = statSync(join(root, 'd', 'tool-copy')).mode & 0o7777
    expect(mode.toString(8)).toBe((mode & 0o777).toString(8))
  })

  // Guard kept (passes): fileMode set wins over the source's mode, on the copy too.
  it('fileMode set: the copy gets exactly fileMode, whatever the source has', async () => {
    const { storage, root } = await filesystem({ fileMode: 0o640 })
    writeFileSync(join(root, 'd', 'ro.txt'), 'x')
    chmodSync(join(root, 'd', 'ro.txt'), 0o6711)
    await storage.copy('d/ro.txt', 'd/ro-copy.txt')
    expect((statSync(join(root, 'd', 'ro-copy.txt')).mode & 0o7777).toString(8)).toBe('640')
  })
})

// Guards kept (they pass): nothing else runs the new copy path against a planted link or a folder of
// the target's name and checks that no temporary file is left behind.
describe('filesystem copy: links planted at the target, failures leave nothing behind', () => {
  it('a copy onto a planted link out of the root never writes through it, with or without overwrite', async () => {
    const { storage, root } = await filesystem()
    outside = mkdtempSync(join(tmpdir(), 'bp-copy-out-'))
    writeFileSync(join(outside, 'victim.txt'), 'victim')
    await storage.put('d/src.txt', 'new bytes')
    symlinkSync(join(outside, 'victim.txt'), join(root, 'd', 'dst.txt'))
    // Refused (the link leads out) or done by replacing the link itself: never written through it.
    for (const overwrite of [false, true]) {
      const err = await failure(storage.copy('d/src.txt', 'd/dst.txt', { overwrite }))
      if (err !== undefined) expect(err).toBeInstanceOf(BackplaneError)
      expect(readFileSync(join(outside, 'victim.txt'), 'utf8')).toBe('victim')
    }
    expect(temps(root)).toEqual([])
  })

  it('a copy onto a folder of that name (overwrite) fails as a 4xx, the folder and its files intact, no temp left', async () => {
    const { storage, root } = await filesystem()
    await storage.put('d/src.txt', 'x')
    await storage.put('d/taken/inner.txt', 'keep')
    const err = await failure(storage.copy('d/src.txt', 'd/taken', { overwrite: true }))
    if (err !== undefined) {
      expect(err).toBeInstanceOf(BackplaneError)
      expect((err as BackplaneError).code).not.toBe('E_INTERNAL')
    }
    expect(readFileSync(join(root, 'd', 'taken', 'inner.txt'), 'utf8')).toBe('keep')
    expect(temps(root)).toEqual([])
  })

  it('a copy whose target folder is a link out of the root is refused, nothing written outside, no temp left', async () => {
    const { storage, root } = await filesystem()
    outside = mkdtempSync(join(tmpdir(), 'bp-copy-out-'))
    await storage.put('d/src.txt', 'x')
    symlinkSync(outside, join(root, 'd', 'out'))
    expect(await failure(storage.copy('d/src.txt', 'd/out/src.txt'))).toBeInstanceOf(BackplaneError)
    expect(readdirSync(outside)).toEqual([])
    expect(temps(root)).toEqual([])
  })

  it('an aborted copy leaves no temp and no target', async () => {
    const { storage, root } = await filesystem()
    mkdirSync(join(root, 'd', 'to'))
    writeFileSync(join(root, 'd', 'big.bin'), Buffer.alloc(8 << 20, 7))
    const controller = new AbortController()
    controller.abort()
    expect(await failure(storage.copy('d/big.bin', 'd/to/big.bin', { signal: controller.signal }))).toBeDefined()
    expect(readdirSync(join(root, 'd', 'to'))).toEqual([])
  })

  it('ten copies racing onto one name without overwrite: one wins whole, the others E_EXISTS, no temp left', async () => {
    const { storage, root } = await filesystem()
    for (let i = 0; i < 10; i++) writeFileSync(join(root, 'd', `s${i}.bin`), Buffer.alloc(1 << 20, i))
    const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => storage.copy(`d/s${i}.bin`, 'd/t.bin')))
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'E_EXISTS' })
    const bytes = readFileSync(join(root, 'd', 't.bin'))
    expect(bytes.length).toBe(1 << 20)
    expect(new Set(bytes).size).toBe(1)
    expect(temps(root)).toEqual([])
  })
})
