import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestApp, type TestApp } from '../../../test/support/test-app'
import { Transfer, type TransferSnapshot } from './transfer'

let test: TestApp
beforeAll(async () => {
  test = await openTestApp()
  for (const alias of ['a', 'b']) await test.app.call('settings.saveAlias', { kind: 'storage', name: alias, engine: 'memory', options: {} })
})
afterAll(() => test.close())

describe('a transfer', () => {
  it('publishes progress at most four times a second, and every change of state at once', async () => {
    const published: string[] = []
    const transfer = new Transfer({ id: 't', kind: 'upload', from: null, to: { alias: 'a', name: 'x' }, label: 'x' }, (t) => published.push(`${t.state}:${t.meter.bytesDone}`))
    transfer.start()
    for (let i = 0; i < 1000; i++) transfer.progress(1)
    expect(published).toEqual(['running:0'])
    await new Promise((r) => setTimeout(r, 300))
    expect(published).toEqual(['running:0', 'running:1000'])
    transfer.finish('x')
    expect(published.at(-1)).toBe('done:1000')
    expect(transfer.cancel()).toBe(false)
  })
})

describe('the transfer queue', () => {
  it('runs two copies at a time and the rest as places free up, each to its end', async () => {
    const storage = (await test.app.pool.get('storage', 'a')) as unknown as { put(n: string, c: Buffer): Promise<string> }
    for (let i = 0; i < 6; i++) await storage.put(`src${i}/f.bin`, randomBytes(512 * 1024))
    const running = new Set<string>()
    let most = 0
    const off = test.app.events.on('storage.transfer', (view) => {
      const t = view as TransferSnapshot
      if (t.state === 'running') running.add(t.id)
      else running.delete(t.id)
      most = Math.max(most, running.size)
    })
    const ids = (await Promise.all(Array.from({ length: 6 }, (_, i) => test.app.storageTransfers.startCopy({ kind: 'copy', from: { alias: 'a', names: [`src${i}`] }, to: { alias: 'b', folder: '' }, conflict: 'rename' })))).map((t) => t.id)
    expect(test.app.storageTransfers.list().filter((t) => ids.includes(t.id) && t.state === 'queued').length).toBeGreaterThanOrEqual(4)
    await expect.poll(() => test.app.storageTransfers.list().filter((t) => ids.includes(t.id) && t.state === 'done').length).toBe(6)
    off()
    expect(most).toBe(2)
  })

  it('cancels a queued copy before it starts, and refuses an id in use', async () => {
    const started = (await Promise.all(Array.from({ length: 3 }, () => test.app.storageTransfers.startCopy({ kind: 'copy', from: { alias: 'a', names: ['src0'] }, to: { alias: 'b', folder: 'again' }, conflict: 'rename' })))).map((t) => t.id)
    expect(test.app.storageTransfers.cancel(started[2]!)).toBe(true)
    expect(test.app.storageTransfers.list().find((t) => t.id === started[2])).toMatchObject({ state: 'cancelled', bytesDone: 0 })
    const upload = test.app.storageTransfers.begin({ id: 'same', kind: 'upload', from: null, to: { alias: 'a', name: 'x' }, label: 'x' })
    expect(() => test.app.storageTransfers.begin({ id: 'same', kind: 'upload', from: null, to: { alias: 'a', name: 'y' }, label: 'y' })).toThrow(expect.objectContaining({ code: 'E_CONFLICT' }))
    upload.finish('x')
    await expect.poll(() => test.app.storageTransfers.list().filter((t) => started.includes(t.id) && t.state === 'done').length).toBe(2)
  })
})
