import { statSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { storageContract } from '../../../../test/contracts/storage.contract'
import { createBackend, testContext } from '../../../../test/support/engine-context'
import type { Storage } from '../base'
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

  it('builds public URLs from baseUrl, escaping each segment', async () => {
    const storage = await createBackend<Storage>(filesystemEngine, { baseUrl: '/media' }, fresh())
    expect(storage.url('photos/summer 2024.jpg')).toBe('/media/photos/summer%202024.jpg')
  })
})
