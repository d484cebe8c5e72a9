import { execFile } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createBackend, testContext, type TestContext } from '../../../../test/support/engine-context'
import { startS3Server, type S3TestServer } from '../../../../test/support/s3-server'
import { describeService, type ServiceEnv } from '../../../../test/support/services'
import type { Storage } from '../base'
import { s3Engine } from './s3'
import { sftpEngine } from './sftp'
import { trustOpenSshHost } from '../../../../test/support/openssh-host-key'

/**
 * The other side of the wire, for real: rclone (Debian's) reads what our S3 and SFTP engines wrote, and
 * our engines read what rclone wrote — same names, same bytes, same sizes, folders where rclone shows
 * folders. rclone is configured on the command line only (`:s3,…:` / `:sftp,…:` remotes), so nothing of
 * the user's own rclone.conf is read.
 */
const RCLONE = '/usr/bin/rclone'
const run = promisify(execFile)
// An AWS_CA_BUNDLE in the environment (some machines set one for proxies) makes rclone's S3 client
// refuse its own HTTP transport; the test servers are plain HTTP on loopback, so no bundle is needed.
const { AWS_CA_BUNDLE: _bundle, ...rcloneEnv } = process.env
const contexts: TestContext[] = []
afterAll(() => contexts.forEach((c) => c.cleanup()))

async function rclone(...args: string[]): Promise<string> {
  const { stdout } = await run(RCLONE, ['--config', '/dev/null', '--retries', '1', '--low-level-retries', '1', ...args], { env: rcloneEnv, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
  return stdout
}

async function rcloneCat(remote: string): Promise<Buffer> {
  const { stdout } = await run(RCLONE, ['--config', '/dev/null', 'cat', remote], { env: rcloneEnv, encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 })
  return stdout
}

interface Listed {
  Path: string
  Size: number
  IsDir: boolean
}

async function lsjson(remote: string): Promise<Listed[]> {
  return (JSON.parse(await rclone('lsjson', '-R', remote)) as Listed[]).sort((a, b) => (a.Path < b.Path ? -1 : 1))
}

async function streamToBuffer(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array))
  return Buffer.concat(chunks)
}

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex')

/** The same exchange against any remote: we write, rclone reads; rclone writes, we read. */
function exchanges(remoteOf: () => string, storageOf: () => Storage): void {
  const payload = randomBytes(3 * 1024 * 1024 + 17)

  it('rclone lists and reads back, byte for byte, what Backplane wrote', async () => {
    const storage = storageOf()
    await storage.put('ours/report 2026.pdf', payload)
    await storage.put('ours/notes/übersicht.txt', 'Grüße')
    await storage.makeFolder('ours/empty-later')
    await storage.put('ours/empty-later/x', '')
    const listed = await lsjson(`${remoteOf()}/ours`)
    expect(listed.filter((e) => !e.IsDir).map((e) => [e.Path, e.Size])).toEqual([
      ['empty-later/x', 0],
      ['notes/übersicht.txt', Buffer.byteLength('Grüße')],
      ['report 2026.pdf', payload.length],
    ])
    expect(listed.filter((e) => e.IsDir).map((e) => e.Path)).toEqual(expect.arrayContaining(['notes', 'empty-later']))
    expect(sha(await rcloneCat(`${remoteOf()}/ours/report 2026.pdf`))).toBe(sha(payload))
    expect((await rcloneCat(`${remoteOf()}/ours/notes/übersicht.txt`)).toString('utf8')).toBe('Grüße')
  })

  it('Backplane lists and reads back what rclone wrote', async () => {
    const storage = storageOf()
    await rcat(`${remoteOf()}/theirs/deep/data.bin`, payload)
    await rcat(`${remoteOf()}/theirs/a b.txt`, Buffer.from('spaced'))
    const top = await storage.list('theirs')
    expect(top.entries.map((e) => [e.name, e.type])).toEqual([
      ['theirs/a b.txt', 'file'],
      ['theirs/deep', 'dir'],
    ])
    expect((await storage.stat('theirs/deep/data.bin')).size).toBe(payload.length)
    expect(sha(await streamToBuffer(await storage.open('theirs/deep/data.bin')))).toBe(sha(payload))
    const [dirs, files] = await storage.listdir('theirs')
    expect([dirs, files]).toEqual([['deep'], ['a b.txt']])
    // A range read of rclone's file is the same bytes as a slice of it.
    expect(sha(await streamToBuffer(await storage.open('theirs/deep/data.bin', { range: { start: 1000, end: 1999 } })))).toBe(sha(payload.subarray(1000, 2000)))
  })

  it('what Backplane deletes, rclone no longer sees', async () => {
    const storage = storageOf()
    await storage.put('gone/one.txt', '1')
    await storage.put('gone/sub/two.txt', '2')
    await storage.delete('gone')
    const after = await rclone('lsf', '-R', `${remoteOf()}`).catch(() => '')
    expect(after.split('\n').filter((l) => l.startsWith('gone'))).toEqual([])
  })
}

async function rcat(remote: string, bytes: Buffer): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const child = execFile(RCLONE, ['--config', '/dev/null', 'rcat', remote], { env: rcloneEnv }, (err) => (err ? reject(err) : resolve()))
    // rclone may fail before it reads its input; the exit status says why, not the broken pipe.
    child.stdin!.on('error', () => undefined)
    child.stdin!.end(bytes)
  })
}

const haveRclone = existsSync(RCLONE)

describe.skipIf(!haveRclone)('rclone and the s3 engine see the same bucket', () => {
  let server: S3TestServer
  let storage: Storage
  const prefix = `rclone-${process.pid}-${randomBytes(3).toString('hex')}`
  beforeAll(async () => {
    server = await startS3Server({ buckets: ['bp-rclone'] })
    const ctx = testContext('storage', { engine: 's3' })
    contexts.push(ctx)
    storage = await createBackend<Storage>(s3Engine, { endpoint: server.endpoint, accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey, bucket: 'bp-rclone', prefix: `${prefix}/` }, ctx)
  })
  afterAll(async () => {
    await storage?.close()
    await server?.stop()
  })
  const remote = () =>
    `:s3,provider=Other,env_auth=false,access_key_id=${server.accessKeyId},secret_access_key=${server.secretAccessKey},endpoint='${server.endpoint}',force_path_style=true,region=${server.region}:bp-rclone/${prefix}`
  exchanges(remote, () => storage)
})

describeService('sftp', 'rclone and the sftp engine see the same folder', (env: ServiceEnv) => {
  let storage: Storage
  const url = new URL(env.BACKPLANE_TEST_SFTP_URL!)
  const host = url.hostname
  const port = Number(url.port || 22)
  const root = `bp-rclone-${process.pid}-${randomBytes(3).toString('hex')}`
  beforeAll(async () => {
    if (!haveRclone) throw new Error(`${RCLONE} is missing: apt-get install rclone (CI installs it)`)
    const ctx = testContext('storage', { engine: 'sftp' })
    contexts.push(ctx)
    await trustOpenSshHost(ctx.dataDir, host, port)
    storage = await createBackend<Storage>(sftpEngine, { host, port, user: decodeURIComponent(url.username), privateKey: readFileSync(env.BACKPLANE_TEST_SFTP_KEY!, 'utf8'), root }, ctx)
    await storage.makeFolder('')
  })
  afterAll(async () => {
    await rclone('purge', remote()).catch(() => undefined)
    await storage?.close()
  })
  const remote = () => `:sftp,host=${host},port=${port},user=${decodeURIComponent(url.username)},key_file='${env.BACKPLANE_TEST_SFTP_KEY}':${root}`
  exchanges(remote, () => storage)
})
