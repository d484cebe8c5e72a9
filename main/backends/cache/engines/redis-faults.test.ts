import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort } from '../../../../test/support/failures'
import Redis, { type RedisOptions } from 'ioredis'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createBackend, testContext } from '../../../../test/support/engine-context'
import { describeService, requireTool } from '../../../../test/support/services'
import type { Cache } from '../base'
import { redisEngine } from './redis'

const opened: Cache[] = []
async function open(options: Record<string, unknown>): Promise<Cache> {
  const cache = await createBackend<Cache>(redisEngine, { serializer: 'json', connectTimeoutSeconds: 2, ...options }, testContext('cache'))
  opened.push(cache)
  return cache
}
afterAll(async () => {
  await Promise.all(opened.map((c) => c.close()))
})

/** How long a promise took to settle, and with what. */
async function timed<T>(promise: Promise<T>): Promise<{ ms: number; error: { code?: string; message?: string } | undefined }> {
  const t0 = performance.now()
  const error = await promise.then(
    () => undefined,
    (err: { code?: string; message?: string }) => err,
  )
  return { ms: performance.now() - t0, error }
}

describe('redis engine, when the server is not there', () => {
  it('says E_CONNECTION_REFUSED at once for a port nothing listens on, and the health check fails at its first step', async () => {
    const port = await freePort()
    const cache = await open({ location: `redis://127.0.0.1:${port}/3` })
    const { ms, error } = await timed(cache.get('k'))
    expect(error).toMatchObject({ code: 'E_CONNECTION_REFUSED', message: expect.stringContaining(`127.0.0.1:${port}`) })
    expect(ms).toBeLessThan(2000)
    const report = await cache.check()
    expect(report).toMatchObject({ state: 'down', error: { code: 'E_CONNECTION_REFUSED' } })
    expect(report.steps.map((s) => [s.name, s.ok])).toEqual([['version', false]])
  })

  it('says E_DNS for a host name that does not resolve', async () => {
    const cache = await open({ location: 'redis://no-such-host.invalid:6379/3' })
    await expect(cache.get('k')).rejects.toMatchObject({ code: 'E_DNS' })
  })

  it('refuses a location that is not a Redis URL before connecting, as invalid options', async () => {
    await expect(open({ location: 'http://example.test/' })).rejects.toMatchObject({ code: 'E_INVALID_OPTIONS' })
    await expect(open({ location: 'redis://127.0.0.1:6379/zero' })).rejects.toMatchObject({ code: 'E_INVALID_OPTIONS' })
    await expect(open({ location: 'rediss://127.0.0.1:6379/0', tlsCaFile: '/no/such/ca.pem' })).rejects.toMatchObject({ code: 'E_TLS_FILE' })
  })
})

describeService('redis', 'redis engine, with the wrong credentials', (env) => {
  const withPassword = (password: string | null) => {
    const url = new URL(env.BACKPLANE_TEST_REDIS_URL!)
    url.password = password ?? ''
    url.pathname = '/3'
    return url.toString()
  }

  it('says E_AUTH for a wrong password, and the health check reports it as its failed step', async () => {
    const cache = await open({ location: withPassword('not-the-password') })
    await expect(cache.get('k')).rejects.toMatchObject({ code: 'E_AUTH', message: expect.stringContaining('refused the user name and password') })
    const report = await cache.check()
    expect(report).toMatchObject({ state: 'down', error: { code: 'E_AUTH' } })
    expect(report.steps).toEqual([expect.objectContaining({ name: 'version', ok: false, error: expect.objectContaining({ code: 'E_AUTH' }) })])
    expect(JSON.stringify(report)).not.toContain('not-the-password')
  })

  it('says E_AUTH when the server needs a password and the alias gives none', async () => {
    const cache = await open({ location: withPassword(null) })
    await expect(cache.set('k', 1)).rejects.toMatchObject({ code: 'E_AUTH', message: expect.stringContaining('needs a password') })
  })

  it('lets the password option override the one in the location', async () => {
    const cache = await open({ location: withPassword('not-the-password'), password: env.BACKPLANE_TEST_PASSWORD })
    expect(await cache.get(`never-set-${Date.now()}`)).toBeUndefined()
  })
})

const withRedisServer = requireTool('redis-server', 'redis-server', 'redis engine with its own server') ? describe : describe.skip

withRedisServer('redis engine, when its server goes away and comes back', () => {
  let child: ChildProcess | undefined
  const start = async (port: number, args: string[] = ['--port', String(port)], probe: RedisOptions = { port }) => {
    const started = spawn('redis-server', [...args, '--bind', '127.0.0.1 -::1', '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--enable-debug-command', 'yes'], { stdio: 'ignore' })
    child = started
    // Ready once it answers: try every 50 ms for up to 5 s.
    for (let attempt = 0; ; attempt++) {
      const client = new Redis({ ...probe, lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 })
      client.on('error', () => undefined)
      try {
        await client.connect()
        await client.ping()
        return client
      } catch (err) {
        client.disconnect()
        if (attempt > 100) throw err
        await new Promise((r) => setTimeout(r, 50))
      }
    }
  }
  const stop = async () => {
    if (!child || child.exitCode !== null) return
    const exited = new Promise((resolve) => child!.once('exit', resolve))
    child.kill('SIGKILL')
    await exited
  }
  afterEach(stop)

  it('answers a call in flight with a typed error within a couple of seconds when the server is killed, and works again once it is back', async () => {
    const port = await freePort()
    const raw = await start(port)
    const pipeline = raw.pipeline()
    for (let i = 0; i < 5000; i++) pipeline.set(`k:${i}`, 'v')
    await pipeline.exec()
    const cache = await open({ location: `redis://127.0.0.1:${port}/0`, commandTimeoutSeconds: 30 })
    const first = await cache.scan!({ pattern: 'k:*', count: 100 })
    expect(first.cursor).not.toBeNull()
    // The server busy for 10 s, the next page waiting on it: then the server dies under it.
    void raw.call('DEBUG', 'SLEEP', '10').catch(() => undefined)
    await new Promise((r) => setTimeout(r, 100))
    const next = timed(cache.scan!({ pattern: 'k:*', cursor: first.cursor, count: 100 }))
    await new Promise((r) => setTimeout(r, 200))
    await stop()
    const { ms, error } = await next
    expect(error).toMatchObject({ code: expect.stringMatching(/^E_CONNECTION_RESET$|^E_CONNECTION_REFUSED$/) })
    expect(ms).toBeLessThan(2500)
    raw.disconnect()

    // While it is down, each call fails at once; nothing queues up.
    const down = await timed(cache.get('k:1'))
    expect(down.error).toMatchObject({ code: 'E_CONNECTION_REFUSED' })
    expect(down.ms).toBeLessThan(1000)

    const again = await start(port)
    await again.set('k:back', 'v')
    const page = await cache.scan!({ pattern: 'k:back', count: 1000 })
    expect(page.entries.map((e) => e.key)).toEqual(['k:back'])
    again.disconnect()
  })

  it('says E_TIMEOUT when the server takes longer than the command timeout', async () => {
    const port = await freePort()
    const raw = await start(port)
    const cache = await open({ location: `redis://127.0.0.1:${port}/0`, commandTimeoutSeconds: 0.5 })
    expect(await cache.get('warm')).toBeUndefined()
    void raw.call('DEBUG', 'SLEEP', '2').catch(() => undefined)
    await new Promise((r) => setTimeout(r, 100))
    const { ms, error } = await timed(cache.get('slow'))
    expect(error).toMatchObject({ code: 'E_TIMEOUT' })
    expect(ms).toBeLessThan(1500)
    raw.disconnect()
  })

  it('logs in as an ACL user, and sizes keys with STRLEN when that user may not run MEMORY', async () => {
    const port = await freePort()
    const raw = await start(port)
    await raw.call('ACL', 'SETUSER', 'browser', 'on', '>browser-pw', '~*', '+@all', '-memory')
    await raw.set('sized', 'x'.repeat(1234))
    const cache = await open({ location: `redis://127.0.0.1:${port}/0`, username: 'browser', password: 'browser-pw' })
    const page = await cache.scan!({ pattern: 'sized', count: 1000 })
    expect(page.entries).toEqual([{ key: 'sized', type: 'entry', ttl: null, size: 1234 }])
    expect(await cache.inspect!('sized')).toMatchObject({ size: 1234, value: 'x'.repeat(1234), encoding: 'text' })
    const stranger = await open({ location: `redis://127.0.0.1:${port}/0`, username: 'nobody', password: 'browser-pw' })
    await expect(stranger.get('sized')).rejects.toMatchObject({ code: 'E_AUTH' })
    raw.disconnect()
  })

  it('closes cleanly with QUIT', async () => {
    const port = await freePort()
    const raw = await start(port)
    const cache = await createBackend<Cache>(redisEngine, { location: `redis://127.0.0.1:${port}/0` }, testContext('cache'))
    await cache.set('k', 1)
    const before = Number(/connected_clients:(\d+)/.exec(await raw.info('clients'))![1])
    await cache.close()
    await new Promise((r) => setTimeout(r, 100))
    const after = Number(/connected_clients:(\d+)/.exec(await raw.info('clients'))![1])
    expect(after).toBe(before - 1)
    await expect(cache.get('k')).rejects.toMatchObject({ code: 'E_CONNECTION_RESET' })
    raw.disconnect()
  })

  describe('over TLS (rediss://)', () => {
    let dir: string
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'bp-redis-tls-'))
      const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' })
      const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes']
      ssl('req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=Backplane test CA')
      ssl('req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost')
      writeFileSync(join(dir, 'san.ext'), 'subjectAltName=DNS:localhost\n')
      ssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '2', '-extfile', 'san.ext')
    })
    afterAll(() => rmSync(dir, { recursive: true, force: true }))

    const startTls = async (port: number) =>
      start(
        port,
        ['--port', '0', '--tls-port', String(port), '--tls-cert-file', join(dir, 'server.pem'), '--tls-key-file', join(dir, 'server.key'), '--tls-ca-cert-file', join(dir, 'ca.pem'), '--tls-auth-clients', 'no'],
        { host: 'localhost', port, tls: { ca: readFileSync(join(dir, 'ca.pem'), 'utf8') } },
      )

    it('connects with the CA file given, checking the server name', async () => {
      const port = await freePort()
      ;(await startTls(port)).disconnect()
      const cache = await open({ location: `rediss://localhost:${port}/0`, tlsCaFile: join(dir, 'ca.pem') })
      await cache.set('k', 'over tls')
      expect(await cache.get('k')).toBe('over tls')
      expect(await cache.check()).toMatchObject({ state: 'ok' })
    })

    it('says E_TLS_CERTIFICATE for a CA it does not trust, or a certificate for another name', async () => {
      const port = await freePort()
      ;(await startTls(port)).disconnect()
      const untrusted = await open({ location: `rediss://localhost:${port}/0` })
      await expect(untrusted.get('k')).rejects.toMatchObject({ code: 'E_TLS_CERTIFICATE' })
      const otherName = await open({ location: `rediss://127.0.0.1:${port}/0`, tlsCaFile: join(dir, 'ca.pem') })
      await expect(otherName.get('k')).rejects.toMatchObject({ code: 'E_TLS_CERTIFICATE', details: { tlsCode: 'ERR_TLS_CERT_ALTNAME_INVALID' } })
    })

    it('says, for rediss:// to a port that does not speak TLS, that no connection came, and to check TLS', async () => {
      const port = await freePort()
      ;(await start(port)).disconnect()
      // Redis takes the TLS hello for the start of a command and waits: the handshake never ends.
      const cache = await open({ location: `rediss://localhost:${port}/0`, tlsCaFile: join(dir, 'ca.pem'), connectTimeoutSeconds: 0.5 })
      await expect(cache.get('k')).rejects.toMatchObject({ code: 'E_TIMEOUT', hint: expect.stringContaining('speaks TLS') })
    })

    it('says so when redis:// meets a port that speaks TLS only', async () => {
      const port = await freePort()
      ;(await startTls(port)).disconnect()
      const cache = await open({ location: `redis://localhost:${port}/0`, connectTimeoutSeconds: 1 })
      await expect(cache.get('k')).rejects.toMatchObject({ code: 'E_CONNECTION_RESET', hint: expect.stringContaining('TLS') })
    })
  })
})
