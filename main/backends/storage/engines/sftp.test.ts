import { execFileSync } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { connect, createServer, type Server, type Socket } from 'node:net'
import { Readable } from 'node:stream'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { storageContract } from '../../../../test/contracts/storage.contract'
import { createBackend, testContext, type TestContext } from '../../../../test/support/engine-context'
import { describeService, type ServiceEnv } from '../../../../test/support/services'
import { BackplaneError } from '../../../core/errors'
import { createLogger } from '../../../core/log'
import { pinHostKey } from '../../../core/ssh/known-hosts'
import { streamToString, type Storage } from '../base'
import { sftpEngine, type SftpStorage } from './sftp'
import { SftpOptions } from './sftp-options'
import { SftpSession, type SftpChannel } from './sftp-session'
import { openSshFingerprint } from '../../../../test/support/openssh-host-key'

// --- the testbed's SFTP user ----------------------------------------------------------------------

interface Server_ {
  host: string
  port: number
  user: string
  password: string
  privateKey: string
}

/** Every test works under this folder of the SFTP user's home, removed at the end. */
const BASE = `bp-sftp-engine-test-${process.pid}-${randomBytes(3).toString('hex')}`
const contexts: TestContext[] = []
const storages: Storage[] = []
/** Every secret a test gave an engine, looked for in every error and log line at the end. */
const secrets = new Set<string>()
const errors: BackplaneError[] = []
let folders = 0

function serverOf(env: ServiceEnv): Server_ {
  const url = new URL(env.BACKPLANE_TEST_SFTP_URL!)
  return {
    host: url.hostname,
    port: Number(url.port || 22),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    privateKey: readFileSync(env.BACKPLANE_TEST_SFTP_KEY!, 'utf8'),
  }
}

async function failure(promise: Promise<unknown>): Promise<BackplaneError> {
  try {
    await promise
  } catch (err) {
    expect(err).toBeInstanceOf(BackplaneError)
    errors.push(err as BackplaneError)
    return err as BackplaneError
  }
  throw new Error('expected a failure')
}

/** A fresh storage under a folder of its own, the host key pinned in its data directory (as the GUI's first-connect prompt does). */
async function sftpStorage(server: Server_, options: Record<string, unknown> = {}, pin: { port?: number; fingerprint?: string | null; createRoot?: boolean } = {}): Promise<Storage> {
  const ctx = testContext('storage', { engine: 'sftp' })
  contexts.push(ctx)
  const port = pin.port ?? server.port
  if (pin.fingerprint !== null) await pinHostKey(ctx.dataDir, server.host, port, pin.fingerprint ?? openSshFingerprint(server.host, server.port), 'ssh-ed25519')
  const raw: Record<string, unknown> = { host: server.host, port, user: server.user, root: `${BASE}/${++folders}`, ...options }
  for (const key of ['password', 'passphrase']) if (typeof raw[key] === 'string') secrets.add(raw[key])
  if (typeof raw.privateKey === 'string') for (const line of raw.privateKey.split('\n').slice(1, -2)) if (line.length > 20) secrets.add(line)
  const storage = await createBackend<SftpStorage>(sftpEngine, raw, ctx)
  storages.push(storage)
  // A configured root exists on a real server; the health check says so when it does not.
  if (pin.createRoot !== false && pin.fingerprint !== null && !options.fingerprint && !options.passphrase) await storage.createFolder('').catch(() => undefined)
  return storage
}

/** An SFTP channel of the test's own, to look at the server and plant links there. */
async function rawChannel(server: Server_): Promise<{ channel: SftpChannel; home: string; close(): Promise<void> }> {
  const ctx = testContext('storage')
  contexts.push(ctx)
  const session = new SftpSession({
    login: { ...server, privateKey: undefined, keepaliveSeconds: 0, fingerprint: openSshFingerprint(server.host, server.port) },
    dataDir: ctx.dataDir,
    log: createLogger('sftp-raw', { level: 'error', sink: () => undefined }),
    connectTimeoutMs: 10_000,
    operationTimeoutMs: 10_000,
  })
  const channel = await session.channel()
  const home = await channel.realpath('.', 'home')
  return { channel, home, close: () => session.close() }
}

function symlink(channel: SftpChannel, target: string, link: string): Promise<void> {
  // OpenSSH's sftp-server takes SYMLINK's arguments in the reverse order of the draft (its PROTOCOL file); ssh2 sends them as OpenSSH expects.
  return new Promise((resolve, reject) => channel.sftp.symlink(target, link, (err) => (err ? reject(err) : resolve())))
}

async function listAll(channel: SftpChannel, path: string): Promise<string[]> {
  return (await channel.readdir(path, path)).map((e) => e.filename).filter((n) => n !== '.' && n !== '..').sort()
}

/** Deterministic bytes, made as they are read: a large upload that is never in memory at once. */
function generated(totalBytes: number, chunkBytes = 256 * 1024): { stream: Readable; hash: () => string } {
  const hash = createHash('sha256')
  let sent = 0
  let counter = 0
  const stream = new Readable({
    read() {
      if (sent >= totalBytes) return void this.push(null)
      const block = Buffer.alloc(Math.min(chunkBytes, totalBytes - sent))
      for (let off = 0; off < block.length; off += 32) createHash('sha256').update(String(counter++)).digest().copy(block, off)
      hash.update(block)
      sent += block.length
      this.push(block)
    },
  })
  return { stream, hash: () => hash.digest('hex') }
}

setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as (options?: { type: 'major'; execution: 'sync' }) => void
/** Twice and synchronous: after one collection, buffers' memory is still being freed in the background. */
const collectGarbage = () => {
  gc({ type: 'major', execution: 'sync' })
  gc({ type: 'major', execution: 'sync' })
}

/**
 * The most memory buffers hold (after a collection) while `work` runs, above what they held before: where
 * a file's bytes would be if they were buffered. (The heap of the test runner itself moves by tens of
 * megabytes whatever the file's size, so it is not counted.)
 */
async function retainedGrowth<T>(work: () => Promise<T>): Promise<{ result: T; growth: number }> {
  const retained = () => {
    collectGarbage()
    return process.memoryUsage().arrayBuffers
  }
  const before = retained()
  let peak = before
  const timer = setInterval(() => (peak = Math.max(peak, retained())), 100)
  try {
    const result = await work()
    return { result, growth: peak - before }
  } finally {
    clearInterval(timer)
  }
}

// --- a TCP proxy the test can cut ------------------------------------------------------------------

/** Forwards to the SSH server, counting the bytes that go up, until cut(). */
class CuttableProxy {
  private readonly server: Server
  private readonly sockets = new Set<Socket>()
  upstreamBytes = 0
  port = 0

  constructor(private readonly target: { host: string; port: number }) {
    this.server = createServer((client) => {
      const upstream = connect(target.port, target.host)
      for (const s of [client, upstream]) {
        this.sockets.add(s)
        s.on('error', () => undefined)
        s.once('close', () => this.sockets.delete(s))
      }
      client.on('data', (data: Buffer) => (this.upstreamBytes += data.length))
      client.pipe(upstream)
      upstream.pipe(client)
      client.once('close', () => upstream.destroy())
      upstream.once('close', () => client.destroy())
    })
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve))
    this.port = (this.server.address() as { port: number }).port
  }

  /** Drops every connection at once, as a server or network that vanished; new ones are still let through. */
  cut(): void {
    for (const s of this.sockets) s.destroy()
  }

  async stop(): Promise<void> {
    this.cut()
    await new Promise((resolve) => this.server.close(resolve))
  }
}

// --- options that need no server -------------------------------------------------------------------

describe('SFTP storage options', () => {
  it('default to port 22 and the home folder, and need a password or a key', () => {
    expect(SftpOptions.parse({ host: 'files.example.test', user: 'u', password: 'pw' })).toMatchObject({ port: 22, root: '', keepaliveSeconds: 15, timeoutSeconds: 30 })
    expect(SftpOptions.safeParse({ host: 'h', user: 'u' }).error?.issues.map((i) => i.path.join('.'))).toEqual(['password'])
    expect(SftpOptions.safeParse({ host: 'h', user: 'u', password: 'pw', passphrase: 'x' }).error?.issues.map((i) => i.path.join('.'))).toEqual(['privateKey'])
  })

  it('say what they can do: no local paths, no presigned URLs, real folders', async () => {
    const ctx = testContext('storage')
    contexts.push(ctx)
    const storage = await createBackend<Storage>(sftpEngine, { host: '127.0.0.1', port: 9, user: 'u', password: 'pw' }, ctx)
    expect(storage.features).toEqual({ localPath: false, presignedUrls: false, folders: 'real' })
    expect(await storage.presignedUrl('a.txt')).toBeNull()
    await storage.close()
  })
})

// --- the testbed's OpenSSH ---------------------------------------------------------------------------

describeService('sftp', 'SFTP storage on the testbed OpenSSH', (env) => {
  let server: Server_
  beforeAll(() => {
    server = serverOf(env)
  })

  afterAll(async () => {
    await Promise.all(storages.splice(0).map((s) => s.close()))
    const raw = await rawChannel(server)
    try {
      const cleaner = await sftpStorage(server, { password: server.password, root: '' })
      await cleaner.delete(BASE)
      expect(await listAll(raw.channel, raw.home)).not.toContain(BASE)
      await cleaner.close()
    } finally {
      await raw.close()
    }
  })

  storageContract('sftp with a password', () => sftpStorage(server, { password: server.password }))
  storageContract('sftp with a private key', () => sftpStorage(server, { privateKey: server.privateKey }))

  describe('the host key', () => {
    it('of a server not trusted yet is refused with E_HOST_KEY_UNKNOWN, naming the fingerprint ssh-keygen prints', async () => {
      const storage = await sftpStorage(server, { password: server.password }, { fingerprint: null })
      const error = await failure(storage.list(''))
      expect(error.code).toBe('E_HOST_KEY_UNKNOWN')
      expect(error.details).toEqual({ host: server.host, port: server.port, fingerprint: openSshFingerprint(server.host, server.port), keyType: 'ssh-ed25519' })
      // The health check says the same at its first step.
      const report = await storage.check()
      expect(report.state).toBe('down')
      expect(report.error?.code).toBe('E_HOST_KEY_UNKNOWN')
    })

    it('that differs from the pinned one is refused with E_HOST_KEY_MISMATCH', async () => {
      const storage = await sftpStorage(server, { password: server.password }, { fingerprint: `SHA256:${'B'.repeat(43)}` })
      const error = await failure(storage.exists('a.txt'))
      expect(error.code).toBe('E_HOST_KEY_MISMATCH')
      expect(error.details).toMatchObject({ fingerprint: openSshFingerprint(server.host, server.port), pinnedIn: 'known-hosts' })
    })

    it("that differs from the alias's fingerprint is refused too, whatever known hosts say", async () => {
      const storage = await sftpStorage(server, { password: server.password, fingerprint: `SHA256:${'C'.repeat(43)}` })
      expect((await failure(storage.list(''))).code).toBe('E_HOST_KEY_MISMATCH')
    })
  })

  describe('logging in', () => {
    it('with a wrong password is E_AUTH, and the password is nowhere in the error or the log', async () => {
      const wrong = 'not-the-sftp-password-7f3a'
      const storage = await sftpStorage(server, { password: wrong })
      const error = await failure(storage.list(''))
      expect(error.code).toBe('E_AUTH')
      expect(error.message).toContain(`"${server.user}"`)
      const ctx = contexts.at(-1)!
      const text = [error.message, error.hint, JSON.stringify(error.details), ...ctx.logs.map((r) => r.message)].join('\n')
      expect(text).not.toContain(wrong)
    })

    it("with an encrypted key and a wrong passphrase is E_AUTH naming the alias's passphrase field", async () => {
      const keyDir = mkdtempSync(join(tmpdir(), 'backplane-sftp-key-'))
      try {
        execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', 'the-right-passphrase', '-C', 'test', '-f', join(keyDir, 'id')])
        secrets.add('the-right-passphrase')
        const storage = await sftpStorage(server, { privateKey: readFileSync(join(keyDir, 'id'), 'utf8'), passphrase: 'a-wrong-passphrase' })
        const error = await failure(storage.list(''))
        expect(error.code).toBe('E_AUTH')
        expect(error.details).toEqual({ field: 'passphrase' })
        expect(error.hint).toContain("the alias's SFTP settings")
      } finally {
        rmSync(keyDir, { recursive: true, force: true })
      }
    })

    it('reports E_CONNECTION_REFUSED when nothing listens there', async () => {
      const free = createServer()
      await new Promise<void>((resolve) => free.listen(0, '127.0.0.1', resolve))
      const port = (free.address() as { port: number }).port
      await new Promise((resolve) => free.close(resolve))
      const storage = await sftpStorage(server, { password: server.password }, { port })
      expect((await failure(storage.list(''))).code).toBe('E_CONNECTION_REFUSED')
    })
  })

  describe('files', () => {
    it('reads byte ranges, and says what a missing file or a folder is', async () => {
      const storage = await sftpStorage(server, { password: server.password })
      await storage.put('r/digits.txt', '0123456789abcdefghij')
      expect(await streamToString(await storage.open('r/digits.txt', { range: { start: 10, end: 14 } }))).toBe('abcde')
      expect(await streamToString(await storage.open('r/digits.txt', { range: { start: 15 } }))).toBe('fghij')
      expect((await failure(storage.open('r/missing.txt'))).code).toBe('E_NOT_FOUND')
      expect((await failure(storage.open('r'))).code).toBe('E_IS_DIRECTORY')
    })

    it('replaces a file only when asked, and then atomically', async () => {
      const storage = await sftpStorage(server, { password: server.password })
      await storage.put('p/a.txt', 'first')
      expect((await failure(storage.put('p/a.txt', 'second'))).code).toBe('E_EXISTS')
      await storage.put('p/a.txt', 'third', { overwrite: true })
      expect(await streamToString(await storage.open('p/a.txt'))).toBe('third')
      expect((await storage.list('p')).entries.map((e) => e.name)).toEqual(['p/a.txt'])
    })

    it('gives each of many concurrent saves of one name its own file, over one connection', async () => {
      const storage = await sftpStorage(server, { password: server.password })
      const names = await Promise.all(Array.from({ length: 20 }, (_, i) => storage.save('same/name.txt', String(i))))
      expect(new Set(names).size).toBe(20)
      const contents = await Promise.all(names.map(async (n) => streamToString(await storage.open(n))))
      expect(contents.sort((a, b) => Number(a) - Number(b))).toEqual(Array.from({ length: 20 }, (_, i) => String(i)))
    })

    it('stats size and times, copies on the server and moves by rename', async () => {
      const storage = await sftpStorage(server, { password: server.password })
      await storage.put('c/src.txt', 'copy me')
      const entry = await storage.stat('c/src.txt')
      expect(entry).toMatchObject({ name: 'c/src.txt', type: 'file', size: 7 })
      expect(Math.abs(Date.parse(entry.modified!) - Date.now())).toBeLessThan(60_000)
      expect((await storage.getAccessedTime('c/src.txt')).getTime()).toBeGreaterThan(0)
      await storage.copy('c', 'd')
      expect(await streamToString(await storage.open('d/src.txt'))).toBe('copy me')
      await storage.move('d/src.txt', 'e/moved.txt')
      expect(await storage.exists('d/src.txt')).toBe(false)
      expect(await streamToString(await storage.open('e/moved.txt'))).toBe('copy me')
      expect((await failure(storage.move('c/src.txt', 'e/moved.txt'))).code).toBe('E_EXISTS')
    })

    it('pages a folder from one read of it, yet shows on a later page what this storage saved meanwhile', async () => {
      const storage = await sftpStorage(server, { password: server.password })
      await Promise.all(['a', 'b', 'd', 'e'].map((n) => storage.put(`pages/${n}.txt`, n)))
      const first = await storage.list('pages', { limit: 2 })
      expect(first.entries.map((e) => e.name)).toEqual(['pages/a.txt', 'pages/b.txt'])
      await storage.put('pages/c.txt', 'c')
      const rest = await storage.list('pages', { cursor: first.cursor, limit: 10 })
      expect(rest).toEqual({ entries: ['c', 'd', 'e'].map((n) => expect.objectContaining({ name: `pages/${n}.txt`, type: 'file', size: 1 })), cursor: null })
    })

    it('deletes a folder with everything in it, and makes folders with their parents', async () => {
      const storage = await sftpStorage(server, { password: server.password })
      await storage.makeFolder('x/y/z')
      await storage.put('x/y/z/deep.txt', 'd')
      await storage.put('x/top.txt', 't')
      expect(await storage.listdir('x')).toEqual([['y'], ['top.txt']])
      await storage.delete('x')
      expect(await storage.exists('x')).toBe(false)
      await storage.delete('x') // nothing of that name is no error, as in Django
    })

    it('streams a 64 MiB file up and down with flat memory, the same bytes back', async () => {
      const storage = await sftpStorage(server, { password: server.password })
      const size = 64 * 1024 * 1024
      await storage.put('big/warm-up.txt', 'the connection is open before measuring')
      const source = generated(size)
      const up = await retainedGrowth(() => storage.put('big/blob.bin', source.stream))
      expect(up.result).toBe('big/blob.bin')
      expect(await storage.size('big/blob.bin')).toBe(size)
      const down = await retainedGrowth(async () => {
        const hash = createHash('sha256')
        for await (const chunk of await storage.open('big/blob.bin')) hash.update(chunk as Buffer)
        return hash.digest('hex')
      })
      expect(down.result).toBe(source.hash())
      // A buffered transfer would hold all 64 MiB at some point. A streamed one holds its requests in flight
      // (2 MiB) and what ssh2 and the cipher keep meanwhile: 10-35 MB here, the same for 192 MiB as for 64.
      expect(up.growth).toBeLessThan(0.7 * size)
      expect(down.growth).toBeLessThan(0.7 * size)
    }, 120_000)

    it('stops an upload when its signal aborts, with E_CANCELLED and nothing left behind', async () => {
      const storage = await sftpStorage(server, { password: server.password })
      const controller = new AbortController()
      const source = generated(32 * 1024 * 1024, 64 * 1024)
      let read = 0
      source.stream.on('data', (chunk: Buffer) => {
        read += chunk.length
        if (read > 1024 * 1024) controller.abort()
      })
      const error = await failure(storage.put('cancel/big.bin', source.stream, { signal: controller.signal }))
      expect(error.code).toBe('E_CANCELLED')
      const raw = await rawChannel(server)
      try {
        expect(await listAll(raw.channel, `${raw.home}/${BASE}/${folders}/cancel`)).toEqual([])
      } finally {
        await raw.close()
      }
    })
  })

  describe('a server that drops the connection mid-upload', () => {
    let proxy: CuttableProxy
    beforeAll(async () => {
      proxy = new CuttableProxy({ host: server.host, port: server.port })
      await proxy.start()
    })
    afterAll(() => proxy.stop())

    it('fails the upload with a typed error, leaves nothing under the name, and the next call connects again', async () => {
      const storage = await sftpStorage(server, { password: server.password }, { port: proxy.port })
      await storage.put('drop/before.txt', 'the connection works')
      const root = `${BASE}/${folders}`
      // An upload that sends 2 MiB and then waits: the cut comes while it is open.
      let pushed = 0
      const slow = new Readable({
        read() {
          if (pushed < 2 * 1024 * 1024) {
            pushed += 64 * 1024
            this.push(Buffer.alloc(64 * 1024, 7))
          } else setTimeout(() => this.push(Buffer.alloc(64 * 1024, 7)), 50)
        },
      })
      const upload = storage.put('drop/partial.bin', slow)
      const sentBefore = proxy.upstreamBytes
      await expect.poll(() => proxy.upstreamBytes - sentBefore, { timeout: 10_000 }).toBeGreaterThan(2 * 1024 * 1024)
      proxy.cut()
      const error = await failure(upload)
      expect(error.code).toBe('E_CONNECTION_RESET')
      expect(error.message).toContain('drop/partial.bin')
      // The next call opens a new connection (through the proxy, which still lets connections through).
      expect(await storage.exists('drop/partial.bin')).toBe(false)
      expect((await storage.list('drop')).entries.map((e) => e.name)).toEqual(['drop/before.txt'])
      // The temporary file is removed on the new connection.
      const raw = await rawChannel(server)
      try {
        await expect.poll(() => listAll(raw.channel, `${raw.home}/${root}/drop`), { timeout: 10_000 }).toEqual(['before.txt'])
      } finally {
        await raw.close()
      }
    })
  })

  describe('links on the server', () => {
    it('that lead out of the root are refused for reads, writes and deletes, and left out of listings', async () => {
      const storage = await sftpStorage(server, { password: server.password })
      await storage.put('keep.txt', 'inside')
      await storage.makeFolder('real-folder')
      const n = folders
      const raw = await rawChannel(server)
      const root = `${raw.home}/${BASE}/${n}`
      const outside = `${raw.home}/${BASE}/outside-${n}`
      try {
        const secret = await sftpStorage(server, { password: server.password, root: `${BASE}/outside-${n}` })
        await secret.put('secret.txt', 'outside the root')
        await symlink(raw.channel, outside, `${root}/escape`)
        await symlink(raw.channel, `${outside}/secret.txt`, `${root}/secret-link.txt`)
        await symlink(raw.channel, `${root}/real-folder`, `${root}/inner-link`)

        for (const attempt of [
          () => storage.open('escape/secret.txt'),
          () => storage.open('secret-link.txt'),
          () => storage.stat('escape'),
          () => storage.save('escape/planted.txt', 'x'),
          () => storage.put('escape/sub/planted.txt', 'x'),
          () => storage.delete('escape/secret.txt'),
          () => storage.list('escape'),
          () => storage.copy('secret-link.txt', 'copied.txt'),
        ]) {
          expect((await failure(attempt())).code, String(attempt)).toBe('E_PATH_OUTSIDE_ROOT')
        }
        expect(await listAll(raw.channel, outside)).toEqual(['secret.txt'])
        expect((await storage.list('')).entries.map((e) => [e.name, e.type])).toEqual([
          ['inner-link', 'dir'],
          ['keep.txt', 'file'],
          ['real-folder', 'dir'],
        ])
        // Deleting the link removes the link, not what it points to.
        await storage.delete('escape')
        expect(await listAll(raw.channel, root)).not.toContain('escape')
        expect(await streamToString(await secret.open('secret.txt'))).toBe('outside the root')
      } finally {
        await raw.close()
      }
    })
  })

  describe('the health check', () => {
    it('reports the server software and the root folder, and writes nothing', async () => {
      const storage = await sftpStorage(server, { password: server.password })
      await storage.put('h.txt', 'h')
      const report = await storage.check()
      expect(report.state).toBe('ok')
      expect(report.version).toMatch(/OpenSSH.*folder \/.*as bpsftp@/)
      expect(report.steps.map((s) => s.name)).toContain('root')
      expect((await storage.list('')).entries.map((e) => e.name)).toEqual(['h.txt'])
    })

    it('is down when the root folder does not exist, and creates none', async () => {
      const storage = await sftpStorage(server, { password: server.password }, { createRoot: false })
      const report = await storage.check()
      expect(report.state).toBe('down')
      expect(report.error?.code).toBe('E_NOT_FOUND')
      const raw = await rawChannel(server)
      try {
        expect(await listAll(raw.channel, `${raw.home}/${BASE}`).catch(() => [])).not.toContain(String(folders))
      } finally {
        await raw.close()
      }
    })
  })

  describe('where the root is', () => {
    it('rootPlace() is host, port and the real path of the root, the same for an alias reaching it through a link', async () => {
      const storage = await sftpStorage(server, { password: server.password })
      await storage.put('p.txt', 'p')
      const raw = await rawChannel(server)
      try {
        const mine = folders
        const root = `${raw.home}/${BASE}/${mine}`
        expect(await storage.rootPlace()).toBe(`sftp://${server.host}:${server.port}${root}`)
        await symlink(raw.channel, root, `${raw.home}/${BASE}/link-to-${mine}`)
        const viaLink = await sftpStorage(server, { password: server.password, root: `${BASE}/link-to-${mine}` })
        expect(await viaLink.rootPlace()).toBe(await storage.rootPlace())
      } finally {
        await raw.close()
      }
    })
  })

  describe('what is not a regular file', () => {
    it('a named pipe is E_UNSUPPORTED for copy, as for open, and is not touched', async (t) => {
      const home = `/home/${server.user}`
      if (!existsSync(home)) t.skip(`${home} is not on this machine: the pipe cannot be made there`)
      const storage = await sftpStorage(server, { password: server.password })
      const root = `${home}/${BASE}/${folders}`
      execFileSync('mkfifo', [join(root, 'pipe')])
      execFileSync('chown', [`${server.user}:${server.user}`, join(root, 'pipe')])
      expect((await failure(storage.open('pipe'))).code).toBe('E_UNSUPPORTED')
      expect((await failure(storage.copy('pipe', 'pipe-copy'))).code).toBe('E_UNSUPPORTED')
      expect(await storage.exists('pipe-copy')).toBe(false)
    })
  })

  describe('the connection', () => {
    it('is one per storage, reused by every call, and closed by close()', async () => {
      const proxy = new CuttableProxy({ host: server.host, port: server.port })
      await proxy.start()
      let connections = 0
      ;(proxy as unknown as { server: Server }).server.on('connection', () => connections++)
      try {
        const storage = await sftpStorage(server, { password: server.password }, { port: proxy.port })
        await Promise.all(Array.from({ length: 10 }, (_, i) => storage.put(`one/${i}.txt`, String(i))))
        await storage.list('one')
        expect(connections).toBe(1)
        await storage.close()
        await expect.poll(() => (proxy as unknown as { sockets: Set<Socket> }).sockets.size).toBe(0)
      } finally {
        await proxy.stop()
      }
    })
  })
})

afterAll(() => {
  for (const ctx of contexts.splice(0)) {
    for (const record of ctx.logs) for (const secret of secrets) expect(record.message).not.toContain(secret)
    ctx.cleanup()
  }
  for (const error of errors) {
    const text = [error.message, error.hint, JSON.stringify(error.details)].join('\n')
    for (const secret of secrets) expect(text).not.toContain(secret)
  }
})
