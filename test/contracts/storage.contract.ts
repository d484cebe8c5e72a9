import { Readable } from 'node:stream'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { streamToString, type Storage } from '../../main/backends/storage/base'

/** What every storage engine must do: Django's Storage semantics (never overwrite, sanitise names, stay inside the root). */
export function storageContract(name: string, make: () => Promise<Storage>, teardown?: () => Promise<void>): void {
  describe(`${name} implements the storage contract`, () => {
    let storage: Storage
    beforeEach(async () => {
      storage = await make()
    })
    afterEach(async () => {
      await storage.close()
      await teardown?.()
    })

    it('saves a file and reads back the same bytes', async () => {
      const saved = await storage.save('notes/hello.txt', 'Grüße, 世界')
      expect(saved).toBe('notes/hello.txt')
      expect(await streamToString(await storage.open(saved))).toBe('Grüße, 世界')
      expect(await storage.exists(saved)).toBe(true)
      expect((await storage.stat(saved)).size).toBe(Buffer.byteLength('Grüße, 世界'))
    })

    it('saves from a stream', async () => {
      const saved = await storage.save('streamed.bin', Readable.from([Buffer.from('ab'), Buffer.from('cd')]))
      expect(await streamToString(await storage.open(saved))).toBe('abcd')
    })

    it('never overwrites: a taken name gets a random 7-character suffix before the extensions', async () => {
      const first = await storage.save('report.tar.gz', 'one')
      const second = await storage.save('report.tar.gz', 'two')
      expect(first).toBe('report.tar.gz')
      expect(second).toMatch(/^report_[A-Za-z0-9]{7}\.tar\.gz$/)
      expect(await streamToString(await storage.open(first))).toBe('one')
      expect(await streamToString(await storage.open(second))).toBe('two')
    })

    it('cleans file names as Django does (spaces to underscores, odd characters dropped)', async () => {
      expect(await storage.save('my report (final)!.txt', 'x')).toBe('my_report_final.txt')
    })

    it('refuses names that climb out of the storage', async () => {
      await expect(storage.save('../escape.txt', 'x')).rejects.toMatchObject({ code: 'E_PATH_OUTSIDE_ROOT' })
      await expect(storage.open('a/../../etc/passwd')).rejects.toMatchObject({ code: 'E_PATH_OUTSIDE_ROOT' })
    })

    it('lists folders and files a page at a time', async () => {
      for (const n of ['b.txt', 'a.txt', 'c.txt']) await storage.save(`list/${n}`, n)
      await storage.save('list/sub/d.txt', 'd')
      const first = await storage.list('list', { limit: 2 })
      expect(first.entries.map((e) => e.name)).toEqual(['list/a.txt', 'list/b.txt'])
      expect(first.cursor).not.toBeNull()
      const rest = await storage.list('list', { cursor: first.cursor, limit: 10 })
      expect(rest.entries.map((e) => [e.name, e.type])).toEqual([['list/c.txt', 'file'], ['list/sub', 'dir']])
      expect(rest.cursor).toBeNull()
    })

    it('deletes a file, and says a missing one does not exist', async () => {
      const saved = await storage.save('gone.txt', 'x')
      await storage.delete(saved)
      expect(await storage.exists(saved)).toBe(false)
      await expect(storage.open(saved)).rejects.toMatchObject({ code: 'E_NOT_FOUND' })
    })

    it('reports itself healthy', async () => {
      const report = await storage.check()
      expect(report.state, JSON.stringify(report.error)).toBe('ok')
    })
  })
}
