import { createHash, randomBytes } from 'node:crypto'
import { request } from 'node:http'
import { describe, expect, it } from 'vitest'
import { useS3Routes } from '../../../test/support/s3-routes'

// The routes and a cross-alias copy against an S3-compatible server (s3rver, started here, so this never skips).
const TOKEN = 'storage-s3-token'
const routes = useS3Routes({ token: TOKEN, prefix: 'transfers-helper/' })

function send(method: string, path: string, body?: Buffer, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, routes.http.url), { method, headers: { authorization: `Bearer ${TOKEN}`, ...headers } }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c)).on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }))
    })
    req.on('error', reject)
    req.end(body)
  })
}
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex')


describe('the storage routes on an S3 alias', () => {
  it('upload a multipart-sized file, serve it back whole and by range, and presign it', async () => {
    const data = randomBytes(12 * 1024 * 1024 + 3)
    const put = await send('PUT', '/api/v1/storage/bucket/in/big.bin', data)
    expect(put.status, put.body.toString()).toBe(201)
    const got = await send('GET', '/api/v1/storage/bucket/in/big.bin')
    expect([got.status, sha(got.body)]).toEqual([200, sha(data)])
    expect(got.headers.etag).toMatch(/^"/)
    const part = await send('GET', '/api/v1/storage/bucket/in/big.bin', undefined, { range: 'bytes=100-199' })
    expect([part.status, part.body.equals(data.subarray(100, 200))]).toEqual([206, true])
    expect((await send('GET', '/api/v1/storage/bucket/in/big.bin', undefined, { 'if-none-match': String(got.headers.etag) })).status).toBe(304)
    const { url } = await routes.test.app.call('storage.url', { alias: 'bucket', name: 'in/big.bin', presign: true, expiresInSeconds: 60 })
    expect(url).toContain('X-Amz-Signature')
  }, 60_000)

  it('copies a folder from memory into the bucket with progress, file by file', async () => {
    const files: [string, Buffer][] = [['src/a.txt', Buffer.from('a')], ['src/deep/b.bin', randomBytes(6 * 1024 * 1024)]]
    for (const [name, body] of files) expect((await send('PUT', `/api/v1/storage/mem/${name}`, body)).status).toBe(201)
    const { id } = await routes.test.app.call('storage.startTransfer', { kind: 'copy', from: { alias: 'mem', names: ['src'] }, to: { alias: 'bucket', folder: 'copied' } })
    await expect.poll(() => routes.test.app.storageTransfers.list().find((t) => t.id === id)?.state, { timeout: 20_000 }).toBe('done')
    expect(routes.test.app.storageTransfers.list().find((t) => t.id === id)).toMatchObject({ filesDone: 2, filesTotal: 2, bytesDone: 1 + 6 * 1024 * 1024 })
    for (const [name, body] of files) expect(sha((await send('GET', `/api/v1/storage/bucket/copied/${name}`)).body)).toBe(sha(body))
  }, 60_000)

  it('leaves no object when an upload is cancelled midway', async () => {
    const answer = new Promise<number | 'closed'>((resolve) => {
      const req = request(new URL('/api/v1/storage/bucket/cancelled/big.bin?transfer=s3-cancel', routes.http.url), { method: 'PUT', headers: { authorization: `Bearer ${TOKEN}`, 'content-length': String(64 * 1024 * 1024) } }, (res) => {
        res.resume().on('end', () => resolve(res.statusCode!))
      })
      req.on('error', () => resolve('closed'))
      req.write(randomBytes(12 * 1024 * 1024))
    })
    await expect.poll(() => (routes.test.app.storageTransfers.list().find((t) => t.id === 's3-cancel')?.bytesDone ?? 0) > 8 * 1024 * 1024, { timeout: 10_000 }).toBe(true)
    expect(await routes.test.app.call('storage.cancelTransfer', { id: 's3-cancel' })).toEqual({ cancelled: true })
    expect([409, 'closed']).toContain(await answer)
    await expect.poll(async () => (await routes.test.app.call('storage.list', { alias: 'bucket', path: 'cancelled' })).entries).toEqual([])
  }, 30_000)
})
