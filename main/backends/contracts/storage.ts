import assert from 'node:assert/strict'
import { Readable } from 'node:stream'
import { ErrorCode } from '../../core/errors'
import { assertHealthy } from './health'
import { rejectsWithCode, type ContractSuite } from './harness'
import { folderCases } from './storage-folders'
import { errorOf, failingStream, namesIn, read, readBytes, stallingStream, storageCase, type StorageFixture } from './storage-tools'

export type { StorageFixture } from './storage-tools'

const DAY_MS = 24 * 3600 * 1000

/**
 * Django's Storage semantics (save keeps the name and only resolves a clash, never overwrites, names
 * stay inside the storage), and what the file browser builds on: put, ranges, folders, copy, move,
 * paging. Each case works in a folder of its own, so a storage shared with other data (a bucket) is
 * fine, and an engine that files bare names elsewhere (by date, say) keeps the names placed in a folder.
 */
const djangoCases = [
  storageCase('save', 'saves a file under the name given and reads back the same bytes, from a string, bytes or a stream', async (storage, dir) => {
    assert.equal(await storage.save(`${dir}/hello.txt`, 'Grüße, 世界'), `${dir}/hello.txt`)
    assert.equal(await read(storage, `${dir}/hello.txt`), 'Grüße, 世界')
    assert.equal(await storage.exists(`${dir}/hello.txt`), true)
    assert.equal(await storage.size(`${dir}/hello.txt`), Buffer.byteLength('Grüße, 世界'))
    assert.equal(await storage.save(`${dir}/bytes.bin`, new Uint8Array([0, 255, 10])), `${dir}/bytes.bin`)
    assert.deepEqual([...(await readBytes(storage, `${dir}/bytes.bin`))], [0, 255, 10])
    assert.equal(await storage.size(`${dir}/bytes.bin`), 3)
    assert.equal(await storage.save(`${dir}/streamed.bin`, Readable.from([Buffer.from('ab'), Buffer.from('cd')])), `${dir}/streamed.bin`)
    assert.equal(await read(storage, `${dir}/streamed.bin`), 'abcd')
    assert.equal(await storage.save(`${dir}/empty.txt`, ''), `${dir}/empty.txt`)
    assert.equal(await storage.size(`${dir}/empty.txt`), 0)
  }),
  storageCase('keep-name', "keeps an odd name as given on save (Django's save does not clean it; generate_filename does)", async (storage, dir) => {
    assert.equal(await storage.save(`${dir}/a b (1).txt`, 'x'), `${dir}/a b (1).txt`)
    assert.equal(storage.generateFilename(`${dir}/my report (final)!.txt`), `${dir}/my_report_final.txt`)
    assert.equal(storage.getValidName('  café crème.txt '), 'café_crème.txt')
    await rejectsWithCode(Promise.resolve().then(() => storage.getValidName('?!')), ErrorCode.E_INVALID_NAME, 'getValidName("?!")')
  }),
  storageCase('clash', 'never overwrites on save: a taken name gets `_` and 7 random letters or digits before its extensions', async (storage, dir) => {
    const first = await storage.save(`${dir}/report.tar.gz`, 'one')
    const second = await storage.save(`${dir}/report.tar.gz`, 'two')
    assert.equal(first, `${dir}/report.tar.gz`)
    assert.match(second, new RegExp(`^${dir}/report_[A-Za-z0-9]{7}\\.tar\\.gz$`))
    assert.equal(await read(storage, first), 'one')
    assert.equal(await read(storage, second), 'two')
    assert.equal(await storage.getAvailableName(`${dir}/free.txt`), `${dir}/free.txt`)
    assert.match(await storage.getAvailableName(first), new RegExp(`^${dir}/report_[A-Za-z0-9]{7}\\.tar\\.gz$`))
  }),
  storageCase('max-length', "shortens a name's root to fit max_length, before the clash suffix", async (storage, dir) => {
    const name = `${dir}/${'x'.repeat(30)}.txt`
    const maxLength = dir.length + 1 + 20
    const saved = await storage.save(name, 'short', { maxLength })
    assert.ok(saved.length <= maxLength, `"${saved}" is longer than ${maxLength}`)
    assert.match(saved, new RegExp(`^${dir}/x+_[A-Za-z0-9]{7}\\.txt$`))
    assert.equal(await read(storage, saved), 'short')
    await rejectsWithCode(storage.save(name, 'x', { maxLength: dir.length + 5 }), ErrorCode.E_INVALID_NAME, 'save() with a max_length no name fits')
  }),
  storageCase('concurrent', 'gives each of many concurrent saves of one name its own file, losing no bytes', async (storage, dir) => {
    const contents = Array.from({ length: 8 }, (_, i) => `content ${i} `.repeat(1000))
    const names = await Promise.all(contents.map((c) => storage.save(`${dir}/same.txt`, c)))
    assert.equal(new Set(names).size, contents.length, `names: ${names.join(', ')}`)
    for (const [i, name] of names.entries()) assert.equal(await read(storage, name), contents[i], `${name} holds another save's bytes`)
    assert.equal((await namesIn(storage, dir)).length, contents.length)
  }),
  storageCase('put', 'puts exactly the name asked for: E_EXISTS if taken, or replaces it when told to', async (storage, dir) => {
    assert.equal(await storage.put(`${dir}/exact name!.txt`, 'one'), `${dir}/exact name!.txt`)
    await rejectsWithCode(storage.put(`${dir}/exact name!.txt`, 'two'), ErrorCode.E_EXISTS, 'put() of a taken name')
    assert.equal(await read(storage, `${dir}/exact name!.txt`), 'one')
    assert.equal(await storage.put(`${dir}/exact name!.txt`, 'three', { overwrite: true }), `${dir}/exact name!.txt`)
    assert.equal(await read(storage, `${dir}/exact name!.txt`), 'three')
    await rejectsWithCode(storage.put(`${dir}/`, 'x'), ErrorCode.E_INVALID_NAME, 'put() of a folder name ending in "/"')
  }),
  storageCase('ranges', 'reads a byte range: from a start, from a start to an end (both included), the last byte, nothing past the end', async (storage, dir) => {
    await storage.put(`${dir}/digits.txt`, '0123456789')
    assert.equal(await read(storage, `${dir}/digits.txt`, { start: 7 }), '789')
    assert.equal(await read(storage, `${dir}/digits.txt`, { start: 2, end: 4 }), '234')
    assert.equal(await read(storage, `${dir}/digits.txt`, { start: 9, end: 9 }), '9')
    assert.equal(await read(storage, `${dir}/digits.txt`, { start: 0 }), '0123456789')
    // A start at or past the end reads nothing (as fs does), rather than the whole file.
    assert.equal(await read(storage, `${dir}/digits.txt`, { start: 10 }), '', 'the range 10- of a 10-byte file')
    assert.equal(await read(storage, `${dir}/digits.txt`, { start: 25 }), '', 'the range 25- of a 10-byte file')
    await rejectsWithCode(storage.open(`${dir}/digits.txt`, { range: { start: 5, end: 2 } }), ErrorCode.E_INVALID_INPUT, 'open() of the range 5-2')
  }),
  storageCase('failed-write', 'leaves nothing under the name, nor anything extra in the folder, when the content fails halfway', async (storage, dir) => {
    await storage.put(`${dir}/before.txt`, 'x')
    await errorOf(storage.save(`${dir}/broken.bin`, failingStream()), 'save() of a stream that fails')
    await errorOf(storage.put(`${dir}/broken.bin`, failingStream()), 'put() of a stream that fails')
    assert.equal(await storage.exists(`${dir}/broken.bin`), false)
    assert.deepEqual(await namesIn(storage, dir), [`${dir}/before.txt`])
    // Replacing a file with content that fails keeps the old bytes.
    await errorOf(storage.put(`${dir}/before.txt`, failingStream(), { overwrite: true }), 'an overwriting put() that fails')
    assert.equal(await read(storage, `${dir}/before.txt`), 'x')
    assert.deepEqual(await namesIn(storage, dir), [`${dir}/before.txt`])
  }),
  storageCase('aborted-write', 'stops a write when its signal aborts (E_CANCELLED), leaving nothing under the name', async (storage, dir) => {
    await storage.put(`${dir}/before.txt`, 'x')
    const controller = new AbortController()
    const writing = storage.put(`${dir}/aborted.bin`, stallingStream(() => controller.abort()), { signal: controller.signal })
    await rejectsWithCode(writing, ErrorCode.E_CANCELLED, 'put() whose signal aborted')
    assert.equal(await storage.exists(`${dir}/aborted.bin`), false)
    assert.deepEqual(await namesIn(storage, dir), [`${dir}/before.txt`])
  }),
  storageCase('listdir', "lists a folder's folders and files as Django's listdir (names, not paths)", async (storage, dir) => {
    await storage.put(`${dir}/b.txt`, 'b')
    await storage.put(`${dir}/a.txt`, 'a')
    await storage.put(`${dir}/sub/c.txt`, 'c')
    const [dirs, files] = await storage.listdir(dir)
    assert.deepEqual(dirs, ['sub'])
    assert.deepEqual([...files].sort(), ['a.txt', 'b.txt'])
    assert.deepEqual(await storage.listdir(`${dir}/nothing-here`), [[], []])
  }),
  storageCase('stat', 'stats files and folders, and says what is missing (E_NOT_FOUND) or a folder (E_IS_DIRECTORY)', async (storage, dir) => {
    await storage.put(`${dir}/sub/file.txt`, 'hello')
    assert.deepEqual(pick(await storage.stat(`${dir}/sub/file.txt`)), { name: `${dir}/sub/file.txt`, type: 'file', size: 5 })
    assert.deepEqual(pick(await storage.stat(`${dir}/sub`)), { name: `${dir}/sub`, type: 'dir' })
    await rejectsWithCode(storage.stat(`${dir}/missing.txt`), ErrorCode.E_NOT_FOUND, 'stat() of a missing file')
    await rejectsWithCode(storage.open(`${dir}/missing.txt`), ErrorCode.E_NOT_FOUND, 'open() of a missing file')
    await rejectsWithCode(storage.size(`${dir}/missing.txt`), ErrorCode.E_NOT_FOUND, 'size() of a missing file')
    await rejectsWithCode(storage.open(`${dir}/sub`), ErrorCode.E_IS_DIRECTORY, 'open() of a folder')
    assert.equal(await storage.exists(`${dir}/missing.txt`), false)
    assert.equal(await storage.exists(`${dir}/sub`), true)
  }),
  storageCase('times', "gives a file's modified time (and its created and accessed times where the engine keeps them)", async (storage, dir) => {
    await storage.put(`${dir}/timed.txt`, 'x')
    const modified = await storage.getModifiedTime(`${dir}/timed.txt`)
    // A day either way: a server's clock may be off, but not a date from another year.
    assert.ok(Math.abs(modified.getTime() - Date.now()) < DAY_MS, `modified ${modified.toISOString()}`)
    for (const time of [() => storage.getCreatedTime(`${dir}/timed.txt`), () => storage.getAccessedTime(`${dir}/timed.txt`)]) {
      const value = await time().catch((err: { code?: string }) => err)
      if (value instanceof Date) assert.ok(Math.abs(value.getTime() - Date.now()) < DAY_MS, `a time of ${value.toISOString()}`)
      else assert.equal(value.code, ErrorCode.E_UNSUPPORTED)
    }
    await rejectsWithCode(storage.getModifiedTime(`${dir}/missing.txt`), ErrorCode.E_NOT_FOUND, 'getModifiedTime() of a missing file')
  }),
  storageCase('path', 'gives a local path where the engine has files on this computer, and E_UNSUPPORTED where not', async (storage, dir) => {
    await storage.put(`${dir}/here.txt`, 'x')
    if (storage.features.localPath) assert.ok((await storage.path(`${dir}/here.txt`)).endsWith(`${dir}/here.txt`))
    else await rejectsWithCode(storage.path(`${dir}/here.txt`), ErrorCode.E_UNSUPPORTED, 'path() on an engine without local files')
  }),
  storageCase('delete', 'deletes a file, and a missing name is no error', async (storage, dir) => {
    const saved = await storage.save(`${dir}/gone.txt`, 'x')
    await storage.delete(saved)
    assert.equal(await storage.exists(saved), false)
    await rejectsWithCode(storage.open(saved), ErrorCode.E_NOT_FOUND, 'open() of a deleted file')
    await storage.delete(saved)
    await rejectsWithCode(storage.delete(''), ErrorCode.E_INVALID_INPUT, 'delete() of the root')
  }),
  storageCase('traversal', 'refuses names that climb out of the storage or hold control characters, for every method', async (storage, dir) => {
    await storage.put(`${dir}/inside.txt`, 'x')
    const outside = ErrorCode.E_PATH_OUTSIDE_ROOT
    const attempts: [() => Promise<unknown>, string][] = [
      [() => storage.save('../escape.txt', 'x'), 'save("../escape.txt")'],
      [() => storage.put(`${dir}/../../escape.txt`, 'x'), 'put() climbing out'],
      [() => storage.open('a/../../etc/passwd'), 'open("a/../../etc/passwd")'],
      [() => storage.open('/etc/passwd'), 'open("/etc/passwd")'],
      [() => storage.stat('..'), 'stat("..")'],
      [() => storage.list('../'), 'list("../")'],
      [() => storage.delete(`${dir}/..\\..\\x`), 'delete() with backslashes'],
      [() => storage.makeFolder('../made'), 'makeFolder("../made")'],
      [() => storage.copy(`${dir}/inside.txt`, '../copied.txt'), 'copy() out'],
      [() => storage.move(`${dir}/inside.txt`, '../moved.txt'), 'move() out'],
      [() => storage.getAvailableName('../x.txt'), 'getAvailableName("../x.txt")'],
    ]
    for (const [attempt, what] of attempts) await rejectsWithCode(attempt(), outside, what)
    await rejectsWithCode(storage.save(`${dir}/a\u0000b.txt`, 'x'), ErrorCode.E_INVALID_NAME, 'save() of a name with NUL')
    await rejectsWithCode(storage.put(`${dir}/line\nbreak.txt`, 'x'), ErrorCode.E_INVALID_NAME, 'put() of a name with a line break')
    assert.equal(await read(storage, `${dir}/inside.txt`), 'x')
  }),
  {
    name: 'reports itself healthy',
    run: async (fixture: StorageFixture) => {
      const storage = await fixture.make()
      try {
        assertHealthy(await storage.check())
      } finally {
        await storage.close()
      }
    },
  },
]

function pick(entry: { name: string; type: string; size?: number }): { name: string; type: string; size?: number } {
  return entry.type === 'file' ? { name: entry.name, type: entry.type, size: entry.size ?? -1 } : { name: entry.name, type: entry.type }
}

export const storageSuite: ContractSuite<StorageFixture> = {
  kind: 'storage',
  cases: [...djangoCases, ...folderCases],
}
