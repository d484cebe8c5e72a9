import type { S3Client } from '@aws-sdk/client-s3'
import { describe, expect, it } from 'vitest'
import type { S3TestServer } from '../../../../test/support/s3-server'
import { BackplaneError, ErrorCode } from '../../../core/errors'
import { using } from '../../contracts/harness'
import type { S3Storage } from './s3'
import { eventually, openUploads, patterned, s3Storage, useS3Server } from './s3-fixture'

const MiB = 1024 * 1024
const WRONG_SECRET = 'wrong-secret-Zq8vX2'

let server: S3TestServer
let raw: S3Client
useS3Server((started, client) => {
  server = started
  raw = client
})

async function errorOf(promise: Promise<unknown>): Promise<BackplaneError> {
  try {
    await promise
  } catch (err) {
    expect(err).toBeInstanceOf(BackplaneError)
    return err as BackplaneError
  }
  throw new Error('expected a rejection')
}

async function streamText(stream: NodeJS.ReadableStream): Promise<string> {
  let text = ''
  for await (const chunk of stream) text += Buffer.from(chunk as Uint8Array).toString('utf8')
  return text
}

describe('s3 engine faults', () => {
  it('says a wrong secret key is E_AUTH, on writes, reads, stats and the health check, never showing the secret or the signature', async () => {
    await using(s3Storage(server, { secretAccessKey: WRONG_SECRET }), async (storage) => {
      const errors = [
        await errorOf(storage.put('auth/x.txt', 'x')),
        await errorOf(storage.open('auth/x.txt')),
        await errorOf(storage.stat('auth/x.txt')),
        await errorOf(storage.list('auth')),
      ]
      const report = await storage.check()
      expect(report.state).toBe('down')
      expect(report.error?.code).toBe(ErrorCode.E_AUTH)
      for (const error of errors) {
        expect(error.code, error.message).toBe(ErrorCode.E_AUTH)
        expect(error.hint).toMatch(/secret access key/)
      }
      const everything = JSON.stringify([...errors.map((e) => ({ message: e.message, hint: e.hint, details: e.details, cause: String(e.cause) })), report])
      expect(everything).not.toContain(WRONG_SECRET)
      expect(everything).not.toMatch(/Signature=|StringToSign|SignatureProvided|[0-9a-f]{64}/)
    })
  })

  it('says a 403 from the server (a key that may only read) is E_PERMISSION with a hint, and leaves nothing behind', async () => {
    await using(s3Storage(server), async (writer) => {
      await writer.put('denied/kept.txt', 'kept')
      const prefix = (await writer.rootPlace()).split('/bp-s3-engine/')[1]!
      await using(s3Storage(server, { ...server.readOnly, prefix }), async (reader) => {
        // Reading and listing are allowed, so the alias is healthy; every kind of write is refused.
        expect((await reader.list('denied')).entries.map((e) => e.name)).toEqual(['denied/kept.txt'])
        expect((await reader.check()).state).not.toBe('down')
        const errors = [
          await errorOf(reader.put('denied/new.txt', 'x')),
          await errorOf(reader.put('denied/kept.txt', 'y', { overwrite: true })),
          await errorOf(reader.save('denied/big.bin', patterned(12 * MiB).stream)),
          await errorOf(reader.delete('denied/kept.txt')),
          await errorOf(reader.makeFolder('denied/sub')),
        ]
        for (const error of errors) {
          expect(error.code, error.message).toBe(ErrorCode.E_PERMISSION)
          expect(error.status).toBe(403)
          expect(error.message).toMatch(/denied/i)
          expect(error.hint).toBeTruthy()
          expect(JSON.stringify({ m: error.message, h: error.hint, d: error.details })).not.toContain(server.readOnly.secretAccessKey + '/')
        }
      })
      const [, files] = await writer.listdir('denied')
      expect(files).toEqual(['kept.txt'])
      expect(await streamText(await writer.open('denied/kept.txt'))).toBe('kept')
      expect(await openUploads(raw)).toEqual([])
    })
  })

  it('says an unknown access key ID is E_AUTH and names the key ID', async () => {
    await using(s3Storage(server, { accessKeyId: 'AKIANOSUCHKEY' }), async (storage) => {
      const error = await errorOf(storage.list(''))
      expect(error.code).toBe(ErrorCode.E_AUTH)
      expect(error.message).toContain('AKIANOSUCHKEY')
    })
  })

  it('says a missing bucket does not exist, by name, in the health check and on use', async () => {
    await using(s3Storage(server, { bucket: 'no-such-bucket' }), async (storage) => {
      const report = await storage.check()
      expect(report.state).toBe('down')
      expect(report.steps[0]).toMatchObject({ name: 'open', ok: false })
      expect(report.error).toMatchObject({ code: ErrorCode.E_NOT_FOUND, message: expect.stringContaining('"no-such-bucket" does not exist') })
      for (const attempt of [() => storage.put('x.txt', 'x'), () => storage.stat('x.txt'), () => storage.list('')]) {
        const error = await errorOf(attempt())
        expect(error.code).toBe(ErrorCode.E_NOT_FOUND)
        expect(error.message).toContain('bucket "no-such-bucket"')
      }
    })
  })

  it('answers within seconds with E_CONNECTION_REFUSED where nothing listens, and E_DNS for a name that does not resolve', async () => {
    await using(s3Storage(server, { endpoint: 'http://127.0.0.1:9' }), async (storage) => {
      const started = Date.now()
      expect((await errorOf(storage.stat('x.txt'))).code).toBe(ErrorCode.E_CONNECTION_REFUSED)
      expect(Date.now() - started).toBeLessThan(15_000)
    })
    await using(s3Storage(server, { endpoint: 'http://backplane-no-such-host.invalid' }), async (storage) => {
      expect((await errorOf(storage.stat('x.txt'))).code).toBe(ErrorCode.E_DNS)
    })
  })

  it('fails a write with a typed error when the server dies midway, and no object has that name after it is back', async () => {
    const made = s3Storage(server, { partSizeMiB: 5 })
    await using(made, async (storage) => {
      const source = patterned(20 * MiB, { pauseAt: 6 * MiB })
      const key = `${(storage as S3Storage)['prefix']}crash/blob.bin`
      const put = storage.put('crash/blob.bin', source.stream)
      put.catch(() => {})
      await source.paused
      await eventually(async () => (await openUploads(raw, key)).length === 1, 'the multipart upload is open')
      await server.kill()
      const started = Date.now()
      source.resume()
      const error = await errorOf(put)
      expect([ErrorCode.E_CONNECTION_REFUSED, ErrorCode.E_CONNECTION_RESET]).toContain(error.code)
      expect(Date.now() - started).toBeLessThan(15_000)
      await server.restart()
      expect(await storage.exists('crash/blob.bin')).toBe(false)
      // The server was gone, so the upload could not be aborted: the log says so (its parts never show as a file).
      expect(made.ctx.logs.map((r) => r.message).join('\n')).toMatch(/Could not abort the unfinished multipart upload [0-9a-f]+ of ".*crash\/blob\.bin"/)
    })
  })
})
