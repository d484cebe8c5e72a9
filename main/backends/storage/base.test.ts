import { Readable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { createBackend, testContext } from '../../../test/support/engine-context'
import type { BackplaneError } from '../../core/errors'
import { NameTakenError, extensionOf, getValidName, normalizeName, streamToString, validFileName, type BaseStorage, type ExclusiveWrite, type WriteOptions } from './base'
import { memoryEngine } from './engines/memory'

async function memory(): Promise<BaseStorage> {
  return createBackend<BaseStorage>(memoryEngine, {}, testContext('storage'))
}

function codeOf(run: () => unknown): string | undefined {
  try {
    run()
    return undefined
  } catch (err) {
    return (err as BackplaneError).code
  }
}

describe("the storage base's names", () => {
  it('reads names as Django does: backslashes are separators, ".." and absolute names are refused, "/" alone is the root', () => {
    expect(normalizeName('a\\b/./c.txt')).toBe('a/b/c.txt')
    expect(normalizeName('a//b/')).toBe('a/b')
    expect(normalizeName('/')).toBe('')
    expect(normalizeName('')).toBe('')
    for (const name of ['/etc/passwd', '\\x', '//server/share', 'a/../b', '..']) expect(codeOf(() => normalizeName(name)), name).toBe('E_PATH_OUTSIDE_ROOT')
    for (const name of ['a/', 'a/.', '', '/']) expect(codeOf(() => validFileName(name)), name).toBe('E_INVALID_NAME')
    expect(codeOf(() => validFileName('a/..'))).toBe('E_PATH_OUTSIDE_ROOT')
  })

  it("strips what Python's str.strip() strips, not what JavaScript's trim() does", () => {
    // U+FEFF is not whitespace to Python (so the space after it is kept, as "_"); U+0085 is.
    expect(getValidName('\ufeff x.txt')).toBe('_x.txt')
    expect(getValidName('\u0085 x.txt')).toBe('x.txt')
    expect(getValidName('\u3000 wide \u3000')).toBe('wide')
    expect(getValidName('e\u0301cole')).toBe('ecole')
  })

  it("takes current Django's extension: every suffix, none for a leading dot or a trailing one", () => {
    const table: [string, string][] = [['a.tar.gz', '.tar.gz'], ['.bashrc', ''], ['..a.b', '.b'], ['name.', ''], ['a', ''], ['.a.b.c', '.b.c'], ['a..b', '..b']]
    for (const [file, ext] of table) expect(extensionOf(file), file).toBe(ext)
  })
})

describe("the storage base's methods", () => {
  it('has a seam for the clash suffix (Django: get_alternative_name), used by getAvailableName and save', async () => {
    const storage = await memory()
    storage.getAlternativeName = (root, ext) => `${root}-taken${ext}`
    await storage.put('a.txt', 'x')
    expect(await storage.getAvailableName('a.txt')).toBe('a-taken.txt')
    expect(await storage.save('a.txt', 'y')).toBe('a-taken.txt')
  })

  it('counts max_length in code points, as Python does (an emoji is one)', async () => {
    const storage = await memory()
    storage.getAlternativeName = (root, ext) => `${root}_1234567${ext}`
    const name = '😀'.repeat(10) + '.txt'
    expect(await storage.getAvailableName(name, 14)).toBe(name)
    expect(await storage.getAvailableName(name, 13)).toBe('😀'.repeat(1) + '_1234567.txt')
    expect(await storage.getAvailableName(name, 0)).toBe(name)
  })

  it("retries save under another name when the engine finds the name taken before reading the content, and keeps every byte", async () => {
    const storage = await memory()
    const write = storage.writeFile.bind(storage)
    let refusals = 1
    storage.writeFile = async (name: string, content: Readable, options: WriteOptions & ExclusiveWrite) => {
      if (refusals-- > 0) throw new NameTakenError(name)
      return write(name, content, options)
    }
    const saved = await storage.save('x.txt', Readable.from([Buffer.from('all '), Buffer.from('of it')]))
    expect(await streamToString(await storage.open(saved))).toBe('all of it')
  })

  it('answers an aborted write with E_CANCELLED, whatever the engine threw', async () => {
    const storage = await memory()
    const controller = new AbortController()
    controller.abort()
    await expect(storage.put('x.txt', 'x', { signal: controller.signal })).rejects.toMatchObject({ code: 'E_CANCELLED', status: 409 })
    await expect(storage.save('x.txt', 'x', { signal: controller.signal })).rejects.toMatchObject({ code: 'E_CANCELLED' })
    expect(await storage.exists('x.txt')).toBe(false)
  })

  it('refuses a byte range that cannot be read, and reads past the end as nothing', async () => {
    const storage = await memory()
    await storage.put('d.txt', '0123')
    for (const range of [{ start: -1 }, { start: 1.5 }, { start: 3, end: 2 }, { start: 0, end: Number.NaN }]) {
      await expect(storage.open('d.txt', { range })).rejects.toMatchObject({ code: 'E_INVALID_INPUT', status: 400 })
    }
    expect(await streamToString(await storage.open('d.txt', { range: { start: 10 } }))).toBe('')
  })

  it('refuses copying a folder onto a taken name before copying anything', async () => {
    const storage = await memory()
    await storage.put('src/a.txt', 'a')
    await storage.put('src/b.txt', 'b')
    await storage.put('dst/b.txt', 'other')
    await expect(storage.copy('src', 'dst')).rejects.toMatchObject({ code: 'E_EXISTS' })
    expect(await storage.listdir('dst')).toEqual([[], ['b.txt']])
  })

  it('keeps the name on save (Django does not clean it there), and generate_filename refuses an empty file name', async () => {
    const storage = await memory()
    expect(await storage.save('a b (1).txt', 'x')).toBe('a b (1).txt')
    expect(codeOf(() => storage.generateFilename('folder/'))).toBe('E_INVALID_NAME')
    expect(codeOf(() => storage.generateFilename('/abs/x.txt'))).toBe('E_PATH_OUTSIDE_ROOT')
    expect(storage.generateFilename('a\\b c.txt')).toBe('a/b_c.txt')
  })
})

describe('isAddressable: the fast path for plain names answers as normalizeName does', () => {
  it('agrees with normalizeName on plain, odd and hostile names', async () => {
    const { isAddressable, normalizeName } = await import('./names')
    const slow = (n: string) => {
      try {
        return n !== '' && normalizeName(n) === n && !n.includes('\ufffd')
      } catch {
        return false
      }
    }
    const names = ['a.txt', 'report 2026.pdf', '.env', '.', '..', '...', 'a\\b', 'a/b', '', 'x'.repeat(4096), 'x'.repeat(4097), 'tab\there', 'nul\u0000', 'c1\u0085', 'ls\u2028', 'bidi\u202e', 'bad\ufffd', '世界', '%2e%2e', 'C:x', ' lead', 'trail ']
    for (const n of names) expect(isAddressable(n), JSON.stringify(n.slice(0, 20))).toBe(slow(n))
  })
})

describe('a filtered listing', () => {
  it('looks through a bounded part of the folder per call, then answers what it found with a cursor to go on from', async () => {
    const storage = await memory()
    for (let i = 0; i < 45; i++) await storage.put(`big/n${String(i).padStart(2, '0')}.txt`, 'x')
    await storage.put('big/zz-match.txt', 'x')
    // As an engine that ignores the filter (S3, a custom one): every entry comes, and the base filters.
    const listFolder = storage.listFolder.bind(storage)
    let calls = 0
    storage.listFolder = (dir, { cursor, limit }) => {
      calls++
      return listFolder(dir, { cursor, limit })
    }
    const first = await storage.list('big', { contains: 'MATCH', limit: 1 })
    expect(first.entries).toEqual([])
    expect(first.cursor).not.toBeNull()
    expect(calls).toBe(20)
    const seen: string[] = []
    let cursor = first.cursor
    for (let call = 0; cursor !== null && call < 10; call++) {
      const page = await storage.list('big', { contains: 'MATCH', limit: 1, cursor })
      seen.push(...page.entries.map((entry) => entry.name))
      cursor = page.cursor
    }
    expect([seen, cursor]).toEqual([['big/zz-match.txt'], null])
  })
})

describe("the base's move, for engines without a rename of their own", () => {
  it('deletes each file once its copy is whole and a folder only once empty: a file written into it meanwhile stays', async () => {
    const storage = await memory()
    await storage.put('src/a.txt', 'a')
    await storage.put('src/deep/b.txt', 'b')
    const engine = storage as unknown as { copyFile: (from: string, to: string, options: object) => Promise<void> }
    const copyFile = engine.copyFile.bind(storage)
    engine.copyFile = async (from, to, options) => {
      await copyFile(from, to, options)
      // Another writer, into a folder the move has listed already, under a name its listing has passed.
      if (from === 'src/deep/b.txt') await storage.put('src/0-late.txt', 'written meanwhile')
    }
    await storage.move('src', 'dst')
    expect(await streamToString(await storage.open('dst/a.txt'))).toBe('a')
    expect(await streamToString(await storage.open('dst/deep/b.txt'))).toBe('b')
    expect(await streamToString(await storage.open('src/0-late.txt'))).toBe('written meanwhile')
    expect(await storage.exists('src/a.txt')).toBe(false)
    expect(await storage.exists('src/deep')).toBe(false)
  })
})
