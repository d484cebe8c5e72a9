import { ListMultipartUploadsCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3'
import { createHash } from 'node:crypto'
import { Readable } from 'node:stream'
import { createBackend, testContext, type TestContext } from '../../../../test/support/engine-context'
import { afterAll, beforeAll } from 'vitest'
import { startS3Server, type S3TestServer } from '../../../../test/support/s3-server'
import { s3Engine, type S3Storage } from './s3'

/**
 * Storages on a test s3rver for the S3 engine's tests: each one under a prefix of its own, so tests
 * never see each other's keys, plus a raw client to look at what really is in the bucket.
 */
export const TEST_BUCKET = 'bp-s3-engine'

let serial = 0

export function s3Storage(server: S3TestServer, options: Record<string, unknown> = {}): Promise<S3Storage> & { ctx: TestContext } {
  const ctx = testContext('storage', { engine: 's3', alias: 'bucket' })
  const storage = createBackend<S3Storage>(
    s3Engine,
    { endpoint: server.endpoint, accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey, bucket: TEST_BUCKET, prefix: `t${process.pid}-${++serial}/`, ...options },
    ctx,
  )
  return Object.assign(storage, { ctx })
}

export function rawClient(server: S3TestServer): S3Client {
  return new S3Client({
    endpoint: server.endpoint,
    region: server.region,
    forcePathStyle: true,
    credentials: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  })
}

/** Every key in the test bucket under a prefix, sorted: what really is there, whatever the engine lists. */
export async function keysUnder(client: S3Client, prefix: string): Promise<string[]> {
  const out = await client.send(new ListObjectsV2Command({ Bucket: TEST_BUCKET, Prefix: prefix }))
  return (out.Contents ?? []).map((o) => o.Key ?? '').sort()
}

/** Keys of the multipart uploads begun and neither completed nor aborted. */
export async function openUploads(client: S3Client, keyPrefix = ''): Promise<string[]> {
  const out = await client.send(new ListMultipartUploadsCommand({ Bucket: TEST_BUCKET, Prefix: keyPrefix }))
  return (out.Uploads ?? []).map((u) => u.Key ?? '').filter((k) => k.startsWith(keyPrefix))
}

export async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`Timed out waiting until ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

const MiB = 1024 * 1024

/**
 * `size` bytes of a repeatable pattern in 1 MiB chunks, with the SHA-256 of what was produced; with
 * `pauseAt`, it stops producing there until resume(), so a test can act in the middle of an upload.
 */
export function patterned(size: number, { pauseAt }: { pauseAt?: number } = {}) {
  const hash = createHash('sha256')
  let sent = 0
  let markPaused: () => void = () => {}
  let resume: () => void = () => {}
  const paused = new Promise<void>((resolve) => (markPaused = resolve))
  const resumed = new Promise<void>((resolve) => (resume = resolve))
  const next = (stream: Readable): void => {
    if (sent >= size) return void stream.push(null)
    const chunk = Buffer.alloc(Math.min(MiB, size - sent), sent % 251)
    chunk.writeUInt32BE(sent, 0)
    sent += chunk.length
    hash.update(chunk)
    stream.push(chunk)
  }
  const stream = new Readable({
    read() {
      if (pauseAt !== undefined && sent >= pauseAt) {
        markPaused()
        void resumed.then(() => next(this))
      } else next(this)
    },
  })
  return { stream, sha256: () => hash.digest('hex'), paused, resume }
}

/**
 * Starts an s3rver with the test bucket for the enclosing file or describe block, hands it and a raw
 * client to `use`, and stops both afterwards.
 */
export function useS3Server(use: (server: S3TestServer, raw: S3Client) => void): void {
  let server: S3TestServer | undefined
  let raw: S3Client | undefined
  beforeAll(async () => {
    server = await startS3Server({ buckets: [TEST_BUCKET] })
    raw = rawClient(server)
    use(server, raw)
  })
  afterAll(async () => {
    raw?.destroy()
    await server?.stop()
  })
}
