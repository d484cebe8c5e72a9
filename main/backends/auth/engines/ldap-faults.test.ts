import { createServer, connect, type Server, type Socket } from 'node:net'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { need, openSockets } from '../../../../test/contracts/auth-ldap.contract'
import { createBackend, testContext, type TestContext } from '../../../../test/support/engine-context'
import { failure, freePort } from '../../../../test/support/failures'
import { describeService } from '../../../../test/support/services'
import type { BackplaneError } from '../../../core/errors'
import type { AuthBackend } from '../base'
import { ldapEngine } from './ldap'

const PEOPLE = 'ou=people,dc=example,dc=test'
const USER_PASSWORD = 'user-secret-4711'
const SERVICE_PASSWORD = 'service-secret-0815'

const contexts: TestContext[] = []
afterAll(() => contexts.forEach((c) => c.cleanup()))

async function ldap(options: Record<string, unknown>): Promise<AuthBackend> {
  const ctx = testContext('auth', { alias: 'directory', engine: 'ldap' })
  contexts.push(ctx)
  return createBackend<AuthBackend>(ldapEngine, options, ctx)
}

/** What leaves the process of an error, which must never hold a password. */
function leaves(err: BackplaneError): string {
  return JSON.stringify(err.toPayload())
}

/**
 * A server of the test's own on loopback that keeps every connection and lets it be counted. By default
 * it reads and never answers; it must read, or it would not see the client's FIN (a paused socket does
 * not emit 'end').
 */
class LoopbackServer {
  readonly open = new Set<Socket>()
  private server: Server | undefined

  constructor(private readonly onConnection: (socket: Socket) => void = (socket) => void socket.resume()) {}

  async listen(host = '127.0.0.1'): Promise<number> {
    const server = createServer((socket) => {
      this.open.add(socket)
      socket.on('close', () => this.open.delete(socket))
      socket.on('error', () => undefined)
      this.onConnection(socket)
    })
    this.server = server
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, host, resolve))
    return (server.address() as { port: number }).port
  }

  /** Waits (up to 2 s) for the client to have closed every connection. */
  async drained(): Promise<number> {
    for (let i = 0; i < 40 && this.open.size > 0; i++) await new Promise((r) => setTimeout(r, 50))
    return this.open.size
  }

  async close(): Promise<void> {
    for (const socket of this.open) socket.destroy()
    await new Promise((resolve) => this.server?.close(resolve) ?? resolve(undefined))
  }
}

describe('ldap backend faults without a directory', () => {
  const servers: LoopbackServer[] = []
  afterEach(async () => {
    for (const s of servers.splice(0)) await s.close()
  })

  it('says nothing listens when the server is down, and never repeats the password', async () => {
    const url = `ldap://127.0.0.1:${await freePort()}`
    const backend = await ldap({ url, bindDn: 'cn=backplane,ou=services,dc=example,dc=test', bindPassword: SERVICE_PASSWORD, userSearchBase: PEOPLE })
    const err = await failure(backend.authenticate({ username: 'ada', password: USER_PASSWORD }))
    expect(err).toMatchObject({ code: 'E_CONNECTION_REFUSED', message: `Nothing listens at ${url}.`, hint: expect.stringContaining('running') })
    expect(leaves(err)).not.toMatch(new RegExp(`${USER_PASSWORD}|${SERVICE_PASSWORD}`))
    expect((await backend.check()).error).toMatchObject({ code: 'E_CONNECTION_REFUSED' })
  })

  it.each([
    ['ldap://', {}],
    ['ldaps://', {}],
    ['ldap:// with StartTLS', { startTls: true }],
  ])('times out on a port that accepts and never answers (%s), and closes the connection', async (scheme, extra) => {
    const silent = new LoopbackServer()
    servers.push(silent)
    const port = await silent.listen()
    const before = await openSockets()
    const url = `${scheme.startsWith('ldaps') ? 'ldaps' : 'ldap'}://127.0.0.1:${port}`
    const backend = await ldap({ url, timeout: 300, userDnTemplate: `uid=%(user)s,${PEOPLE}`, ...extra })
    const err = await failure(backend.authenticate({ username: 'ada', password: USER_PASSWORD }))
    expect(err).toMatchObject({ code: 'E_TIMEOUT', message: expect.stringContaining('300 ms') })
    expect(leaves(err)).not.toContain(USER_PASSWORD)
    expect(await silent.drained()).toBe(0)
    expect(await openSockets(before)).toBeLessThanOrEqual(before)
  })

  it('says the server closed the connection when something else answers there', async () => {
    const rude = new LoopbackServer((socket) => void socket.resume().end('HTTP/1.1 400 Bad Request\r\n\r\n'))
    servers.push(rude)
    const backend = await ldap({ url: `ldap://127.0.0.1:${await rude.listen()}`, timeout: 2000, userDnTemplate: `uid=%(user)s,${PEOPLE}` })
    const err = await failure(backend.authenticate({ username: 'ada', password: USER_PASSWORD }))
    expect(err).toMatchObject({ code: 'E_CONNECTION_RESET', hint: expect.stringContaining('not an LDAP server') })
    expect(leaves(err)).not.toContain(USER_PASSWORD)
    expect(await rude.drained()).toBe(0)
  })

  it('names a CA file that cannot be read', async () => {
    const backend = await ldap({ url: 'ldaps://127.0.0.1:1', caFile: '/nonexistent/ca.pem', userDnTemplate: `uid=%(user)s,${PEOPLE}` })
    expect(await failure(backend.authenticate({ username: 'ada', password: 'x' }))).toMatchObject({ code: 'E_TLS_FILE', message: expect.stringContaining('/nonexistent/ca.pem') })
  })

  it('refuses a bind DN without its password instead of binding anonymously', async () => {
    const backend = await ldap({ url: 'ldap://127.0.0.1:1', bindDn: 'cn=backplane,ou=services,dc=example,dc=test', userSearchBase: PEOPLE })
    expect(await failure(backend.authenticate({ username: 'ada', password: 'x' }))).toMatchObject({ code: 'E_SECRET_MISSING' })
  })
})

describe('ldap options', () => {
  const parse = (options: Record<string, unknown>) => ldapEngine.options.safeParse({ url: 'ldap://127.0.0.1:389', ...options })
  const problems = (options: Record<string, unknown>) => {
    const result = parse(options)
    return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)
  }

  it('takes a DN template or a search base, not both, and not neither', () => {
    expect(parse({ userDnTemplate: `uid=%(user)s,${PEOPLE}` }).success).toBe(true)
    expect(parse({ userSearchBase: PEOPLE }).success).toBe(true)
    expect(problems({})).toEqual([expect.stringContaining('either a user DN template')])
    expect(problems({ userDnTemplate: `uid=%(user)s,${PEOPLE}`, userSearchBase: PEOPLE })).toEqual([expect.stringContaining('not both')])
  })

  it('explains a template or filter without %(user)s, a broken filter, StartTLS over ldaps://, and a URL with a user in it', () => {
    expect(problems({ userDnTemplate: PEOPLE })).toEqual([expect.stringContaining('%(user)s')])
    expect(problems({ userSearchBase: PEOPLE, userSearchFilter: '(uid=%(user)s' })).toEqual([expect.stringContaining('parentheses')])
    expect(problems({ url: 'ldaps://127.0.0.1', startTls: true, userSearchBase: PEOPLE })).toEqual([expect.stringContaining('turn StartTLS off')])
    expect(problems({ url: 'ldap://admin:pw@127.0.0.1', userSearchBase: PEOPLE })).toEqual([expect.stringContaining('no user')])
    expect(problems({ userSearchBase: PEOPLE, mirrorGroups: true })).toHaveLength(2)
  })

  it('keeps the bind password out of what the settings file shows (a secret)', () => {
    const schema = ldapEngine.options as unknown as { toJSONSchema?: () => unknown }
    const json = JSON.stringify(schema.toJSONSchema?.() ?? {})
    expect(json).toMatch(/"bindPassword":\{[^}]*"writeOnly":true/)
  })
})

describeService('ldap', 'ldap backend faults against the testbed OpenLDAP', (env) => {
  const service = () => ({ bindDn: need(env, 'BACKPLANE_TEST_LDAP_SERVICE_DN'), userSearchBase: PEOPLE })
  const url = () => need(env, 'BACKPLANE_TEST_LDAP_URL')
  const ldapsUrl = () => need(env, 'BACKPLANE_TEST_LDAPS_URL')

  it('says the server refused the service account, without its password', async () => {
    const backend = await ldap({ url: url(), ...service(), bindPassword: SERVICE_PASSWORD })
    const err = await failure(backend.authenticate({ username: 'ada', password: USER_PASSWORD }))
    expect(err).toMatchObject({ code: 'E_AUTH', message: expect.stringContaining('binding the service account cn=backplane'), hint: expect.stringContaining('bind DN') })
    expect(leaves(err)).not.toMatch(new RegExp(`${USER_PASSWORD}|${SERVICE_PASSWORD}`))
    const report = await backend.check()
    expect(report.error).toMatchObject({ code: 'E_AUTH' })
    expect(JSON.stringify(report)).not.toContain(SERVICE_PASSWORD)
  })

  it('says which option names an entry the directory does not have (a bad search base)', async () => {
    const backend = await ldap({ url: url(), ...service(), bindPassword: need(env, 'BACKPLANE_TEST_PASSWORD'), userSearchBase: 'ou=nope,dc=example,dc=test' })
    const err = await failure(backend.authenticate({ username: 'ada', password: USER_PASSWORD }))
    expect(err).toMatchObject({ code: 'E_INVALID_OPTIONS', message: expect.stringContaining('ou=nope'), hint: expect.stringContaining('userSearchBase') })
    expect((await backend.check()).error).toMatchObject({ code: 'E_INVALID_OPTIONS' })
  })

  it.each([
    ['LDAPS', () => ({ url: ldapsUrl() })],
    ['StartTLS', () => ({ url: url(), startTls: true })],
  ])("refuses the testbed's self-signed CA when not given it (%s), and trusts it when given", async (_, where) => {
    const base = { ...where(), userDnTemplate: `uid=%(user)s,${PEOPLE}` }
    const err = await failure((await ldap(base)).authenticate({ username: 'ada', password: USER_PASSWORD }))
    expect(err).toMatchObject({ code: 'E_TLS_CERTIFICATE', hint: expect.stringContaining('caFile') })
    const trusted = await ldap({ ...base, caFile: need(env, 'BACKPLANE_TEST_LDAP_CA') })
    expect((await trusted.authenticate({ username: 'ada', password: need(env, 'BACKPLANE_TEST_PASSWORD') })).ok).toBe(true)
    const unchecked = await ldap({ ...base, rejectUnauthorized: false })
    expect((await unchecked.authenticate({ username: 'ada', password: need(env, 'BACKPLANE_TEST_PASSWORD') })).ok).toBe(true)
  })

  describe('by an address the certificate does not name', () => {
    // A relay on 127.0.0.2 to the testbed: the same server, reached by a name its certificate lacks.
    const relays: LoopbackServer[] = []
    afterAll(async () => {
      for (const r of relays) await r.close()
    })
    async function relayTo(target: string): Promise<number> {
      const { hostname, port } = new URL(target)
      const relay = new LoopbackServer((socket) => {
        const upstream = connect(Number(port), hostname)
        upstream.on('error', () => socket.destroy())
        socket.on('close', () => upstream.destroy())
        socket.pipe(upstream).pipe(socket)
      })
      relays.push(relay)
      // Linux routes all of 127/8 to loopback, as the testbed's hosts (Debian) do.
      return relay.listen('127.0.0.2')
    }

    it.each([
      ['LDAPS', 'ldaps', () => ldapsUrl(), {}],
      ['StartTLS', 'ldap', () => url(), { startTls: true }],
    ])('refuses the certificate (%s), saying the name is wrong', async (_, scheme, target, extra) => {
      const port = await relayTo(target())
      const backend = await ldap({ url: `${scheme}://127.0.0.2:${port}`, caFile: need(env, 'BACKPLANE_TEST_LDAP_CA'), userDnTemplate: `uid=%(user)s,${PEOPLE}`, ...extra })
      const err = await failure(backend.authenticate({ username: 'ada', password: USER_PASSWORD }))
      expect(err).toMatchObject({ code: 'E_TLS_CERTIFICATE', details: { tlsCode: 'ERR_TLS_CERT_ALTNAME_INVALID' }, hint: expect.stringContaining('host name the certificate names') })
    })
  })

  it('says TLS failed when ldaps:// is pointed at the plain port', async () => {
    const err = await failure((await ldap({ url: url().replace('ldap:', 'ldaps:'), timeout: 2000, userDnTemplate: `uid=%(user)s,${PEOPLE}` })).authenticate({ username: 'ada', password: USER_PASSWORD }))
    expect(err).toMatchObject({ code: 'E_TLS', hint: expect.stringContaining('ldaps:// only for a port that speaks TLS') })
  })

  it('leaves no socket open after faults', async () => {
    const before = await openSockets()
    const wrongService = await ldap({ url: url(), ...service(), bindPassword: SERVICE_PASSWORD })
    const badBase = await ldap({ url: url(), ...service(), bindPassword: need(env, 'BACKPLANE_TEST_PASSWORD'), userSearchBase: 'ou=nope,dc=example,dc=test' })
    const untrusted = await ldap({ url: ldapsUrl(), userDnTemplate: `uid=%(user)s,${PEOPLE}` })
    for (const backend of [wrongService, badBase, untrusted]) {
      await failure(backend.authenticate({ username: 'ada', password: USER_PASSWORD }))
      await backend.check()
    }
    expect(await openSockets(before)).toBeLessThanOrEqual(before)
  })
})
