import { execFileSync } from 'node:child_process'
import { once } from 'node:events'
import { createServer } from 'node:net'
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { open as openFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, dirname, join } from 'node:path'
import { Readable } from 'node:stream'
import { afterAll, describe, expect, it } from 'vitest'
import { storageContract } from '../../../../test/contracts/storage.contract'
import { createBackend, testContext, trustModule } from '../../../../test/support/engine-context'
import { appInstallDir } from '../../../core/protected-paths'
import { toBackplaneError } from '../../../core/errors'
import { streamToString, type Storage } from '../base'
import { isTempName, osError, tempPathFor } from '../local-files'
import { LocalRoot } from '../local-root'
import { filesystemEngine } from './filesystem'

const contexts: ReturnType<typeof testContext>[] = []
const fresh = () => {
  const ctx = testContext('storage')
  contexts.push(ctx)
  return ctx
}
afterAll(() => contexts.forEach((c) => c.cleanup()))

storageContract('filesystem', () => createBackend<Storage>(filesystemEngine, {}, fresh()))

describe('filesystem storage', () => {
  it('keeps files under its location in the data directory', async () => {
    const ctx = fresh()
    const storage = await createBackend<Storage>(filesystemEngine, { location: 'files/media' }, ctx)
    await storage.save('a/b.txt', 'x')
    expect(statSync(join(ctx.dataDir, 'files/media/a/b.txt')).isFile()).toBe(true)
  })

  it('applies the configured file mode', async () => {
    const ctx = fresh()
    const storage = await createBackend<Storage>(filesystemEngine, { fileMode: 0o640 }, ctx)
    await storage.save('secret.txt', 'x')
    expect(statSync(join(ctx.dataDir, 'files/secret.txt')).mode & 0o777).toBe(0o640)
  })

  it('gives each of many concurrent saves of one name its own file', async () => {
    const storage = await createBackend<Storage>(filesystemEngine, {}, fresh())
    const names = await Promise.all(Array.from({ length: 20 }, (_, i) => storage.save('same.txt', String(i))))
    expect(new Set(names).size).toBe(20)
  })

  it('removes a folder only while it is empty: an upload in progress (its hidden temporary file) keeps it, a link is not followed', async () => {
    const ctx = fresh()
    const storage = await createBackend<Storage>(filesystemEngine, { location: 'files' }, ctx)
    const root = join(ctx.dataDir, 'files')
    mkdirSync(join(root, 'busy'), { recursive: true })
    const temp = tempPathFor(join(root, 'busy', 'upload.bin'))
    writeFileSync(temp, 'half an upload')
    // The listing shows nothing in it (temporary files are never listed), yet it is not empty.
    expect((await storage.list('busy')).entries).toEqual([])
    expect(await storage.removeFolderIfEmpty('busy')).toBe(false)
    expect(readFileSync(temp, 'utf8')).toBe('half an upload')
    const outside = mkdtempSync(join(tmpdir(), 'bp-rmdir-outside-'))
    mkdirSync(join(outside, 'empty'))
    symlinkSync(join(outside, 'empty'), join(root, 'link'))
    await expect(storage.removeFolderIfEmpty('link')).rejects.toMatchObject({ code: 'E_PATH_OUTSIDE_ROOT' })
    expect(existsSync(join(outside, 'empty'))).toBe(true)
    expect(lstatSync(join(root, 'link')).isSymbolicLink()).toBe(true)
    rmSync(outside, { recursive: true, force: true })
  })

  it('builds public URLs from baseUrl, escaping each segment', async () => {
    const storage = await createBackend<Storage>(filesystemEngine, { baseUrl: '/media' }, fresh())
    expect(storage.url('photos/summer 2024.jpg')).toBe('/media/photos/summer%202024.jpg')
  })
})

describe('filesystem storage keeps inside its root and out of Backplane\'s data', () => {
  it('refuses to follow a link planted inside the root that points outside it, for every operation', async () => {
    const ctx = fresh()
    const outside = mkdtempSync(join(tmpdir(), 'backplane-outside-'))
    writeFileSync(join(outside, 'secret.txt'), 'outside the root')
    const storage = await createBackend<Storage>(filesystemEngine, {}, ctx)
    await storage.save('keep.txt', 'inside')
    symlinkSync(outside, join(ctx.dataDir, 'files', 'escape'))
    symlinkSync(join(outside, 'secret.txt'), join(ctx.dataDir, 'files', 'secret-link.txt'))
    const attempts = [() => storage.open('escape/secret.txt'), () => storage.open('secret-link.txt'), () => storage.stat('escape'), () => storage.list('escape'), () => storage.save('escape/new.txt', 'x'), () => storage.delete('escape/secret.txt'), () => storage.exists('escape/secret.txt')]
    for (const attempt of attempts) await expect(attempt()).rejects.toMatchObject({ code: 'E_PATH_OUTSIDE_ROOT' })
    expect((await storage.list('')).entries.map((e) => e.name)).toEqual(['keep.txt'])
    expect(readdirSync(outside)).toEqual(['secret.txt'])
    rmSync(outside, { recursive: true, force: true })
  })

  it('refuses a root inside the data directory other than files/, and any name that reaches into it from above', async () => {
    const ctx = fresh()
    writeFileSync(join(ctx.dataDir, 'settings.json'), '{}')
    const inside = await createBackend<Storage>(filesystemEngine, { location: '.' }, ctx)
    await expect(inside.open('settings.json')).rejects.toMatchObject({ code: 'E_RESERVED_PATH', status: 403 })
    await expect(inside.list('')).rejects.toMatchObject({ code: 'E_RESERVED_PATH' })
    const above = await createBackend<Storage>(filesystemEngine, { location: dirname(ctx.dataDir) }, ctx)
    const name = basename(ctx.dataDir)
    await expect(above.open(`${name}/settings.json`)).rejects.toMatchObject({ code: 'E_RESERVED_PATH' })
    await expect(above.delete(name)).rejects.toMatchObject({ code: 'E_RESERVED_PATH' })
    await expect(above.save(`${name}/engines/x.mjs`, 'x')).rejects.toMatchObject({ code: 'E_RESERVED_PATH' })
    expect(existsSync(join(ctx.dataDir, 'settings.json'))).toBe(true)
    // …and the default storage folder is the one part of it allowed.
    expect(await above.save(`${name}/files/ok.txt`, 'fine')).toBe(`${name}/files/ok.txt`)
  })

  it('checks health without creating anything, and answers at once for a folder that cannot exist', async () => {
    const ctx = fresh()
    const storage = await createBackend<Storage>(filesystemEngine, { location: 'files/not-yet' }, ctx)
    const report = await storage.check()
    expect(report.state, JSON.stringify(report.error)).toBe('ok')
    expect(report.steps.find((s) => s.name === 'writable')?.detail).toContain('does not exist yet')
    expect(existsSync(join(ctx.dataDir, 'files'))).toBe(false)
    const impossible = await createBackend<Storage>(filesystemEngine, { location: '/proc/nope' }, ctx)
    await expect(impossible.save('x.txt', 'x')).rejects.toMatchObject({ code: 'E_NOT_A_DIRECTORY' })
  })
})

describe("filesystem storage never changes Backplane's own code or a trusted engine's", () => {
  it('reads but never writes or deletes in the folder Backplane runs from (it loads its dependencies lazily)', async () => {
    const install = appInstallDir()!
    const storage = await createBackend<Storage>(filesystemEngine, { location: install }, fresh())
    expect((await storage.stat('package.json')).type).toBe('file')
    // Where node_modules is a link out of the install folder (a workspace, Stryker's sandbox), the name
    // leads outside this root, which is refused first.
    const refusal = lstatSync(join(install, 'node_modules')).isSymbolicLink() ? 'E_PATH_OUTSIDE_ROOT' : 'E_RESERVED_PATH'
    await expect(storage.save('node_modules/postal-mime/evil.js', 'x')).rejects.toMatchObject({ code: refusal })
    await expect(storage.delete('node_modules/postal-mime')).rejects.toMatchObject({ code: refusal })
    const modules = await createBackend<Storage>(filesystemEngine, { location: realpathSync(join(install, 'node_modules')) }, fresh())
    expect((await modules.stat('postal-mime')).type).toBe('dir')
    await expect(modules.save('postal-mime/evil.js', 'x')).rejects.toMatchObject({ code: 'E_RESERVED_PATH' })
    await expect(modules.delete('postal-mime')).rejects.toMatchObject({ code: 'E_RESERVED_PATH' })
    const above = await createBackend<Storage>(filesystemEngine, { location: dirname(install) }, fresh())
    await expect(above.delete(basename(install))).rejects.toMatchObject({ code: 'E_RESERVED_PATH' })
    expect(existsSync(join(install, 'node_modules', 'postal-mime'))).toBe(true)
  })

  it("keeps a trusted module's folder read-only, since what the module imports is not hashed", async () => {
    const ctx = fresh()
    const folder = mkdtempSync(join(tmpdir(), 'backplane-trusted-'))
    writeFileSync(join(folder, 'engine.mjs'), "import './helper.mjs'\nexport class E {}\n")
    writeFileSync(join(folder, 'helper.mjs'), '')
    await trustModule(ctx.dataDir, join(folder, 'engine.mjs'))
    const storage = await createBackend<Storage>(filesystemEngine, { location: folder }, ctx)
    expect((await storage.list('')).entries.map((e) => e.name)).toEqual(['engine.mjs', 'helper.mjs'])
    await expect(storage.delete('helper.mjs')).rejects.toMatchObject({ code: 'E_RESERVED_PATH' })
    await expect(storage.save('other.mjs', 'x')).rejects.toMatchObject({ code: 'E_RESERVED_PATH' })
    rmSync(folder, { recursive: true, force: true })
  })
})

describe('filesystem storage opens what it checked', () => {
  it('refuses to read a pipe (it would wait for ever, holding a thread every file operation shares)', async () => {
    const ctx = fresh()
    const storage = await createBackend<Storage>(filesystemEngine, {}, ctx)
    await storage.save('keep.txt', 'x')
    execFileSync('mkfifo', [join(ctx.dataDir, 'files', 'pipe')])
    await expect(storage.open('pipe')).rejects.toMatchObject({ code: 'E_UNSUPPORTED', status: 400 })
    expect(await streamToString(await storage.open('keep.txt'))).toBe('x')
  })

  it('checks the file a handle really has open, not only the name (a link swapped in after the check)', async () => {
    const ctx = fresh()
    const root = new LocalRoot(join(ctx.dataDir, 'files'), ctx.dataDir)
    mkdirSync(join(ctx.dataDir, 'files'))
    const outside = mkdtempSync(join(tmpdir(), 'backplane-outside-'))
    writeFileSync(join(outside, 'x'), 'x')
    const handle = await openFile(join(outside, 'x'), 'r')
    try {
      await expect(root.assertOpened(handle.fd, 'x')).rejects.toMatchObject({ code: 'E_PATH_OUTSIDE_ROOT' })
    } finally {
      await handle.close()
      rmSync(outside, { recursive: true, force: true })
    }
    const secrets = await openFile(join(ctx.dataDir, 'files', '..', 'settings.json'), 'w')
    try {
      const above = new LocalRoot(dirname(ctx.dataDir), ctx.dataDir)
      await expect(above.assertOpened(secrets.fd, 'settings.json')).rejects.toMatchObject({ code: 'E_RESERVED_PATH' })
    } finally {
      await secrets.close()
    }
  })
})

describe('filesystem storage answers odd names and places with typed client errors', () => {
  it('refuses control characters in names, and maps what the OS says to 4xx codes', async () => {
    const ctx = fresh()
    const storage = await createBackend<Storage>(filesystemEngine, {}, ctx)
    for (const name of ['a/b\u0000c', 'x\ny.txt', 'evil\u202etxt.exe']) await expect(storage.save(name, 'x')).rejects.toMatchObject({ code: 'E_INVALID_NAME', status: 400 })
    // What the OS refuses becomes, where it leaves the process, a client error with a hint.
    const tooLong = await storage.save(`${'n'.repeat(300)}.txt`, 'x').catch((e: unknown) => toBackplaneError(e))
    expect(tooLong).toMatchObject({ code: 'E_INVALID_NAME', status: 400 })
    const file = join(mkdtempSync(join(tmpdir(), 'backplane-file-root-')), 'plain.txt')
    writeFileSync(file, 'x')
    const onAFile = await createBackend<Storage>(filesystemEngine, { location: file }, ctx)
    expect(await onAFile.list('').catch((e: unknown) => toBackplaneError(e))).toMatchObject({ code: 'E_NOT_A_DIRECTORY', status: 422 })
  })
})

describe('filesystem storage resolves every name the same way, wherever its root is', () => {
  it('takes new files under a root reached through a link, and refuses a name under a file', async () => {
    const ctx = fresh()
    const real = mkdtempSync(join(tmpdir(), 'backplane-real-root-'))
    const link = join(mkdtempSync(join(tmpdir(), 'backplane-link-root-')), 'root')
    symlinkSync(real, link)
    const storage = await createBackend<Storage>(filesystemEngine, { location: link }, ctx)
    expect(await storage.save('new/deeper/a.txt', 'x')).toBe('new/deeper/a.txt')
    expect(existsSync(join(real, 'new/deeper/a.txt'))).toBe(true)
    writeFileSync(join(real, 'plain.txt'), 'x')
    const underAFile = await storage.save('plain.txt/inside.txt', 'x').catch((e: unknown) => toBackplaneError(e))
    expect(underAFile).toMatchObject({ status: 422 })
    expect(await storage.exists('plain.txt/inside.txt')).toBe(false)
    expect(existsSync(join(real, 'plain.txt'))).toBe(true)
    rmSync(real, { recursive: true, force: true })
  })

  it('answers a link that loops with a client error, not by guessing where it leads', async () => {
    const ctx = fresh()
    const root = new LocalRoot(mkdtempSync(join(tmpdir(), 'backplane-loop-')), ctx.dataDir)
    symlinkSync('loop', join(root.root, 'loop'))
    await expect(root.path('loop/x.txt', { forWrite: true })).rejects.toMatchObject({ code: 'E_INVALID_NAME', cause: { code: 'ELOOP' } })
    const storage = await createBackend<Storage>(filesystemEngine, { location: root.root }, ctx)
    expect(await storage.save('loop/x.txt', 'x').catch((e: unknown) => toBackplaneError(e))).toMatchObject({ code: 'E_INVALID_NAME', status: 400 })
    rmSync(root.root, { recursive: true, force: true })
  })

  it('says which name was refused and what to do instead', async () => {
    const ctx = fresh()
    const above = await createBackend<Storage>(filesystemEngine, { location: dirname(ctx.dataDir) }, ctx)
    const name = `${basename(ctx.dataDir)}/settings.json`
    await expect(above.open(name)).rejects.toMatchObject({ message: expect.stringContaining(`"${name}" is part of Backplane's own data`), hint: expect.stringContaining('files/ folder') })
    const outside = mkdtempSync(join(tmpdir(), 'backplane-outside-'))
    symlinkSync(outside, join(ctx.dataDir, 'files-escape'))
    mkdirSync(join(ctx.dataDir, 'files'), { recursive: true })
    symlinkSync(outside, join(ctx.dataDir, 'files', 'escape'))
    const storage = await createBackend<Storage>(filesystemEngine, {}, ctx)
    await expect(storage.open('escape/x')).rejects.toMatchObject({ message: expect.stringContaining('"escape/x" leads outside'), hint: expect.stringContaining('not followed') })
    const trusted = mkdtempSync(join(tmpdir(), 'backplane-trusted-'))
    writeFileSync(join(trusted, 'engine.mjs'), 'export class E {}\n')
    await trustModule(ctx.dataDir, join(trusted, 'engine.mjs'))
    const beside = await createBackend<Storage>(filesystemEngine, { location: trusted }, ctx)
    await expect(beside.save('evil.js', 'x')).rejects.toMatchObject({ message: expect.stringContaining('"evil.js" is in'), hint: expect.stringContaining('may read there but not write') })
    rmSync(trusted, { recursive: true, force: true })
    rmSync(outside, { recursive: true, force: true })
  })

  it('never deletes a folder that holds the data directory or a trusted module, however far down', async () => {
    const ctx = fresh()
    // Checked on the root alone, so that a broken check could not delete anything real.
    const base = mkdtempSync(join(tmpdir(), 'backplane-holder-'))
    const deep = new LocalRoot(base, join(base, 'x', 'y', 'home'))
    await expect(deep.resolve('x', { forDelete: true })).rejects.toMatchObject({ code: 'E_RESERVED_PATH' })
    await expect(deep.resolve('x/y', { forDelete: true })).rejects.toMatchObject({ code: 'E_RESERVED_PATH' })
    await expect(deep.resolve('x/other', { forDelete: true })).resolves.toMatchObject({ path: join(base, 'x', 'other') })
    rmSync(base, { recursive: true, force: true })
    const top = mkdtempSync(join(tmpdir(), 'backplane-trusted-deep-'))
    mkdirSync(join(top, 'a', 'b'), { recursive: true })
    writeFileSync(join(top, 'a', 'b', 'engine.mjs'), 'export class E {}\n')
    await trustModule(ctx.dataDir, join(top, 'a', 'b', 'engine.mjs'))
    const storage = await createBackend<Storage>(filesystemEngine, { location: top }, ctx)
    await expect(storage.delete('a')).rejects.toMatchObject({ code: 'E_RESERVED_PATH' })
    expect(existsSync(join(top, 'a', 'b', 'engine.mjs'))).toBe(true)
    rmSync(top, { recursive: true, force: true })
  })

  it('checks the name alone where the OS cannot say what a handle has open', async () => {
    const ctx = fresh()
    const root = new LocalRoot(join(ctx.dataDir, 'files'), ctx.dataDir)
    // No such descriptor: readlink fails, as it does off Linux.
    await expect(root.assertOpened(2 ** 30, 'x')).resolves.toBeUndefined()
  })
})

describe('filesystem storage lists only what a name can reach, and no way round', () => {
  it('leaves out a link back to the folder or above it ("current -> .", "up -> ..") and lists one to elsewhere inside', async () => {
    const ctx = fresh()
    const storage = await createBackend<Storage>(filesystemEngine, {}, ctx)
    await storage.save('release/app.js', 'js')
    await storage.save('other/b.txt', 'b')
    const dir = join(ctx.dataDir, 'files', 'release')
    symlinkSync('.', join(dir, 'current'))
    symlinkSync('..', join(dir, 'up'))
    symlinkSync('../other', join(dir, 'sibling'))
    expect((await storage.list('release')).entries.map((e) => [e.name, e.type])).toEqual([['release/app.js', 'file'], ['release/sibling', 'dir']])
  })

  it('leaves out a name with a backslash or bytes that are not UTF-8, which no storage name reaches', async () => {
    const ctx = fresh()
    const storage = await createBackend<Storage>(filesystemEngine, {}, ctx)
    await storage.save('ok.txt', 'x')
    const root = join(ctx.dataDir, 'files')
    writeFileSync(join(root, 'a\\b.txt'), 'x')
    writeFileSync(Buffer.concat([Buffer.from(root + '/bad-'), Buffer.from([0xff, 0xfe]), Buffer.from('.txt')]), 'x')
    expect((await storage.list('')).entries.map((e) => e.name)).toEqual(['ok.txt'])
    expect(await storage.listdir('')).toEqual([[], ['ok.txt']])
  })
})

describe('filesystem storage writes through a hidden temporary file', () => {
  it('refuses to open a socket in its own terms, without the path on this computer', async () => {
    const ctx = fresh()
    const storage = await createBackend<Storage>(filesystemEngine, {}, ctx)
    await storage.makeFolder('s')
    const server = createServer().listen(join(ctx.dataDir, 'files', 's', 'sock'))
    await once(server, 'listening')
    try {
      const err = await storage.open('s/sock').catch((e: unknown) => e)
      expect(err).toMatchObject({ code: 'E_UNSUPPORTED' })
      expect((err as Error).message).toContain('"s/sock"')
      expect((err as Error).message).not.toContain(ctx.dataDir)
    } finally {
      server.close()
    }
  })

  it("keeps its temporary files' form out of every name: hidden from exists and open, refused for a write", async () => {
    const ctx = fresh()
    const storage = await createBackend<Storage>(filesystemEngine, {}, ctx)
    const temp = '.~bp-part-0123456789abcdef01234567'
    mkdirSync(join(ctx.dataDir, 'files', 'd'), { recursive: true })
    writeFileSync(join(ctx.dataDir, 'files', 'd', temp), 'a crash left this')
    expect(await storage.exists(`d/${temp}`)).toBe(false)
    await expect(storage.open(`d/${temp}`)).rejects.toMatchObject({ code: 'E_NOT_FOUND' })
    await expect(storage.put(`d/${temp}`, 'x', { overwrite: true })).rejects.toMatchObject({ code: 'E_INVALID_NAME' })
    expect(await storage.listdir('d')).toEqual([[], []])
    expect(readFileSync(join(ctx.dataDir, 'files', 'd', temp), 'utf8')).toBe('a crash left this')
  })

  it('never shows a write in progress (or one a crash left) in a listing, and leaves none behind on failure', async () => {
    const ctx = fresh()
    const storage = await createBackend<Storage>(filesystemEngine, {}, ctx)
    await storage.save('kept.txt', 'x')
    writeFileSync(join(ctx.dataDir, 'files', '.~bp-part-0123456789abcdef01234567'), 'a crash left this')
    expect((await storage.list('')).entries.map((e) => e.name)).toEqual(['kept.txt'])
    const failing = new Readable({
      read() {
        this.destroy(new Error('the client went away'))
      },
    })
    await expect(storage.put('broken.txt', failing)).rejects.toThrow()
    expect(readdirSync(join(ctx.dataDir, 'files')).sort()).toEqual(['.~bp-part-0123456789abcdef01234567', 'kept.txt'])
  })

  it('names the temporary file within 255 bytes, whatever the length of the name in UTF-8', () => {
    const temp = basename(tempPathFor(join('/x', '世'.repeat(85))))
    expect(Buffer.byteLength(temp)).toBeLessThanOrEqual(255)
    expect(isTempName(temp)).toBe(true)
    expect(isTempName('.bashrc')).toBe(false)
    // A backup scheme's name is a user's file, not ours (the old form was `.<name>.<12 hex>.bp-part`).
    expect(isTempName('.backup.0123456789ab.bp-part')).toBe(false)
  })

  it('takes the next free name when another writer takes the name while the bytes arrive (save), or says E_EXISTS (put)', async () => {
    const ctx = fresh()
    const storage = await createBackend<Storage>(filesystemEngine, {}, ctx)
    mkdirSync(join(ctx.dataDir, 'files'))
    const racing = (file: string) =>
      Readable.from(
        (async function* () {
          yield Buffer.from('mine ')
          // Someone else creates the file between the check and the commit.
          writeFileSync(join(ctx.dataDir, 'files', file), 'theirs')
          yield Buffer.from('all of it')
        })(),
      )
    const saved = await storage.save('race.txt', racing('race.txt'))
    expect(saved).toMatch(/^race_[A-Za-z0-9]{7}\.txt$/)
    expect(await streamToString(await storage.open(saved))).toBe('mine all of it')
    expect(await streamToString(await storage.open('race.txt'))).toBe('theirs')
    await expect(storage.put('race2.txt', racing('race2.txt'))).rejects.toMatchObject({ code: 'E_EXISTS' })
    expect(readdirSync(join(ctx.dataDir, 'files')).sort()).toEqual(['race.txt', 'race2.txt', saved])
  })

  it('copies with the OS (the configured file mode applied) and moves by renaming, leaving the source as it was on refusal', async () => {
    const ctx = fresh()
    const storage = await createBackend<Storage>(filesystemEngine, { fileMode: 0o600 }, ctx)
    await storage.put('a.txt', 'a')
    await storage.put('b.txt', 'b')
    await storage.copy('a.txt', 'sub/a-copy.txt')
    expect(statSync(join(ctx.dataDir, 'files/sub/a-copy.txt')).mode & 0o777).toBe(0o600)
    await expect(storage.move('b.txt', 'a.txt')).rejects.toMatchObject({ code: 'E_EXISTS' })
    expect(readFileSync(join(ctx.dataDir, 'files/b.txt'), 'utf8')).toBe('b')
    const inode = statSync(join(ctx.dataDir, 'files/b.txt')).ino
    await storage.move('b.txt', 'moved/b.txt')
    expect(statSync(join(ctx.dataDir, 'files/moved/b.txt')).ino).toBe(inode)
    await storage.move('moved/b.txt', 'a.txt', { overwrite: true })
    expect(readFileSync(join(ctx.dataDir, 'files/a.txt'), 'utf8')).toBe('b')
    expect(readdirSync(join(ctx.dataDir, 'files')).sort()).toEqual(['a.txt', 'moved', 'sub'])
  })

  it('says what the disk said, with the name in the storage and a hint (full, refused, a file in the way)', () => {
    const errno = (code: string) => Object.assign(new Error(`${code}: something, open '/tmp/x/.a.txt.0123456789ab.bp-part'`), { code })
    expect(osError(errno('ENOSPC'), 'a.txt')).toMatchObject({ code: 'E_DISK_FULL', status: 507, message: '"a.txt": the disk is full.', hint: expect.any(String) })
    expect(osError(errno('EACCES'), 'a.txt')).toMatchObject({ code: 'E_PERMISSION', status: 403, hint: expect.any(String) })
    expect(osError(errno('EPERM'), 'a.txt')).toMatchObject({ code: 'E_PERMISSION', status: 403 })
    expect(osError(errno('ENOTDIR'), 'a/b.txt')).toMatchObject({ code: 'E_NOT_A_DIRECTORY', status: 422, hint: expect.any(String) })
    expect(osError(errno('ENOENT'), 'gone.txt')).toMatchObject({ code: 'E_NOT_FOUND', message: '"gone.txt" does not exist.' })
    // Whatever the code, the OS's message (with the path on this computer) is not passed on.
    for (const code of ['ENXIO', 'ENAMETOOLONG', 'ELOOP', 'EIO']) expect(osError(errno(code), 'a.txt').message).not.toContain('/tmp/x')
    expect(osError(errno('ENAMETOOLONG'), 'a.txt')).toMatchObject({ code: 'E_INVALID_NAME', status: 400 })
  })

  // root writes anywhere: there is nothing to refuse.
  it.skipIf(process.getuid?.() === 0)('answers for a read-only folder with E_PERMISSION and leaves nothing', async () => {
    const ctx = fresh()
    const storage = await createBackend<Storage>(filesystemEngine, {}, ctx)
    await storage.makeFolder('locked')
    chmodSync(join(ctx.dataDir, 'files/locked'), 0o500)
    try {
      await expect(storage.put('locked/x.txt', 'x')).rejects.toMatchObject({ code: 'E_PERMISSION', status: 403, message: expect.stringContaining('"locked/x.txt"') })
      expect(readdirSync(join(ctx.dataDir, 'files/locked'))).toEqual([])
    } finally {
      chmodSync(join(ctx.dataDir, 'files/locked'), 0o700)
    }
  })

  // How fast (a 100,000-entry folder's first page) is npm run bench's to say; this is that the paging is right.
  it('lists a big folder a page at a time, from the first entry and from a cursor', async () => {
    const ctx = fresh()
    const dir = join(ctx.dataDir, 'files', 'big')
    mkdirSync(dir, { recursive: true })
    for (let i = 0; i < 5_000; i++) writeFileSync(join(dir, `f${String(i).padStart(6, '0')}`), '')
    const storage = await createBackend<Storage>(filesystemEngine, {}, ctx)
    const page = await storage.list('big', { limit: 100 })
    expect(page.entries).toHaveLength(100)
    expect(page.entries[0]).toMatchObject({ name: 'big/f000000', type: 'file', size: 0 })
    expect(page.cursor).toBe('big/f000099')
    const next = await storage.list('big', { cursor: page.cursor, limit: 1 })
    expect(next.entries.map((e) => e.name)).toEqual(['big/f000100'])
    const last = await storage.list('big', { cursor: 'big/f004998', limit: 100 })
    expect(last).toEqual({ entries: [expect.objectContaining({ name: 'big/f004999' })], cursor: null })
  })
})

describe('filesystem storage moves folders onto folders', () => {
  it('merges a folder moved onto one that has files only when told to replace, keeping both on refusal', async () => {
    const ctx = fresh()
    const storage = await createBackend<Storage>(filesystemEngine, {}, ctx)
    await storage.put('from/a.txt', 'new a')
    await storage.put('from/b.txt', 'b')
    await storage.put('to/a.txt', 'old a')
    await storage.put('to/c.txt', 'c')
    await expect(storage.move('from', 'to')).rejects.toMatchObject({ code: 'E_EXISTS' })
    expect(readdirSync(join(ctx.dataDir, 'files/from')).sort()).toEqual(['a.txt', 'b.txt'])
    await storage.move('from', 'to', { overwrite: true })
    expect(existsSync(join(ctx.dataDir, 'files/from'))).toBe(false)
    expect(readdirSync(join(ctx.dataDir, 'files/to')).sort()).toEqual(['a.txt', 'b.txt', 'c.txt'])
    expect(readFileSync(join(ctx.dataDir, 'files/to/a.txt'), 'utf8')).toBe('new a')
  })
})
