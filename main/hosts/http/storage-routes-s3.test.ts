import { createHash, randomBytes } from 'node:crypto'
import { request } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startS3Server, type S3TestServer } from '../../../test/support/s3-server'
import { openTestApp, type TestApp } from '../../../test/support/test-app'
import { startHttpServer, type RunningServer } from './server'

// The routes and a cross-alias copy against an S3-compatible server (s3rver, started here, so this never skips).
const TOKEN = 'storage-s3-token'
let s3: S3TestServer
let test: TestApp
let http: RunningServer

function send(method: string, path: string, body?: Buffer, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, http.url), { method, headers: { authorization: `Bearer ${TOKEN}`, ...headers } }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c)).on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }))
    })
    req.on('error', reject)
    req.end(body)
  })
}
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex')

beforeAll(async () => {
  s3 = await startS3Server()
  test = await openTestApp({ host: 'serve' })
  await test.app.call('settings.saveAlias', {
    kind: 'storage',
    name: 'bucket',
    engine: 's3',
    options: { endpoint: s3.endpoint, region: s3.region, bucket: 'backplane-test', prefix: 'transfers-helper/', accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
  })
  await test.app.call('settings.saveAlias', { kind: 'storage', name: 'mem', engine: 'memory', options: {} })
  http = await startHttpServer(test.app, { host: '127.0.0.1', port: 0, token: TOKEN })
}, 30_000)
afterAll(async () => {
  await http?.close()
  await test?.close()
  await s3?.stop()
})

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
    const { url } = await test.app.call('storage.url', { alias: 'bucket', name: 'in/big.bin', presign: true, expiresInSeconds: 60 })
    expect(url).toContain('X-Amz-Signature')
  }, 60_000)

  it('copies a folder from memory into the bucket with progress, file by file', async () => {
    const files: [string, Buffer][] = [['src/a.txt', Buffer.from('a')], ['src/deep/b.bin', randomBytes(6 * 1024 * 1024)]]
    for (const [name, body] of files) expect((await send('PUT', `/api/v1/storage/mem/${name}`, body)).status).toBe(201)
    const { id } = await test.app.call('storage.startTransfer', { kind: 'copy', from: { alias: 'mem', names: ['src'] }, to: { alias: 'bucket', folder: 'copied' } })
    await expect.poll(() => test.app.storageTransfers.list().find((t) => t.id === id)?.state, { timeout: 20_000 }).toBe('done')
    expect(test.app.storageTransfers.list().find((t) => t.id === id)).toMatchObject({ filesDone: 2, filesTotal: 2, bytesDone: 1 + 6 * 1024 * 1024 })
    for (const [name, body] of files) expect(sha((await send('GET', `/api/v1/storage/bucket/copied/${name}`)).body)).toBe(sha(body))
  }, 60_000)

  it('leaves no object when an upload is cancelled midway', async () => {
    const answer = new Promise<number | 'closed'>((resolve) => {
      const req = request(new URL('/api/v1/storage/bucket/cancelled/big.bin?transfer=s3-cancel', http.url), { method: 'PUT', headers: { authorization: `Bearer ${TOKEN}`, 'content-length': String(64 * 1024 * 1024) } }, (res) => {
        res.resume().on('end', () => resolve(res.statusCode!))
      })
      req.on('error', () => resolve('closed'))
      req.write(randomBytes(12 * 1024 * 1024))
    })
    await expect.poll(() => (test.app.storageTransfers.list().find((t) => t.id === 's3-cancel')?.bytesDone ?? 0) > 8 * 1024 * 1024, { timeout: 10_000 }).toBe(true)
    expect(await test.app.call('storage.cancelTransfer', { id: 's3-cancel' })).toEqual({ cancelled: true })
    expect([409, 'closed']).toContain(await answer)
    await expect.poll(async () => (await test.app.call('storage.list', { alias: 'bucket', path: 'cancelled' })).entries).toEqual([])
  }, 30_000)
})
