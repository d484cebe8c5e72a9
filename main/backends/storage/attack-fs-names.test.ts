import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createBackend, testContext, type TestContext } from '../../../test/support/engine-context'
import { BackplaneError } from '../../core/errors'
import type { Storage } from './base'
import { filesystemEngine } from './engines/filesystem'
import { memoryEngine } from './engines/memory'

let ctx: TestContext
afterEach(() => ctx?.cleanup())

async function filesystem(options: Record<string, unknown> = {}): Promise<{ storage: Storage; root: string }> {
  ctx = testContext('storage')
  return { storage: await createBackend<Storage>(filesystemEngine, options, ctx), root: join(ctx.dataDir, 'files') }
}

async function failure(call: () => Promise<unknown>): Promise<unknown> {
  return call().then(() => undefined, (err: unknown) => err)
}

describe('filesystem: a name segment over 255 bytes (ENAMETOOLONG)', () => {
  // docs/storage.md, Filesystem > Errors: "a name the file system finds too long E_INVALID_NAME", and
  // errors "name the file in the storage's terms" (not the absolute path on this computer).
  const long = 'x'.repeat(300)
  for (const [method, call] of [
    ['stat', (s: Storage) => s.stat(long)],
    ['open', (s: Storage) => s.open(long)],
    ['delete', (s: Storage) => s.delete(long)],
    ['makeFolder', (s: Storage) => s.makeFolder(long)],
    ['save into it', (s: Storage) => s.save(`${long}/a.txt`, 'x')],
  ] as const) {
    it(`${method} is a typed E_INVALID_NAME in the storage's terms`, async () => {
      const { storage } = await filesystem()
      await storage.save('present.txt', 'x')
      const err = await failure(() => call(storage))
      expect(err).toBeInstanceOf(BackplaneError)
      expect(err).toMatchObject({ code: 'E_INVALID_NAME', status: 400 })
      expect((err as Error).message).not.toContain(ctx.dataDir)
    })
  }

  it('exists() answers false, as Django\'s os.path.lexists does, rather than throwing a raw OS error', async () => {
    const { storage } = await filesystem()
    await storage.save('present.txt', 'x') // the root exists, so the OS gets to look at the long segment
    expect(await storage.exists(long).catch((err: unknown) => err)).toBe(false)
  })

  it('save() of a 250-byte name that is taken fails typed, not with a raw ENAMETOOLONG', async () => {
    const { storage } = await filesystem()
    const name = 'y'.repeat(250)
    await storage.save(name, 'first')
    const err = await failure(() => storage.save(name, 'second'))
    expect(err).toBeInstanceOf(BackplaneError)
    expect((err as Error).message).not.toContain(ctx.dataDir)
  })
})

describe('filesystem: dirMode is Django\'s FILE_UPLOAD_DIRECTORY_PERMISSIONS', () => {
  // Django sets the umask to (0o777 & ~mode) around makedirs, so the folders get exactly the mode; the
  // docs promise fileMode is "set on the file itself so the umask does not narrow it" and dirMode alike.
  it('gives new folders exactly dirMode, whatever the umask', async () => {
    const { storage, root } = await filesystem({ dirMode: 0o775 })
    expect(process.umask() & 0o020).toBe(0o020) // the usual 022: it would narrow 775 to 755
    await storage.save('made/by/save.txt', 'x')
    await storage.makeFolder('made-by-makeFolder')
    expect(statSync(join(root, 'made')).mode & 0o777).toBe(0o775)
    expect(statSync(join(root, 'made/by')).mode & 0o777).toBe(0o775)
    expect(statSync(join(root, 'made-by-makeFolder')).mode & 0o777).toBe(0o775)
  })
})

describe('names: line breaks and C1 controls', () => {
  // docs/storage.md, Names: E_INVALID_NAME for "a control character (NUL, line breaks, bidi overrides)";
  // U+2028/U+2029 are Unicode's line and paragraph separators, U+0085 (NEL) a C1 control and a line break.
  for (const [label, name] of [
    ['U+2028 LINE SEPARATOR', 'a\u2028b.txt'],
    ['U+2029 PARAGRAPH SEPARATOR', 'a\u2029b.txt'],
    ['U+0085 NEXT LINE', 'a\u0085b.txt'],
    ['U+009B CSI (C1 control)', 'a\u009b31mb.txt'],
  ] as const) {
    it(`refuses ${label} in a name`, async () => {
      ctx = testContext('storage')
      const storage = await createBackend<Storage>(memoryEngine, {}, ctx)
      await expect(storage.save(name, 'x')).rejects.toMatchObject({ code: 'E_INVALID_NAME' })
    })
  }
})

describe('filesystem: a user\'s own file whose name looks like a temporary file', () => {
  // The listing hides /^\..*\.[0-9a-f]{12}\.bp-part$/; a folder copy and a merging move walk the listing,
  // so such a file is silently left behind by copy, and destroyed by a merging move.
  it('is not lost when its folder is moved onto another with overwrite (merge)', async () => {
    const { storage, root } = await filesystem()
    mkdirSync(join(root, 'src'), { recursive: true })
    writeFileSync(join(root, 'src/.backup.0123456789ab.bp-part'), 'my only copy')
    await storage.save('src/other.txt', 'x')
    await storage.save('dst/existing.txt', 'y')
    await storage.move('src', 'dst', { overwrite: true })
    const everywhere = [...readdirSync(root, { recursive: true })].map(String)
    expect(everywhere.some((p) => p.endsWith('.backup.0123456789ab.bp-part'))).toBe(true)
  })

  it('is copied with its folder, or at least shown by exists/listdir consistently', async () => {
    const { storage, root } = await filesystem()
    mkdirSync(join(root, 'src'), { recursive: true })
    writeFileSync(join(root, 'src/.backup.0123456789ab.bp-part'), 'mine')
    const exists = await storage.exists('src/.backup.0123456789ab.bp-part')
    const [, files] = await storage.listdir('src')
    expect(files.includes('.backup.0123456789ab.bp-part')).toBe(exists)
  })
})
