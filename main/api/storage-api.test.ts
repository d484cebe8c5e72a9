import { randomBytes } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestApp, type TestApp } from '../../test/support/test-app'
import type { TransferView } from './contract/storage'

// The storage.* methods over a memory and a filesystem alias: what the file browser calls for
// everything but the bytes themselves (those stream over the routes, storage-routes.test.ts).
let test: TestApp
let files: string

beforeAll(async () => {
  test = await openTestApp()
  files = join(test.home, 'files')
  await test.app.call('settings.saveAlias', { kind: 'storage', name: 'mem', engine: 'memory', options: { baseUrl: 'https://cdn.example.test/media/' } })
})
afterAll(() => test.close())

const put = async (alias: string, name: string, content: string | Buffer) => ((await test.app.pool.get('storage', alias)) as unknown as { put(n: string, c: string | Buffer, o?: object): Promise<string> }).put(name, content, { overwrite: true })

/** Every file under a folder on disk, relative, sorted. */
function tree(dir: string): string[] {
  if (!existsSync(dir)) return []
  const out: string[] = []
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name)
      if (statSync(path).isDirectory()) walk(path)
      else out.push(relative(dir, path))
    }
  }
  walk(dir)
  return out.sort()
}

function transferEvents(id: () => string | undefined): { seen: TransferView[]; stop: () => void } {
  const seen: TransferView[] = []
  const stop = test.app.events.on('storage.transfer', (view) => {
    if ((view as TransferView).id === id()) seen.push(view as TransferView)
  })
  return { seen, stop }
}

describe('storage.* methods', () => {
  it('describe a file (with its public URL) and a folder, and say what the engine can do', async () => {
    await put('mem', 'docs/report 1.pdf', 'pdf')
    expect(await test.app.call('storage.stat', { alias: 'mem', name: 'docs/report 1.pdf' })).toMatchObject({
      name: 'docs/report 1.pdf',
      type: 'file',
      size: 3,
      url: 'https://cdn.example.test/media/docs/report%201.pdf',
      localPath: null,
    })
    expect(await test.app.call('storage.stat', { alias: 'mem', name: 'docs' })).toMatchObject({ name: 'docs', type: 'dir', url: null })
    expect(await test.app.call('storage.features', { alias: 'mem' })).toEqual({ localPath: false, presignedUrls: false, folders: 'real' })
    await put('default', 'local.txt', 'here')
    expect(await test.app.call('storage.stat', { alias: 'default', name: 'local.txt' })).toMatchObject({ localPath: join(files, 'local.txt') })
    await expect(test.app.call('storage.stat', { alias: 'mem', name: 'docs/nope' })).rejects.toMatchObject({ code: 'E_NOT_FOUND', status: 404 })
  })

  it('summarize, make folders, move and delete, counting what they touch', async () => {
    for (const name of ['tree/a.txt', 'tree/sub/b.txt', 'tree/sub/deeper/c.txt']) await put('mem', name, 'xyz')
    expect(await test.app.call('storage.summarize', { alias: 'mem', names: ['tree', 'tree/sub/b.txt'] })).toEqual({ files: 3, folders: 3, bytes: 9, truncated: false })
    expect(await test.app.call('storage.summarize', { alias: 'mem', names: ['tree'], limit: 2 })).toMatchObject({ truncated: true })
    expect(await test.app.call('storage.makeFolder', { alias: 'mem', name: 'made/here/' })).toEqual({ name: 'made/here' })
    await expect(test.app.call('storage.makeFolder', { alias: 'mem', name: 'tree/a.txt' })).rejects.toMatchObject({ code: 'E_EXISTS' })
    expect(await test.app.call('storage.move', { alias: 'mem', from: 'tree/sub', to: 'made/here/sub' })).toEqual({ name: 'made/here/sub' })
    expect((await test.app.call('storage.list', { alias: 'mem', path: 'made/here/sub' })).entries.map((e) => e.name)).toEqual(['made/here/sub/b.txt', 'made/here/sub/deeper'])
    await expect(test.app.call('storage.move', { alias: 'mem', from: 'tree/a.txt', to: 'made/here/sub/b.txt' })).rejects.toMatchObject({ code: 'E_EXISTS' })
    expect(await test.app.call('storage.delete', { alias: 'mem', names: ['made', 'tree/a.txt', 'already/gone'] })).toEqual({ deleted: 2 })
    expect(await test.app.call('storage.summarize', { alias: 'mem', names: ['tree'] })).toEqual({ files: 0, folders: 1, bytes: 0, truncated: false })
  })

  it('give the public URL, and refuse a presigned one where the engine has none', async () => {
    expect(await test.app.call('storage.url', { alias: 'mem', name: 'docs/report 1.pdf' })).toEqual({ url: 'https://cdn.example.test/media/docs/report%201.pdf', expiresAt: null })
    expect(await test.app.call('storage.url', { alias: 'default', name: 'local.txt' })).toEqual({ url: null, expiresAt: null })
    await expect(test.app.call('storage.url', { alias: 'mem', name: 'docs/report 1.pdf', presign: true })).rejects.toMatchObject({ code: 'E_UNSUPPORTED', hint: expect.stringContaining('S3') })
  })

  it("name files as Django would: generate_filename, then a free name if it is taken", async () => {
    expect(await test.app.call('storage.djangoName', { alias: 'mem', name: 'docs/a b (1).pdf' })).toEqual({ generated: 'docs/a_b_1.pdf', available: 'docs/a_b_1.pdf' })
    await put('mem', 'docs/a_b_1.pdf', 'taken')
    const { available } = await test.app.call('storage.djangoName', { alias: 'mem', name: 'docs/a b (1).pdf' })
    expect(available).toMatch(/^docs\/a_b_1_[A-Za-z0-9]{7}\.pdf$/)
    await expect(test.app.call('storage.djangoName', { alias: 'mem', name: '../x' })).rejects.toMatchObject({ status: 400 })
  })
})

describe('transfers between aliases', () => {
  it('copies a folder from memory to the filesystem with progress, then moves it back', async () => {
    const sizes = [3 * 1024 * 1024, 1024, 2 * 1024 * 1024, 0]
    const names = ['album/one.jpg', 'album/two.txt', 'album/nested/three.bin', 'album/nested/empty.txt']
    for (const [i, name] of names.entries()) await put('mem', name, randomBytes(sizes[i]!))
    await test.app.call('storage.makeFolder', { alias: 'mem', name: 'album/nothing-inside' })
    let id: string | undefined
    const events = transferEvents(() => id)
    ;({ id } = await test.app.call('storage.startTransfer', { kind: 'copy', from: { alias: 'mem', names: ['album'] }, to: { alias: 'default', folder: 'imports' } }))
    await expect.poll(() => test.app.storageTransfers.list().find((t) => t.id === id)?.state).toBe('done')
    events.stop()
    const total = sizes.reduce((a, b) => a + b, 0)
    const views = events.seen
    expect(views.at(-1)).toMatchObject({ kind: 'copy', state: 'done', bytesDone: total, bytesTotal: total, filesDone: 4, filesTotal: 4, from: { alias: 'mem', name: 'album' }, to: { alias: 'default', name: 'imports' } })
    for (let i = 1; i < views.length; i++) expect(views[i]!.bytesDone).toBeGreaterThanOrEqual(views[i - 1]!.bytesDone)
    expect(tree(join(files, 'imports'))).toEqual(['album/nested/empty.txt', 'album/nested/three.bin', 'album/one.jpg', 'album/two.txt'])
    expect(existsSync(join(files, 'imports', 'album', 'nothing-inside'))).toBe(true)
    expect(readFileSync(join(files, 'imports', 'album', 'two.txt')).length).toBe(1024)

    // Back again as a move, into a folder that already holds a two.txt: renamed, as Django's save would.
    await put('mem', 'back/album/two.txt', 'older')
    ;({ id } = await test.app.call('storage.startTransfer', { kind: 'move', from: { alias: 'default', names: ['imports/album'] }, to: { alias: 'mem', folder: 'back' } }))
    await expect.poll(() => test.app.storageTransfers.list().find((t) => t.id === id)?.state).toBe('done')
    expect(tree(join(files, 'imports'))).toEqual([])
    const back = (await test.app.call('storage.list', { alias: 'mem', path: 'back/album' })).entries.map((e) => e.name)
    expect(back).toEqual(expect.arrayContaining(['back/album/one.jpg', 'back/album/two.txt', 'back/album/nested']))
    expect(back.filter((n) => /^back\/album\/two_[A-Za-z0-9]{7}\.txt$/.test(n))).toHaveLength(1)
  })

  it('stops a copy when cancelled: the files done stay, the one in flight leaves nothing', async () => {
    // A memory alias whose files each open 20 ms late (patched before the pool first hands out its open()),
    // so the copy outlasts the quarter second between two progress events.
    await test.app.call('settings.saveAlias', { kind: 'storage', name: 'slow', engine: 'memory', options: {} })
    const source = (await test.app.pool.get('storage', 'slow')) as unknown as { open: (...args: unknown[]) => Promise<unknown> }
    const open = Object.getPrototypeOf(source).open as (...args: unknown[]) => Promise<unknown>
    source.open = async function (this: unknown, ...args) {
      await new Promise((r) => setTimeout(r, 20))
      return open.apply(this, args)
    }
    for (let i = 0; i < 30; i++) await put('slow', `many/f${String(i).padStart(2, '0')}.bin`, randomBytes(1024 * 1024))
    const started: { id?: string; cancelling?: Promise<unknown> } = {}
    const events = transferEvents(() => started.id)
    // Cancelled from the event that reports the second file done, as the panel's button would be clicked mid-copy.
    const stopAfterTwo = test.app.events.on('storage.transfer', (view) => {
      const t = view as TransferView
      if (t.id === started.id && t.state === 'running' && t.filesDone >= 2 && !started.cancelling) started.cancelling = test.app.call('storage.cancelTransfer', { id: t.id })
    })
    const { id } = await test.app.call('storage.startTransfer', { kind: 'copy', from: { alias: 'slow', names: ['many'] }, to: { alias: 'default', folder: 'partial' } })
    started.id = id
    await expect.poll(() => started.cancelling !== undefined).toBe(true)
    stopAfterTwo()
    expect(await started.cancelling).toEqual({ cancelled: true })
    expect(await test.app.call('storage.cancelTransfer', { id })).toEqual({ cancelled: false })
    events.stop()
    expect(test.app.storageTransfers.list().find((t) => t.id === id)).toMatchObject({ state: 'cancelled', error: null })
    await new Promise((r) => setTimeout(r, 200))
    const left = tree(join(files, 'partial'))
    expect(left.length).toBeGreaterThanOrEqual(2)
    expect(left.length).toBeLessThan(30)
    // Only whole files: each one there has all its bytes, and no temporary file is left.
    for (const name of left) expect([name, statSync(join(files, 'partial', name)).size]).toEqual([name, 1024 * 1024])
    expect(left.every((n) => /^many\/f\d\d\.bin$/.test(n))).toBe(true)
  })

  it('refuse a copy into itself, a missing alias and a climbing name at once, and keep the last transfers to list and clear', async () => {
    await expect(test.app.call('storage.startTransfer', { kind: 'copy', from: { alias: 'nope', names: ['a'] }, to: { alias: 'mem', folder: '' } })).rejects.toMatchObject({ code: 'E_ALIAS_NOT_FOUND' })
    await expect(test.app.call('storage.startTransfer', { kind: 'copy', from: { alias: 'mem', names: ['../a'] }, to: { alias: 'mem', folder: '' } })).rejects.toMatchObject({ code: 'E_PATH_OUTSIDE_ROOT' })
    await expect(test.app.call('storage.startTransfer', { kind: 'copy', from: { alias: 'mem', names: ['back'] }, to: { alias: 'mem', folder: 'back/album' } })).rejects.toMatchObject({ code: 'E_INVALID_INPUT' })
    // A name that does not exist is an answer at the call too (each name is looked up before queueing).
    await expect(test.app.call('storage.startTransfer', { kind: 'copy', from: { alias: 'mem', names: ['vanished'] }, to: { alias: 'default', folder: '' } })).rejects.toMatchObject({ code: 'E_NOT_FOUND' })
    const { id } = await test.app.call('storage.startTransfer', { kind: 'copy', from: { alias: 'mem', names: ['back'] }, to: { alias: 'default', folder: 'listed' } })
    await expect.poll(() => test.app.storageTransfers.list().find((t) => t.id === id)?.state).toBe('done')
    const listed = await test.app.call('storage.transfers', {})
    expect(listed[0]!.id).toBe(id)
    expect(listed.length).toBeGreaterThanOrEqual(3)
    expect(await test.app.call('storage.clearTransfers', {})).toEqual({ cleared: listed.length })
    expect(await test.app.call('storage.transfers', {})).toEqual([])
  })
})
