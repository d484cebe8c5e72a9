import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3'
import { request } from 'node:http'
import { describe, expect, it } from 'vitest'
import { ROUTES_BUCKET, useS3Routes } from '../../test/support/s3-routes'

/** Hostile tests of the storage routes on an S3 alias (s3rver, started here): each failed when written. */
const TOKEN = 'storage-attack-s3-token'
const PREFIX = 'storage-attack/'
const routes = useS3Routes({ token: TOKEN, prefix: PREFIX })

function send(method: string, path: string, body?: Buffer): Promise<{ status: number; body: Buffer; broken: boolean }> {
  return new Promise((resolve) => {
    const req = request(new URL(path, routes.http.url), { method, headers: { authorization: `Bearer ${TOKEN}` } }, (res) => {
      const chunks: Buffer[] = []
      let broken = false
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('aborted', () => (broken = true))
      res.on('error', () => (broken = true))
      res.on('close', () => resolve({ status: res.statusCode!, body: Buffer.concat(chunks), broken: broken || !res.complete }))
    })
    req.on('error', () => resolve({ status: 0, body: Buffer.alloc(0), broken: true }))
    req.end(body)
  })
}

/** An object written by another S3 client (the Django app, rclone), under the alias's prefix. */
async function putByOtherClient(key: string, body: string): Promise<void> {
  const client = new S3Client({ endpoint: routes.s3.endpoint, region: routes.s3.region, forcePathStyle: true, credentials: { accessKeyId: routes.s3.accessKeyId, secretAccessKey: routes.s3.secretAccessKey } })
  await client.send(new PutObjectCommand({ Bucket: ROUTES_BUCKET, Key: PREFIX + key, Body: body }))
  client.destroy()
}


describe('keys other clients wrote', () => {
  it('one key with backslashes in a prefix does not break the zip of the whole folder', async () => {
    await putByOtherClient('uploads/ok.txt', 'fine')
    // A Windows path uploaded as a key: legal in S3, no Backplane name can address it.
    await putByOtherClient('uploads/..\\..\\evil.txt', 'from a Windows client')
    const zip = await send('GET', '/api/v1/storage-zip/bucket?name=uploads')
    // Skipped (as "a//b" keys are) or kept under a safe name: either way a whole zip.
    expect({ status: zip.status, broken: zip.broken }).toEqual({ status: 200, broken: false })
  })
})

describe('names S3 cannot hold', () => {
  // Last in the file: s3rver itself dies on a key this long (it stores keys as file names).
  it('a name over S3\'s 1,024-byte key limit is a 400 E_INVALID_NAME, not a 502 from the server', async () => {
    const name = 'k'.repeat(1100)
    const put = await send('PUT', `/api/v1/storage/bucket/${name}`, Buffer.from('x'))
    expect([put.status, (JSON.parse(put.body.toString()) as { error: { code: string } }).error.code]).toEqual([400, 'E_INVALID_NAME'])
  })
})
