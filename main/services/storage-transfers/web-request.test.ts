import { createHash, randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestApp, type TestApp } from '../../../test/support/test-app'
import { handleWebRequest, rawPathOf } from './web-request'

// Electron's protocol.handle hands a Web Request to app-protocol.ts, which answers it with this
// adapter; Electron cannot run here, but Node's Request and Response are the same Web classes.
let test: TestApp
const call = (url: string, init: RequestInit = {}) => handleWebRequest(new Request(url, init), test.app.storageHttp)

beforeAll(async () => {
  test = await openTestApp()
  await test.app.call('settings.saveAlias', { kind: 'storage', name: 'mem', engine: 'memory', options: {} })
})
afterAll(() => test.close())

describe('the app:// storage routes (the Electron adapter)', () => {
  it('uploads a streamed body and downloads it again, whole and by range', async () => {
    const data = randomBytes(3 * 1024 * 1024 + 17)
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let at = 0; at < data.length; at += 65536) controller.enqueue(data.subarray(at, at + 65536))
        controller.close()
      },
    })
    const put = await call('app://backplane/api/v1/storage/mem/web/r%C3%A9sum%C3%A9.bin', { method: 'PUT', body, duplex: 'half' } as RequestInit)
    expect(put.status).toBe(201)
    expect(await put.json()).toEqual({ name: 'web/résumé.bin', size: data.length })
    const got = await call('app://backplane/api/v1/storage/mem/web/r%C3%A9sum%C3%A9.bin')
    expect(got.status).toBe(200)
    expect(createHash('sha256').update(Buffer.from(await got.arrayBuffer())).digest('hex')).toBe(createHash('sha256').update(data).digest('hex'))
    const part = await call('app://backplane/api/v1/storage/mem/web/r%C3%A9sum%C3%A9.bin', { headers: { range: 'bytes=-5' } })
    expect([part.status, part.headers.get('content-range')]).toEqual([206, `bytes ${data.length - 5}-${data.length - 1}/${data.length}`])
    expect(Buffer.from(await part.arrayBuffer()).equals(data.subarray(-5))).toBe(true)
    const head = await call('app://backplane/api/v1/storage/mem/web/r%C3%A9sum%C3%A9.bin', { method: 'HEAD' })
    expect([head.status, head.headers.get('content-length'), head.body]).toEqual([200, String(data.length), null])
    const etag = head.headers.get('etag')!
    expect((await call('app://backplane/api/v1/storage/mem/web/r%C3%A9sum%C3%A9.bin', { headers: { 'if-none-match': etag } })).status).toBe(304)
  })

  it('answers errors as typed JSON, and refuses an encoded slash before the URL parser could resolve it', async () => {
    const missing = await call('app://backplane/api/v1/storage/mem/nope.txt')
    expect(missing.status).toBe(404)
    expect(await missing.json()).toMatchObject({ error: { code: 'E_NOT_FOUND' } })
    const slash = await call('app://backplane/api/v1/storage/mem/a%2Fb')
    expect([slash.status, ((await slash.json()) as { error: { code: string } }).error.code]).toEqual([400, 'E_INVALID_NAME'])
    // The Web URL parser resolves "%2e%2e" segments before any code sees them (Chromium does the same
    // for app://), so a climbing path lands on another route or alias, never outside a storage root.
    const dots = await call('app://backplane/api/v1/storage/mem/%2e%2e/%2e%2e/etc/passwd')
    expect(dots.status).toBeGreaterThanOrEqual(400)
    expect(dots.status).toBeLessThan(500)
    expect(rawPathOf('app://backplane/api/v1/storage/a/%2e%2e/b?x=%2F#f')).toBe('/api/v1/storage/a/%2e%2e/b')
  })

  it('destroys the engine stream when the reader cancels the response', async () => {
    // The filesystem engine reads in chunks (the memory one hands its one buffer at once).
    await call('app://backplane/api/v1/storage/default/web/big.bin', { method: 'PUT', body: randomBytes(8 * 1024 * 1024) })
    const got = await call('app://backplane/api/v1/storage/default/web/big.bin?transfer=web-dl')
    const reader = got.body!.getReader()
    await reader.read()
    await reader.cancel()
    await expect.poll(() => test.app.storageTransfers.list().find((t) => t.id === 'web-dl')?.state).toMatch(/cancelled|failed/)
    expect(test.app.storageTransfers.list().find((t) => t.id === 'web-dl')!.bytesDone).toBeLessThan(8 * 1024 * 1024)
  })
})
