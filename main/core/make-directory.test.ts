import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { makeDirectory, makeDirectorySync } from './make-directory'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'backplane-mkdir-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

const linux = process.platform === 'linux' && existsSync('/proc/self')

describe('making a folder and its parents', () => {
  it('creates nested folders, with the mode asked for', async () => {
    const nested = join(dir, 'a', 'b', 'c')
    await makeDirectory(nested, 0o700)
    expect(statSync(nested).isDirectory()).toBe(true)
    expect(statSync(join(dir, 'a')).mode & 0o777).toBe(0o700)
    await makeDirectory(nested) // already there: nothing to do
    makeDirectorySync(join(dir, 'x', 'y', 'z'), 0o700)
    expect(statSync(join(dir, 'x', 'y', 'z')).isDirectory()).toBe(true)
    makeDirectorySync(join(dir, 'x', 'y', 'z'))
  })

  it('gives every folder it creates exactly the mode asked for, whatever the umask (as Django sets the umask to 0)', async () => {
    const previous = process.umask(0o077)
    try {
      await makeDirectory(join(dir, 'm', 'n'), 0o775)
      makeDirectorySync(join(dir, 's', 't'), 0o775)
    } finally {
      process.umask(previous)
    }
    for (const made of ['m', 'm/n', 's', 's/t']) expect(statSync(join(dir, made)).mode & 0o777, made).toBe(0o775)
  })

  it('lets two callers create the same folders at once', async () => {
    const nested = join(dir, 'p', 'q', 'r')
    await Promise.all([makeDirectory(nested), makeDirectory(nested), makeDirectory(join(nested, 's'))])
    expect(statSync(join(nested, 's')).isDirectory()).toBe(true)
  })

  it('refuses a path where a file stands, with E_NOT_A_DIRECTORY', async () => {
    const file = join(dir, 'taken')
    writeFileSync(file, 'x')
    await expect(makeDirectory(file)).rejects.toMatchObject({ code: 'E_NOT_A_DIRECTORY', message: expect.stringContaining(file) })
    expect(() => makeDirectorySync(file)).toThrow(expect.objectContaining({ code: 'E_NOT_A_DIRECTORY' }))
  })

  // Under a file, stat fails with ENOTDIR; it must still end as a typed error, not a raw 500.
  it('refuses a path beneath a file with E_NOT_A_DIRECTORY too', async () => {
    const file = join(dir, 'taken')
    writeFileSync(file, 'x')
    await expect(makeDirectory(join(file, 'sub'))).rejects.toMatchObject({ code: 'E_NOT_A_DIRECTORY' })
  })

  // Node's own mkdir(…, { recursive: true }) never settles here, and mkdirSync spins; neither is
  // called by this test. A regression would time the async test out, and the sync one runs in a
  // child process with a time limit so that it cannot hang the suite.
  it.runIf(linux)('rejects /proc/nope at once with a typed error', { timeout: 5_000 }, async () => {
    await expect(makeDirectory('/proc/nope')).rejects.toMatchObject({ code: 'E_NOT_A_DIRECTORY', hint: expect.any(String) })
    await expect(makeDirectory('/proc/nope/deeper/still')).rejects.toMatchObject({ code: 'E_NOT_A_DIRECTORY' })
  })

  it.runIf(linux)('makeDirectorySync rejects /proc/nope at once with a typed error', () => {
    const script = `import { makeDirectorySync } from ${JSON.stringify(join(__dirname, 'make-directory.ts'))}
try { makeDirectorySync('/proc/nope'); process.stdout.write('created') } catch (e) { process.stdout.write(String(e.code)) }`
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 15_000 })
    expect(run.signal).toBeNull() // not killed for taking too long
    expect(run.stdout).toBe('E_NOT_A_DIRECTORY')
  })
})
