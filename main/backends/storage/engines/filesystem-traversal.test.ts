import { createHash } from 'node:crypto'
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { Readable } from 'node:stream'
import { afterAll, beforeEach, describe, expect, it } from 'vitest'
import { createBackend, testContext } from '../../../../test/support/engine-context'
import { BackplaneError, ErrorCode, toBackplaneError } from '../../../core/errors'
import type { Storage } from '../base'
import { filesystemEngine } from './filesystem'

/**
 * A path traversal corpus against the filesystem engine: every name, through every method, must be
 * refused with a 4xx name error, or (for the names that are just odd names) land inside the root, and
 * nothing outside the root is ever read, written or deleted: a canary folder beside the root is
 * compared, bytes and listing, before and after.
 */

const top = mkdtempSync(join(tmpdir(), 'backplane-traversal-'))
const root = join(top, 'root')
const canary = join(top, 'canary')
const ctx = testContext('storage')
afterAll(() => {
  rmSync(top, { recursive: true, force: true })
  ctx.cleanup()
})

/** Names that climb out, are absolute, hold controls, or are too long: refused. */
const REFUSED = [
  '..', '../', '../x.txt', '../../x.txt', 'a/../../x.txt', 'a/b/../../../x.txt', 'x/..', 'x/../..', '..\\x.txt', 'a\\..\\..\\x.txt',
  '..//x', './../x', 'a/./../../x', '../canary/secret.txt', '..\\canary\\secret.txt', 'a/..\\..\\canary', '../'.repeat(40) + 'etc/passwd',
  '/etc/passwd', '/x.txt', `${canary}/secret.txt`, '//x', '\\\\server\\share\\x', '/..', '\\x.txt',
  'a\u0000b', '\u0000', 'x.txt\u0000.jpg', '../\u0000', 'a\nb', 'a\rb', '\u202eexe.txt', '\u001b[31m.txt', 'tab\there',
  'x'.repeat(5000), 'a/'.repeat(2100), 'n'.repeat(300),
  // links planted inside the root by someone else, pointing out of it (directly, as a parent folder, relatively)
  'out', 'out/secret.txt', 'out/sub/deep.txt', 'out/new.txt', 'out-file.txt', 'up/secret.txt', 'inner/parent-link/canary/secret.txt', 'inner/parent-link',
]

/** Names that only look like traversal: encoded or look-alike dots and slashes are characters of a name. */
const INSIDE = [
  '%2e%2e%2fx', '..%2fx', '%2e%2e/x', '..%5cx', '%252e%252e%252fx', 'a%2fb', '%c0%ae%c0%ae/x', '..%c0%afx', '\uff0e\uff0e\uff0fx',
  '\u2024\u2024/x', '\u2215x', '\u2044x', '\uff3cx', '\u00b7\u00b7/x', '..\u200b/x', '...', '.../x', '..a/x', 'a..', '.hidden',
]

const ALLOWED = ['E_PATH_OUTSIDE_ROOT', 'E_INVALID_NAME', 'E_RESERVED_PATH']

let storage: Storage
let before: string

beforeEach(async () => {
  rmSync(root, { recursive: true, force: true })
  rmSync(canary, { recursive: true, force: true })
  mkdirSync(join(canary, 'sub'), { recursive: true })
  writeFileSync(join(canary, 'secret.txt'), 'outside the root')
  writeFileSync(join(canary, 'sub', 'deep.txt'), 'deeper outside')
  mkdirSync(join(root, 'inner'), { recursive: true })
  writeFileSync(join(root, 'inside.txt'), 'inside')
  symlinkSync(canary, join(root, 'out'))
  symlinkSync(join(canary, 'secret.txt'), join(root, 'out-file.txt'))
  symlinkSync('../canary', join(root, 'up'))
  symlinkSync('../..', join(root, 'inner', 'parent-link'))
  storage = await createBackend<Storage>(filesystemEngine, { location: root }, ctx)
  before = snapshot(canary)
})

describe('the filesystem engine refuses a traversal corpus, for every method, touching nothing outside its root', () => {
  it(`has ${REFUSED.length + INSIDE.length} names`, () => expect(REFUSED.length + INSIDE.length).toBeGreaterThanOrEqual(50))

  it.each(REFUSED.map((n) => [show(n), n]))('refuses %s', async (_, name) => {
    const ops: [string, () => Promise<unknown>][] = [
      ['save', () => storage.save(name, 'x')],
      ['put', () => storage.put(name, 'x')],
      ['put overwrite', () => storage.put(name, 'x', { overwrite: true })],
      ['open', () => storage.open(name)],
      ['stat', () => storage.stat(name)],
      // A name the OS cannot look up (a part over 255 bytes) is not there, as Django's os.path.lexists answers.
      ['exists', () => storage.exists(name).then((found) => (found === false && tooLongForTheOs(name) ? Promise.reject(new BackplaneError(ErrorCode.E_INVALID_NAME, 'not there')) : found))],
      ['list', () => storage.list(name)],
      ['delete', () => storage.delete(name)],
      ['copy from', () => storage.copy(name, 'copied.txt')],
      ['copy to', () => storage.copy('inside.txt', name)],
      ['move from', () => storage.move(name, 'moved.txt')],
      ['move to', () => storage.move('inside.txt', name)],
      ['makeFolder', () => storage.makeFolder(name)],
      ['path', () => storage.path(name)],
    ]
    for (const [op, run] of ops) {
      const error = await run().then(
        () => undefined,
        (err: unknown) => toBackplaneError(err),
      )
      expect(error, `${op}(${show(name)}) succeeded`).toBeDefined()
      expect(ALLOWED, `${op}(${show(name)}): ${error!.code} ${error!.message}`).toContain(error!.code)
      expect(error!.status).toBeGreaterThanOrEqual(400)
      expect(error!.status).toBeLessThan(500)
    }
    expect(snapshot(canary)).toBe(before)
    expect(readFileSync(join(root, 'inside.txt'), 'utf8')).toBe('inside')
    expect(readdirSync(root).sort()).toEqual(['inner', 'inside.txt', 'out', 'out-file.txt', 'up'])
  })

  it.each(INSIDE.map((n) => [show(n), n]))('keeps %s inside the root, as the name it is', async (_, name) => {
    expect(await storage.save(name, 'odd')).toBe(name)
    const onDisk = join(root, ...name.split('/'))
    expect(onDisk.startsWith(root + '/')).toBe(true)
    expect(readFileSync(onDisk, 'utf8')).toBe('odd')
    expect(await storage.put(name, 'again', { overwrite: true })).toBe(name)
    expect(await streamText(await storage.open(name))).toBe('again')
    expect((await storage.stat(name)).size).toBe(5)
    await storage.copy(name, 'copy-of-odd')
    await storage.move('copy-of-odd', `${name}-moved`)
    expect(readFileSync(join(root, ...`${name}-moved`.split('/')), 'utf8')).toBe('again')
    await storage.delete(name)
    await storage.delete(`${name}-moved`)
    expect(await storage.exists(name)).toBe(false)
    expect(snapshot(canary)).toBe(before)
  })

  it('never lists a link that leads out of the root, nor reads through one', async () => {
    expect((await storage.list('')).entries.map((e) => e.name)).toEqual(['inner', 'inside.txt'])
    expect((await storage.list('inner')).entries).toEqual([])
    expect(await storage.listdir('')).toEqual([['inner'], ['inside.txt']])
    await storage.delete('inner')
    expect(snapshot(canary)).toBe(before)
  })

  it('does not follow a link planted as the target of a write, nor replace what it points to', async () => {
    symlinkSync(join(canary, 'secret.txt'), join(root, 'planted.txt'))
    // Taken: the name is the link's. Replacing it replaces the link inside the root, not the file it points to.
    await expect(storage.put('planted.txt', 'x')).rejects.toMatchObject({ code: 'E_PATH_OUTSIDE_ROOT' })
    expect(snapshot(canary)).toBe(before)
  })

  it('keeps a write inside the root when a folder on its way is swapped for a link while the bytes arrive', async () => {
    mkdirSync(join(root, 'swap'))
    let release: () => void = () => {}
    const gate = new Promise<void>((resolve) => (release = resolve))
    const content = Readable.from(
      (async function* () {
        yield Buffer.from('first half ')
        await gate
        yield Buffer.from('second half')
      })(),
    )
    const writing = storage.put('swap/file.txt', content).then(
      (name) => ({ name }),
      (err: unknown) => ({ error: toBackplaneError(err) }),
    )
    await new Promise((r) => setTimeout(r, 50))
    renameSync(join(root, 'swap'), join(root, 'swap-real'))
    symlinkSync(canary, join(root, 'swap'))
    release()
    const outcome = await writing
    expect(snapshot(canary)).toBe(before)
    // The write goes on in the folder that was checked (through its descriptor), now named swap-real and
    // still inside the root: as if the rename had come after the write. Whole, or not at all.
    if ('error' in outcome) expect(readdirSync(join(root, 'swap-real'))).toEqual([])
    else expect(readFileSync(join(root, 'swap-real', 'file.txt'), 'utf8')).toBe('first half second half')
  })

  it('reads a hard link to a file outside (it is that file), but a write replaces the link, never the file', async () => {
    // A hard link cannot be told from the file: it is inside the root by every measure the OS gives,
    // so reading it is allowed, and writing replaces the link in the root (the rename), never the original.
    const { linkSync } = await import('node:fs')
    linkSync(join(canary, 'secret.txt'), join(root, 'hard.txt'))
    expect(await streamText(await storage.open('hard.txt'))).toBe('outside the root')
    await storage.put('hard.txt', 'replaced', { overwrite: true })
    expect(readFileSync(join(canary, 'secret.txt'), 'utf8')).toBe('outside the root')
    expect(readFileSync(join(root, 'hard.txt'), 'utf8')).toBe('replaced')
  })
})

/** Every file and folder under a folder, with a hash of each file's bytes. */
function snapshot(dir: string): string {
  const lines: string[] = []
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const full = join(d, name)
      const info = lstatSync(full)
      if (info.isDirectory()) {
        lines.push(`${relative(dir, full)}/`)
        walk(full)
      } else lines.push(`${relative(dir, full)} ${createHash('sha256').update(readFileSync(full)).digest('hex')} ${info.mode}`)
    }
  }
  walk(dir)
  return lines.join('\n')
}

async function streamText(stream: Readable): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of stream) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

function show(name: string): string {
  return JSON.stringify(name.length > 30 ? `${name.slice(0, 30)}…(${name.length})` : name)
}

function tooLongForTheOs(name: string): boolean {
  return name.split('/').some((part) => Buffer.byteLength(part) > 255)
}
