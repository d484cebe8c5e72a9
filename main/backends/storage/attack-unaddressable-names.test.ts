import { PutObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3'
import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createBackend, testContext, type TestContext } from '../../../test/support/engine-context'
import type { S3TestServer } from '../../../test/support/s3-server'
import { describeService } from '../../../test/support/services'
import type { Storage, StorageEntry } from './base'
import { filesystemEngine } from './engines/filesystem'
import { s3Storage, TEST_BUCKET, useS3Server } from './engines/s3-fixture'
import { sftpEngine } from './engines/sftp'
import { trustOpenSshHost } from '../../../test/support/openssh-host-key'

/**
 * Names on disk or in a bucket that a Backplane name cannot address: a backslash is a separator to
 * normalizeName (docs/storage.md, Names), so a file literally called `a\b.txt` (made by scp, a shell, rclone, another app) is listed
 * under that name, but every method given the listed name acts on `a/b.txt`, another file. S3 already
 * leaves out keys no name can address (`a//b`, `.`, `..`); the others list them, and the GUI then acts
 * on the wrong file. What should hold: acting on a listed entry's name acts on that entry, or it is not listed.
 */
const contexts: TestContext[] = []
afterAll(() => contexts.forEach((c) => c.cleanup()))

/** Deletes, by the name the listing gave, the entry listed as `a\b.txt`; answers whether `a/b.txt` survived. */
async function deleteListedBackslashName(storage: Storage): Promise<void> {
  const listed = (await storage.list('')).entries.find((e: StorageEntry) => e.name === 'a\\b.txt')
  if (!listed) return // not listed: nothing can be done to it by mistake
  await storage.delete(listed.name).catch(() => {})
}

/** A filesystem storage over files written straight to disk (a `\\` in a name is part of it, not a separator). */
async function filesystemWith(files: Record<string, string>): Promise<{ storage: Storage; root: string }> {
  const ctx = testContext('storage')
  contexts.push(ctx)
  const root = join(ctx.dataDir, 'files')
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, name)), { recursive: true })
    writeFileSync(join(root, name), content)
  }
  return { storage: await createBackend<Storage>(filesystemEngine, {}, ctx), root }
}

describe('a name holding a backslash, made outside Backplane', () => {
  it('filesystem: deleting the listed "a\\b.txt" never deletes "a/b.txt"', async () => {
    const { storage, root } = await filesystemWith({ 'a/b.txt': 'the real a/b.txt', 'a\\b.txt': 'a file with a backslash in its name' })
    await deleteListedBackslashName(storage)
    expect(existsSync(join(root, 'a', 'b.txt'))).toBe(true)
  })

  it('filesystem: deleting the listed file "photos\\" never deletes the folder "photos" with everything in it', async () => {
    const { storage, root } = await filesystemWith({ 'photos/wedding.jpg': 'irreplaceable', 'photos\\': 'a stray file whose name ends in a backslash' })
    const listed = (await storage.list('')).entries.find((e) => e.name === 'photos\\')
    // Shown, it must be a file beside the folder; left out (the fix), nothing can be done to it by mistake.
    if (listed) expect(listed.type).toBe('file')
    if (listed) await storage.delete(listed.name).catch(() => {})
    expect(existsSync(join(root, 'photos', 'wedding.jpg'))).toBe(true)
  })

  describe('s3', () => {
    let server: S3TestServer
    let raw: S3Client
    useS3Server((started, client) => {
      server = started
      raw = client
    })

    it('deleting the listed "a\\b.txt" never deletes "a/b.txt"', async () => {
      const storage = await s3Storage(server)
      const prefix = (storage as unknown as { prefix: string }).prefix
      await raw.send(new PutObjectCommand({ Bucket: TEST_BUCKET, Key: `${prefix}a/b.txt`, Body: 'the real a/b.txt' }))
      await raw.send(new PutObjectCommand({ Bucket: TEST_BUCKET, Key: `${prefix}a\\b.txt`, Body: 'a key with a backslash' }))
      await deleteListedBackslashName(storage)
      const keys = (await raw.send(new ListObjectsV2Command({ Bucket: TEST_BUCKET, Prefix: prefix }))).Contents?.map((o) => o.Key)
      expect(keys).toContain(`${prefix}a/b.txt`)
    })
  })
})

describeService('sftp', 'a name holding a backslash on the SFTP server', (env) => {
  it('sftp: deleting the listed "a\\b.txt" never deletes "a/b.txt"', async (t) => {
    const url = new URL(env.BACKPLANE_TEST_SFTP_URL!)
    const user = decodeURIComponent(url.username)
    // The testbed's server is this machine: the files are planted directly, as another user of the server would.
    const home = `/home/${user}`
    if (!existsSync(home)) t.skip(`${home} is not on this machine`)
    const ctx = testContext('storage', { engine: 'sftp' })
    contexts.push(ctx)
    const port = Number(url.port || 22)
    await trustOpenSshHost(ctx.dataDir, url.hostname, port)
    const root = `bp-attack-backslash-${process.pid}-${randomBytes(3).toString('hex')}`
    mkdirSync(join(home, root, 'a'), { recursive: true })
    writeFileSync(join(home, root, 'a', 'b.txt'), 'the real a/b.txt')
    writeFileSync(join(home, root, 'a\\b.txt'), 'a file with a backslash in its name')
    execFileSync('chown', ['-R', `${user}:${user}`, join(home, root)])
    const storage = await createBackend<Storage>(sftpEngine, { host: url.hostname, port, user, privateKey: readFileSync(env.BACKPLANE_TEST_SFTP_KEY!, 'utf8'), root }, ctx)
    try {
      await deleteListedBackslashName(storage)
      expect(existsSync(join(home, root, 'a', 'b.txt'))).toBe(true)
    } finally {
      await storage.close()
      rmSync(join(home, root), { recursive: true, force: true })
    }
  })
})
