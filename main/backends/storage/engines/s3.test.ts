import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3'
import { createHash } from 'node:crypto'
import { Readable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { storageContract } from '../../../../test/contracts/storage.contract'
import type { S3TestServer } from '../../../../test/support/s3-server'
import { ErrorCode } from '../../../core/errors'
import { streamToString, type Storage } from '../base'
import type { S3Storage } from './s3'
import { S3Options } from './s3-options'
import { eventually, openUploads, patterned, s3Storage, TEST_BUCKET, useS3Server, keysUnder } from './s3-fixture'
import { using } from '../../contracts/harness'

let server: S3TestServer
let raw: S3Client
useS3Server((started, client) => {
  server = started
  raw = client
})

storageContract('s3 (on s3rver)', () => s3Storage(server))

const MiB = 1024 * 1024

async function sha256Of(stream: Readable): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of stream) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

describe('s3 options', () => {
  const base = { bucket: 'media', accessKeyId: 'AKIA', secretAccessKey: 'secret' }
  it('takes the key prefix as a root: slashes trimmed, "." and ".." refused', () => {
    expect(S3Options.parse({ ...base, prefix: '/media//uploads/' }).prefix).toBe('media/uploads/')
    expect(S3Options.parse(base).prefix).toBe('')
    for (const prefix of ['../other', 'a/../b', './a', 'a\\b']) expect(S3Options.safeParse({ ...base, prefix }).success, prefix).toBe(false)
  })

  it('bounds the presign expiry and the part size', () => {
    expect(S3Options.safeParse({ ...base, presignExpirySeconds: 8 * 24 * 3600 }).success).toBe(false)
    expect(S3Options.safeParse({ ...base, partSizeMiB: 4 }).success).toBe(false)
    expect(S3Options.safeParse({ ...base, bucket: 'a/b' }).success).toBe(false)
  })
})

describe('s3 engine on s3rver', () => {
  it('uploads a file larger than a part as a multipart upload, reads back the same bytes and leaves no upload open', async () => {
    await using(s3Storage(server, { partSizeMiB: 5 }), async (storage) => {
      const size = 12 * MiB + 123
      const source = patterned(size, { pauseAt: 6 * MiB })
      const key = `${(storage as S3Storage)['prefix']}big/blob.bin`
      const put = storage.put('big/blob.bin', source.stream, { size })
      await source.paused
      // The first 5 MiB part went up under a multipart upload that is not an object yet.
      await eventually(async () => (await openUploads(raw, key)).length === 1, 'the multipart upload is open')
      expect(await storage.exists('big/blob.bin')).toBe(false)
      source.resume()
      expect(await put).toBe('big/blob.bin')
      expect((await storage.stat('big/blob.bin')).size).toBe(size)
      expect(await sha256Of(await storage.open('big/blob.bin'))).toBe(source.sha256())
      expect(await openUploads(raw, key)).toEqual([])
    })
  })

  it('aborts the multipart upload when the write is cancelled midway, leaving no object and no parts', async () => {
    await using(s3Storage(server, { partSizeMiB: 5 }), async (storage) => {
      const source = patterned(20 * MiB, { pauseAt: 6 * MiB })
      const key = `${(storage as S3Storage)['prefix']}cancel/blob.bin`
      const controller = new AbortController()
      const put = storage.put('cancel/blob.bin', source.stream, { signal: controller.signal })
      await source.paused
      await eventually(async () => (await openUploads(raw, key)).length === 1, 'the multipart upload is open')
      controller.abort()
      await expect(put).rejects.toMatchObject({ code: ErrorCode.E_CANCELLED })
      expect(await openUploads(raw, key)).toEqual([])
      expect(await keysUnder(raw, key)).toEqual([])
      expect(await storage.exists('cancel/blob.bin')).toBe(false)
    })
  })

  it('reads a byte range', async () => {
    await using(s3Storage(server), async (storage) => {
      await storage.put('range/abc.txt', 'abcdefghij')
      expect(await streamToString(await storage.open('range/abc.txt', { range: { start: 2, end: 4 } }))).toBe('cde')
      expect(await streamToString(await storage.open('range/abc.txt', { range: { start: 7 } }))).toBe('hij')
    })
  })

  it('stores the content type given, or the one of the extension', async () => {
    await using(s3Storage(server), async (storage) => {
      await storage.put('types/photo.png', 'x')
      await storage.put('types/data', 'x', { contentType: 'application/vnd.backplane+json' })
      expect((await storage.stat('types/photo.png')).contentType).toBe('image/png')
      expect((await storage.stat('types/data')).contentType).toBe('application/vnd.backplane+json')
    })
  })

  it('refuses to replace a file unless asked, and replaces it when asked', async () => {
    await using(s3Storage(server), async (storage) => {
      await storage.put('exclusive/a.txt', 'one')
      const unread = Readable.from([Buffer.from('two')])
      await expect(storage.put('exclusive/a.txt', unread)).rejects.toMatchObject({ code: ErrorCode.E_EXISTS })
      // Refused before any content was read, so save() can try another name with the same stream.
      expect(unread.readableDidRead).toBe(false)
      await storage.put('exclusive/a.txt', 'three', { overwrite: true })
      expect(await streamToString(await storage.open('exclusive/a.txt'))).toBe('three')
    })
  })

  it('shows prefixes as folders, makes empty folders with a marker, and lists no marker as a file', async () => {
    await using(s3Storage(server), async (storage) => {
      await storage.makeFolder('tree/empty')
      await storage.put('tree/full/f.txt', 'f')
      expect(await storage.stat('tree/empty')).toMatchObject({ type: 'dir' })
      expect((await storage.list('tree')).entries.map((e) => [e.name, e.type])).toEqual([
        ['tree/empty', 'dir'],
        ['tree/full', 'dir'],
      ])
      expect((await storage.list('tree/empty')).entries).toEqual([])
      await expect(storage.open('tree/full')).rejects.toMatchObject({ code: ErrorCode.E_IS_DIRECTORY })
      await expect(storage.put('tree/full', 'x')).rejects.toMatchObject({ code: ErrorCode.E_IS_DIRECTORY })
      await expect(storage.makeFolder('tree/full/f.txt')).rejects.toMatchObject({ code: ErrorCode.E_EXISTS })
    })
  })

  it('sorts a folder before names that extend it with "-" or "." across pages, never skipping or repeating one', async () => {
    await using(s3Storage(server), async (storage) => {
      const files = ['sort/a', 'sort/a-b', 'sort/a.txt', 'sort/a0', 'sort/b', 'sort/a/inner.txt', 'sort/a.d/inner.txt']
      for (const name of files) await storage.put(name, name)
      const expected = ['sort/a', 'sort/a', 'sort/a-b', 'sort/a.d', 'sort/a.txt', 'sort/a0', 'sort/b']
      expect((await storage.list('sort')).entries.map((e) => e.name)).toEqual(expected)
      for (const limit of [1, 2, 3]) {
        const seen: string[] = []
        let cursor: string | null = null
        do {
          const page: Awaited<ReturnType<Storage['list']>> = await storage.list('sort', { cursor, limit })
          expect(page.entries.length).toBeLessThanOrEqual(limit)
          seen.push(...page.entries.map((e) => `${e.name}:${e.type}`))
          cursor = page.cursor
        } while (cursor)
        expect(seen, `pages of ${limit}`).toEqual(['sort/a:file', 'sort/a:dir', 'sort/a-b:file', 'sort/a.d:dir', 'sort/a.txt:file', 'sort/a0:file', 'sort/b:file'])
      }
    })
  })

  it('deletes a folder with every key under it, in batches, and nothing beside it', async () => {
    await using(s3Storage(server), async (storage) => {
      for (let i = 0; i < 30; i++) await storage.put(`del/many/${i % 3}/f${i}.txt`, 'x')
      await storage.put('del/many-not/keep.txt', 'keep')
      await storage.put('del/many.txt', 'keep')
      await storage.delete('del/many')
      expect(await storage.exists('del/many')).toBe(false)
      expect((await storage.list('del')).entries.map((e) => e.name)).toEqual(['del/many-not', 'del/many.txt'])
    })
  })

  it('copies and moves files and folders on the server, folder markers included', async () => {
    await using(s3Storage(server), async (storage) => {
      await storage.put('cp/src/a.txt', 'a')
      await storage.put('cp/src/deep/b.txt', 'b')
      await storage.makeFolder('cp/src/empty')
      await storage.copy('cp/src', 'cp/copy')
      expect(await streamToString(await storage.open('cp/copy/deep/b.txt'))).toBe('b')
      expect(await storage.stat('cp/copy/empty')).toMatchObject({ type: 'dir' })
      await expect(storage.copy('cp/src/a.txt', 'cp/copy/a.txt')).rejects.toMatchObject({ code: ErrorCode.E_EXISTS })
      await storage.move('cp/copy', 'cp/moved')
      expect(await storage.exists('cp/copy')).toBe(false)
      expect((await storage.listdir('cp/moved'))).toEqual([['deep', 'empty'], ['a.txt']])
      await storage.move('cp/moved/a.txt', 'cp/renamed.txt')
      expect(await streamToString(await storage.open('cp/renamed.txt'))).toBe('a')
      expect(await storage.exists('cp/moved/a.txt')).toBe(false)
    })
  })

  it('moves a folder without deleting a file written into it while the move ran', async () => {
    await using(s3Storage(server), async (storage) => {
      await storage.put('mv/src/a.txt', 'a')
      await storage.put('mv/src/b.txt', 'b')
      // Another client writes into the folder as its first key is copied.
      const engine = storage as unknown as { copyKey: (...args: unknown[]) => Promise<void> }
      const copyKey = engine.copyKey.bind(storage)
      let written = false
      engine.copyKey = async (...args: unknown[]) => {
        if (!written) {
          written = true
          await storage.put('mv/src/late.txt', 'written meanwhile')
        }
        return copyKey(...args)
      }
      await storage.move('mv/src', 'mv/dst')
      expect(await streamToString(await storage.open('mv/dst/b.txt'))).toBe('b')
      // Not copied (the listing had passed it, or not): either way, not lost.
      const late = (await storage.exists('mv/dst/late.txt')) ? 'mv/dst/late.txt' : 'mv/src/late.txt'
      expect(await streamToString(await storage.open(late))).toBe('written meanwhile')
      expect(await storage.exists('mv/src/a.txt')).toBe(false)
    })
  })

  it('keeps to its prefix: lists and touches no key outside it, and refuses names with ".."', async () => {
    await raw.send(new PutObjectCommand({ Bucket: TEST_BUCKET, Key: 'outside/secret.txt', Body: 'no' }))
    await raw.send(new PutObjectCommand({ Bucket: TEST_BUCKET, Key: 'root-sibling/x.txt', Body: 'no' }))
    await using(s3Storage(server, { prefix: 'root' }), async (storage) => {
      await storage.put('inside.txt', 'yes')
      expect((await storage.list('')).entries.map((e) => e.name)).toEqual(['inside.txt'])
      for (const name of ['../outside/secret.txt', 'a/../../outside/secret.txt', '..', '../root-sibling/x.txt', '/outside/secret.txt']) {
        await expect(storage.open(name), name).rejects.toMatchObject({ code: ErrorCode.E_PATH_OUTSIDE_ROOT })
        await expect(storage.delete(name), name).rejects.toMatchObject({ code: ErrorCode.E_PATH_OUTSIDE_ROOT })
        await expect(storage.put(name, 'x'), name).rejects.toMatchObject({ code: ErrorCode.E_PATH_OUTSIDE_ROOT })
      }
    })
    expect(await keysUnder(raw, 'outside/')).toEqual(['outside/secret.txt'])
    expect(await keysUnder(raw, 'root')).toEqual(['root-sibling/x.txt', 'root/inside.txt'])
  })

  it('gives a presigned GET URL that works with plain fetch, and a PUT URL that uploads', async () => {
    await using(s3Storage(server), async (storage) => {
      await storage.put('share/hello.txt', 'hello from s3')
      const get = await storage.presignedUrl('share/hello.txt', { expiresInSeconds: 60 })
      expect(get).toMatch(/X-Amz-Expires=60/)
      const response = await fetch(get!)
      expect(response.status).toBe(200)
      expect(await response.text()).toBe('hello from s3')
      const put = await storage.presignedUrl('share/up.txt', { method: 'PUT' })
      expect((await fetch(put!, { method: 'PUT', body: 'uploaded' })).status).toBe(200)
      expect(await streamToString(await storage.open('share/up.txt'))).toBe('uploaded')
      // The expiry is bounded by what SigV4 allows.
      expect(await storage.presignedUrl('share/hello.txt', { expiresInSeconds: 30 * 24 * 3600 })).toMatch(/X-Amz-Expires=604800/)
    })
  })

  it('reports the bucket and endpoint as its version', async () => {
    await using(s3Storage(server), async (storage) => {
      const report = await storage.check()
      expect(report.state).toBe('ok')
      expect(report.version).toBe(`bucket ${TEST_BUCKET}, prefix ${(storage as S3Storage)['prefix']} on ${new URL(server.endpoint).host}`)
    })
  })
})
