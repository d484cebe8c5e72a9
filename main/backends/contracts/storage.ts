import assert from 'node:assert/strict'
import { ErrorCode } from '../../core/errors'
import { Readable } from 'node:stream'
import { streamToString, type Storage } from '../storage/base'
import { assertHealthy } from './health'
import { rejectsWithCode, using, type ContractSuite } from './harness'

export interface StorageFixture {
  /** A fresh, empty storage. */
  make(): Promise<Storage>
  afterEach?(): Promise<void>
}

/**
 * Django's Storage semantics: never overwrite, sanitise names, stay inside the root. Each case works in a
 * folder of its own, so a storage shared with other data (a bucket) is fine, and an engine that files
 * bare names elsewhere (by date, say) keeps the names a caller placed in a folder.
 */
export const storageSuite: ContractSuite<StorageFixture> = {
  kind: 'storage',
  cases: [
    {
      name: 'saves a file and reads back the same bytes',
      run: (f) =>
        using(f.make(), async (storage) => {
          const saved = await storage.save('notes/hello.txt', 'Grüße, 世界')
          assert.equal(saved, 'notes/hello.txt')
          assert.equal(await streamToString(await storage.open(saved)), 'Grüße, 世界')
          assert.equal(await storage.exists(saved), true)
          assert.equal((await storage.stat(saved)).size, Buffer.byteLength('Grüße, 世界'))
        }),
    },
    {
      name: 'saves from a stream',
      run: (f) =>
        using(f.make(), async (storage) => {
          const saved = await storage.save('stream/streamed.bin', Readable.from([Buffer.from('ab'), Buffer.from('cd')]))
          assert.equal(await streamToString(await storage.open(saved)), 'abcd')
        }),
    },
    {
      name: 'never overwrites: a taken name gets a random 7-character suffix before the extensions',
      run: (f) =>
        using(f.make(), async (storage) => {
          const first = await storage.save('reports/report.tar.gz', 'one')
          const second = await storage.save('reports/report.tar.gz', 'two')
          assert.equal(first, 'reports/report.tar.gz')
          assert.match(second, /^reports\/report_[A-Za-z0-9]{7}\.tar\.gz$/)
          assert.equal(await streamToString(await storage.open(first)), 'one')
          assert.equal(await streamToString(await storage.open(second)), 'two')
        }),
    },
    {
      name: 'cleans file names as Django does (spaces to underscores, odd characters dropped)',
      run: (f) => using(f.make(), async (storage) => assert.equal(await storage.save('clean/my report (final)!.txt', 'x'), 'clean/my_report_final.txt')),
    },
    {
      name: 'refuses names that climb out of the storage',
      run: (f) =>
        using(f.make(), async (storage) => {
          await rejectsWithCode(storage.save('../escape.txt', 'x'), ErrorCode.E_PATH_OUTSIDE_ROOT, 'save("../escape.txt")')
          await rejectsWithCode(storage.open('a/../../etc/passwd'), ErrorCode.E_PATH_OUTSIDE_ROOT, 'open("a/../../etc/passwd")')
        }),
    },
    {
      name: 'lists folders and files a page at a time',
      run: (f) =>
        using(f.make(), async (storage) => {
          for (const n of ['b.txt', 'a.txt', 'c.txt']) await storage.save(`list/${n}`, n)
          await storage.save('list/sub/d.txt', 'd')
          const first = await storage.list('list', { limit: 2 })
          assert.deepEqual(first.entries.map((e) => e.name), ['list/a.txt', 'list/b.txt'])
          assert.notEqual(first.cursor, null)
          const rest = await storage.list('list', { cursor: first.cursor, limit: 10 })
          assert.deepEqual(rest.entries.map((e) => [e.name, e.type]), [['list/c.txt', 'file'], ['list/sub', 'dir']])
          assert.equal(rest.cursor, null)
        }),
    },
    {
      name: 'deletes a file, and says a missing one does not exist',
      run: (f) =>
        using(f.make(), async (storage) => {
          const saved = await storage.save('trash/gone.txt', 'x')
          await storage.delete(saved)
          assert.equal(await storage.exists(saved), false)
          await rejectsWithCode(storage.open(saved), ErrorCode.E_NOT_FOUND, 'open() of a deleted file')
        }),
    },
    {
      name: 'reports itself healthy',
      run: (f) => using(f.make(), async (storage) => void assertHealthy(await storage.check())),
    },
  ],
}
