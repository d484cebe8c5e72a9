import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { request } from 'node:http'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startHttpServer } from '../hosts/http/server'
import { openTestApp, type TestApp } from '../../test/support/test-app'
import type { AuthBackend } from '../backends/auth/base'
import { AUDIT_FILE } from '../services/auth-login'

// A hostile client against auth.authenticate's protection (throttle, audit, leaks) through the router,
// as serve mode dispatches HTTP calls (via 'http', the peer's address as source). The chain is one
// custom engine written here, so each refusal costs nothing and thousands of attempts run in seconds:
//   victim / RIGHT → success; victim / other → bad-password; deny* → denied; leak* → throws an error
//   that quotes the password (a careless custom engine); num* → success as a user whose id is "1"
//   (as an LDAP user without a mirror has id = username, here a numeric uid); slow* → unknown-user after 30 ms; else unknown-user.
const RIGHT = 'Right-Pw-Wombat-91'
const MARK = 'Leaky-Pw-Platypus-83'
const ENGINE = `
import { AuthOptions, BaseAuthBackend, defineEngine } from 'backplane/engine'
const user = (username) => ({ id: username, username, isActive: true, isStaff: false, isSuperuser: false })
class Attack extends BaseAuthBackend {
  async authenticate({ username, password }) {
    if (typeof username !== 'string' || typeof password !== 'string') return this.skip('username and password only')
    if (username.startsWith('leak')) throw new Error('could not check the password ' + password + ' of ' + username)
    if (username.startsWith('deny')) return this.deny('the directory forbids it')
    if (username.startsWith('num')) return this.accept({ ...user(username), id: '1' })
    if (username.startsWith('slow')) await new Promise((r) => setTimeout(r, 30))
    if (username === 'victim') return password === ${JSON.stringify(RIGHT)} ? this.accept(user('victim')) : this.refuse('bad-password', 'Wrong password.')
    return this.refuse('unknown-user', 'No such user.')
  }
  async getUser(id) { return id === 'victim' ? user('victim') : null }
  async getUserByName(name) { return name === 'victim' ? user('victim') : null }
  async serverVersion() { return 'attack engine' }
}
export const AttackAuth = defineEngine({ kind: 'auth', id: 'attack', title: 'Attack', description: 'test', options: AuthOptions, create: (o, c) => new Attack(o, c) })
`

let dir: string
let test: TestApp
let counting = 0
type Failure = { code: string; status: number; message: string; details?: Record<string, unknown> }

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bp-auth-attack-'))
  const file = join(dir, 'attack-auth.mjs')
  writeFileSync(file, ENGINE)
  test = await openTestApp({ trust: [file] })
  await test.app.call('settings.deleteAlias', { kind: 'auth', name: 'default' })
  await test.app.call('settings.saveAlias', { kind: 'auth', name: 'attack', engine: `${file}#AttackAuth`, options: {} })
}, 60_000)
afterAll(async () => {
  await test.close()
  rmSync(dir, { recursive: true, force: true })
})
beforeEach(async () => {
  await test.app.call('auth.clearThrottle', {})
})

/** auth.authenticate as serve mode dispatches it for a client at `peer`. */
type Answer = { user: { id: string; username: string } | null; alias: string | null; attempts: Array<{ outcome: string; message?: string }>; permissions: string[] }
function overHttp(input: Record<string, unknown>, peer = '192.0.2.10'): Promise<Answer> {
  return test.app.router.dispatch('auth.authenticate', input, { app: test.app, via: 'http', source: peer }) as Promise<Answer>
}
const outcome = (p: Promise<unknown>) =>
  p.then(
    () => 'answered' as const,
    (e: Failure) => (e.code === 'E_THROTTLED' ? ('throttled' as const) : e.code),
  )
const fresh = (prefix: string) => `${prefix}${++counting}`

describe('the throttle, attacked', () => {
  it('locks the victim after the free failures (baseline)', async () => {
    for (let i = 0; i < 6; i++) expect(await outcome(overHttp({ username: 'victim', password: 'guess' }))).toBe('answered')
    expect(await outcome(overHttp({ username: 'victim', password: RIGHT }))).toBe('throttled')
  })

  it('gives the same answer for a locked existing user with the right password and a locked unknown user', async () => {
    for (let i = 0; i < 6; i++) await overHttp({ username: 'victim', password: 'guess' }, '192.0.2.20')
    for (let i = 0; i < 6; i++) await overHttp({ username: 'ghost', password: 'guess' }, '192.0.2.21')
    const victim = (await overHttp({ username: 'victim', password: RIGHT }, '192.0.2.22').catch((e: Failure) => e)) as Failure
    const ghost = (await overHttp({ username: 'ghost', password: RIGHT }, '192.0.2.23').catch((e: Failure) => e)) as Failure
    expect([victim.code, ghost.code]).toEqual(['E_THROTTLED', 'E_THROTTLED'])
    expect(victim.message.replace('victim', 'X')).toBe(ghost.message.replace('ghost', 'X'))
  })

  // Should: over HTTP the peer's address is counted whatever "source" the client names, so renaming the source on each guess does not lift the per-source limit.
  it('keeps counting the peer address when an HTTP client names a new "source" on every attempt', async () => {
    const results: string[] = []
    for (let i = 0; i < 12; i++) results.push(await outcome(overHttp({ username: fresh('spray'), password: 'Winter2026!', source: fresh('spoofed-') }, '192.0.2.30')))
    expect(results.slice(6)).toContain('throttled')
  })

  // Should: a burst of parallel guesses from one source (one per username, a password spray) is counted before the next is let through: at most freeFailures + 1 reach the backends.
  it('does not let a parallel burst of different usernames from one source past the per-source limit', async () => {
    const results = await Promise.all(Array.from({ length: 40 }, () => outcome(overHttp({ username: fresh('slow-spray'), password: 'Winter2026!' }, '192.0.2.40'))))
    expect(results.filter((r) => r === 'answered').length).toBeLessThanOrEqual(6)
  })

  // Should: a flood of made-up usernames and sources must not evict the lock of a user under attack (the 10,000-key cap forgets the oldest, locked keys included).
  it('keeps the victim locked after a flood of failures for made-up usernames from made-up sources', async () => {
    for (let i = 0; i < 6; i++) await overHttp({ username: 'victim', password: 'guess' }, '192.0.2.50')
    expect(await outcome(overHttp({ username: 'victim', password: 'guess' }, '192.0.2.51'))).toBe('throttled')
    for (let batch = 0; batch < 52; batch++) {
      await Promise.all(Array.from({ length: 100 }, () => overHttp({ username: fresh('flood'), password: 'x', source: fresh('flood-src-') }, `198.51.100.${batch}`).catch(() => undefined)))
    }
    expect(await outcome(overHttp({ username: 'victim', password: 'guess' }, '192.0.2.52'))).toBe('throttled')
  }, 120_000)

  it('writes one audit row for a lock however many requests it refuses, so a flood cannot push real attempts out', async () => {
    for (let i = 0; i < 6; i++) await overHttp({ username: 'victim', password: 'guess' }, '192.0.2.55')
    const rows = async () => (await test.app.call('auth.audit', { username: 'victim', outcome: 'throttled', limit: 1000 })).total
    const before = await rows()
    const results = await Promise.all(Array.from({ length: 500 }, (_, i) => outcome(overHttp({ username: 'victim', password: 'guess' }, `192.0.2.${100 + (i % 100)}`))))
    expect(results.every((r) => r === 'throttled')).toBe(true)
    expect((await rows()) - before).toBe(1)
    expect((await test.app.call('auth.audit', { username: 'victim', outcome: 'throttled', limit: 1 })).entries[0]?.reason).toContain('500 attempts were refused during this lock')
  })

  it('serialises a parallel burst for one username: no more than the free failures get through', async () => {
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => outcome(overHttp({ username: 'victim', password: `guess-${i}` }, `203.0.113.${i}`))))
    expect(results.filter((r) => r === 'answered').length).toBe(6)
  })

  it('does not count a denial as anything but a failure, and stops the chain', async () => {
    const answer = await overHttp({ username: 'deny-me', password: 'x' })
    expect(answer).toMatchObject({ user: null, attempts: [{ outcome: 'denied' }] })
    expect((await test.app.call('auth.throttle', {})).locks.map((l) => l.key)).toContain('user:deny-me')
  })
})

describe('a password in a backend error', () => {
  // Should: the password of the attempt is scrubbed from every attempt message, error payload, audit reason, export and log line, even when a custom engine's error quotes it.
  it('does not come back in the answer, the audit log, the export or the log when the engine quotes it', async () => {
    const answer = await overHttp({ username: 'leaky', password: MARK }, '192.0.2.60')
    expect(answer.attempts[0]).toMatchObject({ outcome: 'error' })
    const audit = await test.app.call('auth.audit', { username: 'leaky' })
    const csv = await test.app.call('auth.auditExport', { username: 'leaky', format: 'csv' })
    const jsonl = await test.app.call('auth.auditExport', { username: 'leaky', format: 'jsonl' })
    const logs = JSON.stringify(test.logs)
    const files = readdirSync(test.home).filter((f) => f.startsWith(AUDIT_FILE)).map((f) => readFileSync(join(test.home, f)).toString('latin1'))
    expect({
      answer: JSON.stringify(answer).includes(MARK),
      audit: JSON.stringify(audit).includes(MARK),
      csv: csv.text.includes(MARK),
      jsonl: jsonl.text.includes(MARK),
      logs: logs.includes(MARK),
      auditFile: files.some((f) => f.includes(MARK)),
    }).toEqual({ answer: false, audit: false, csv: false, jsonl: false, logs: false, auditFile: false })
  })
})

describe('logic', () => {
  it('a thrown error stops the chain and is not counted as a failed guess', async () => {
    const answer = await overHttp({ username: 'leak-2', password: 'p' })
    expect(answer.attempts).toHaveLength(1)
    expect((await test.app.call('auth.throttle', {})).locks.map((l) => l.key)).not.toContain('user:leak-2')
  })

  it('answers auth.userPermissions and auth.hasPerm for a custom engine without the permission methods as none', async () => {
    const backend = (await test.app.pool.get('auth', 'attack')) as AuthBackend
    expect(backend.getUserByName).toBeTypeOf('function')
    expect(await test.app.call('auth.hasPerm', { alias: 'attack', username: 'victim', perm: 'a.b' })).toEqual({ hasPerm: false, hasModulePerms: false })
  })
})

describe('users of one backend, permissions of another', () => {
  // Should: the model backend answers permissions only for its own users; a user another backend signed in (LDAP without a mirror: id = uid, "1" here) must not get the permissions of auth_user id 1.
  it('does not give a user of another backend the permissions of the model user with the same id', async () => {
    await test.app.call('settings.saveAlias', { kind: 'auth', name: 'model', engine: 'model', options: { createTables: true } })
    try {
      const model = (await test.app.pool.get('auth', 'model')) as AuthBackend
      const perm = (await model.listPermissions!())[0]!.perm
      const admin = await model.createUser!({ username: 'first-admin', permissions: [perm] })
      expect(admin.id).toBe('1')
      const answer = await overHttp({ username: 'num-7', password: 'x' }, '192.0.2.70')
      expect(answer).toMatchObject({ user: { username: 'num-7', id: '1' }, alias: 'attack' })
      expect(answer.permissions).toEqual([])
    } finally {
      await test.app.call('settings.deleteAlias', { kind: 'auth', name: 'model' })
    }
  }, 30_000)
})

describe('serve mode, malformed requests', () => {
  it('answers malformed auth.authenticate bodies with a 4xx that quotes no password', async () => {
    const server = await startHttpServer(test.app, { host: '127.0.0.1', port: 0, token: 'attack-token' })
    const post = (body: string) =>
      new Promise<{ status: number; text: string }>((done, fail) => {
        const req = request({ host: '127.0.0.1', port: server.port, method: 'POST', path: '/rpc/auth.authenticate', headers: { authorization: 'Bearer attack-token', 'content-type': 'application/json' } }, (res) => {
          let text = ''
          res.on('data', (c: Buffer) => (text += c.toString())).on('end', () => done({ status: res.statusCode ?? 0, text }))
        })
        req.on('error', fail).end(body)
      })
    try {
      const bodies = [
        'not json',
        '[]',
        'null',
        JSON.stringify({ username: { $gt: '' }, password: MARK }),
        JSON.stringify({ username: ['victim'], password: MARK }),
        JSON.stringify({ username: 'victim', password: MARK + 'p'.repeat(4096) }),
        JSON.stringify({ username: 'victim', password: [MARK] }),
        JSON.stringify({ username: 'victim', password: MARK, source: 's'.repeat(201) }),
      ]
      const answers = []
      for (const body of bodies) answers.push(await post(body))
      expect(answers.map((a) => a.status >= 400 && a.status < 500)).toEqual(bodies.map(() => true))
      expect(answers.filter((a) => a.text.includes(MARK))).toEqual([])
      expect(JSON.stringify(test.logs).includes(MARK + 'p')).toBe(false)
      const polluted = await post(`{"username":"victim","password":"x","__proto__":{"isSuperuser":true,"ok":true}}`)
      expect([polluted.status, JSON.parse(polluted.text).user]).toEqual([200, null])
    } finally {
      await server.close()
    }
  })
})
