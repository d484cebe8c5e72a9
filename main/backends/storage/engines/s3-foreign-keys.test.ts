import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3'
import { createServer, type Server } from 'node:http'
import { afterAll, describe, expect, it } from 'vitest'
import type { S3TestServer } from '../../../../test/support/s3-server'
import { BackplaneError } from '../../../core/errors'
import { streamToString } from '../base'
import { s3Storage, TEST_BUCKET, useS3Server, keysUnder } from './s3-fixture'

/**
 * Keys another client wrote that no Backplane name addresses, a file and a folder of one name, names
 * too long for S3, the places of roots, and a download cut midway.
 */
let server: S3TestServer
let raw: S3Client
useS3Server((started, client) => {
  server = started
  raw = client
})

async function withForeignKeys(keys: Record<string, string>) {
  const storage = await s3Storage(server)
  const prefix = (storage as unknown as { prefix: string }).prefix
  for (const [key, body] of Object.entries(keys)) await raw.send(new PutObjectCommand({ Bucket: TEST_BUCKET, Key: prefix + key, Body: body }))
  return { storage, prefix }
}

describe('s3: keys no name can address', () => {
  it('are not listed, and a copy of their folder skips them rather than writing them under another name', async () => {
    // ("a//b" keys too, but s3rver cannot store them: s3-listing.test.ts has them.)
    const { storage, prefix } = await withForeignKeys({ 'src/ok.txt': 'ok', 'src/a\\b.txt': 'backslash', 'src/tab\tname.txt': 'a control character' })
    expect((await storage.list('src')).entries.map((e) => e.name)).toEqual(['src/ok.txt'])
    await storage.copy('src', 'dst')
    // Built from "src/a\\b.txt", "dst/a\\b.txt" would be one more unaddressable key; "dst/a/b.txt" another file.
    expect(await keysUnder(raw, `${prefix}dst/`)).toEqual([`${prefix}dst/ok.txt`])
  })

  it('a move of their folder leaves them where they were instead of deleting what it did not copy', async () => {
    const { storage, prefix } = await withForeignKeys({ 'src/ok.txt': 'ok', 'src/a\\b.txt': 'backslash' })
    await storage.move('src', 'dst')
    expect(await keysUnder(raw, prefix)).toEqual([`${prefix}dst/ok.txt`, `${prefix}src/a\\b.txt`])
  })
})

describe('s3: a file and a folder of one name', () => {
  it('the first delete takes the file, the second the folder', async () => {
    const { storage, prefix } = await withForeignKeys({ reports: 'the file', 'reports/2024.pdf': 'in the folder' })
    await storage.delete('reports')
    expect(await keysUnder(raw, prefix)).toEqual([`${prefix}reports/2024.pdf`])
    expect((await storage.stat('reports')).type).toBe('dir')
    await storage.delete('reports')
    expect(await keysUnder(raw, prefix)).toEqual([])
  })
})

describe('s3: names too long for a key', () => {
  it('are E_INVALID_NAME before any request (the endpoint here answers nothing)', async () => {
    const storage = await s3Storage(server, { endpoint: 'http://127.0.0.1:1', prefix: 'p/' })
    const long = 'é'.repeat(512) // 1,024 bytes of UTF-8, 1,026 with the prefix
    for (const call of [storage.put(long, 'x'), storage.stat(long), storage.open(long), storage.makeFolder('k'.repeat(1023))]) {
      await expect(call).rejects.toMatchObject({ code: 'E_INVALID_NAME', status: 400 })
    }
    // One byte under the limit goes to the server (and finds nothing listening).
    await expect(storage.put('k'.repeat(1022), 'x')).rejects.toMatchObject({ code: 'E_CONNECTION_REFUSED' })
    await storage.close()
  })
})

describe('s3: where the root is', () => {
  it('rootPlace() is the endpoint host, the bucket and the prefix; Amazon S3 is "aws"', async () => {
    const storage = await s3Storage(server, { prefix: 'media/photos' })
    expect(await storage.rootPlace()).toBe(`s3://${new URL(server.endpoint).host}/${TEST_BUCKET}/media/photos`)
    const aws = await s3Storage(server, { endpoint: undefined, bucket: 'b', prefix: '' })
    expect(await aws.rootPlace()).toBe('s3://aws/b')
    await Promise.all([storage.close(), aws.close()])
  })
})

describe('s3: a download cut midway', () => {
  let fake: Server
  afterAll(() => new Promise<void>((resolve) => (fake ? fake.close(() => resolve()) : resolve())))

  it('fails the stream with E_CONNECTION_RESET, not a raw Node error', async () => {
    // Promises 1,000 bytes, sends 10, then drops the connection.
    fake = createServer((_req, res) => {
      res.writeHead(200, { 'content-length': '1000', 'content-type': 'application/octet-stream' })
      res.write(Buffer.alloc(10, 0x61))
      setTimeout(() => res.socket?.destroy(), 20)
    })
    await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve))
    const port = (fake.address() as { port: number }).port
    const storage = await s3Storage(server, { endpoint: `http://127.0.0.1:${port}` })
    const stream = await storage.open('f.bin')
    const err = await streamToString(stream).then(() => undefined, (e: unknown) => e)
    expect(err).toBeInstanceOf(BackplaneError)
    expect(err).toMatchObject({ code: 'E_CONNECTION_RESET' })
    await storage.close()
  })
})
