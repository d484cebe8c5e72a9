import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3'
import { describe, expect, it } from 'vitest'
import type { S3TestServer } from '../../../test/support/s3-server'
import { streamToString, type Storage } from './base'
import { s3Storage, TEST_BUCKET, useS3Server, keysUnder } from './engines/s3-fixture'

/**
 * S3 keys written by someone else (rclone, django-storages, the console) that the other engines cannot
 * have: a file "a" and keys under "a/" side by side. The listing shows both, a file "a" and a folder "a";
 * acting on the file must not touch the folder.
 */
let server: S3TestServer
let raw: S3Client
useS3Server((started, client) => {
  server = started
  raw = client
})

async function fileAndFolderOfOneName(): Promise<{ storage: Storage; prefix: string }> {
  const pending = s3Storage(server)
  const storage = await pending
  const prefix = (storage as unknown as { prefix: string }).prefix
  await raw.send(new PutObjectCommand({ Bucket: TEST_BUCKET, Key: `${prefix}reports`, Body: 'the file' }))
  await raw.send(new PutObjectCommand({ Bucket: TEST_BUCKET, Key: `${prefix}reports/2024.pdf`, Body: 'a report in the folder' }))
  return { storage, prefix }
}

describe('s3: a file and a folder of the same name', () => {
  it('delete() of the file leaves the folder\'s files alone', async () => {
    const { storage, prefix } = await fileAndFolderOfOneName()
    // The premise: the listing shows both, so the user can pick the file.
    expect((await storage.list('')).entries.map((e) => `${e.type}:${e.name}`)).toEqual(['file:reports', 'dir:reports'])
    await storage.delete('reports')
    expect(await keysUnder(raw, `${prefix}reports/`)).toEqual([`${prefix}reports/2024.pdf`])
  })

  it('move() of the file moves the file only', async () => {
    const { storage, prefix } = await fileAndFolderOfOneName()
    await storage.move('reports', 'reports.txt')
    expect(await streamToString(await storage.open('reports.txt'))).toBe('the file')
    expect(await keysUnder(raw, `${prefix}reports/`)).toEqual([`${prefix}reports/2024.pdf`])
  })
})

describe('s3: byte ranges as every engine reads them', () => {
  // docs/storage.md, open(): "A start past the end reads nothing" (the filesystem and memory engines do);
  // S3 answers 416 InvalidRange, which the engine passes on as E_INVALID_INPUT.
  it('a range that starts at or past the end reads nothing', async () => {
    const storage = await s3Storage(server)
    await storage.put('digits.txt', '0123456789')
    expect(await streamToString(await storage.open('digits.txt', { range: { start: 10 } }))).toBe('')
    expect(await streamToString(await storage.open('digits.txt', { range: { start: 100, end: 200 } }))).toBe('')
  })
})
