import { createHash } from 'node:crypto'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { request } from 'node:http'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { WebSocket } from 'ws'
import { startHttpServer } from '../hosts/http/server'
import { openTestApp, type TestApp } from '../../test/support/test-app'
import type { AuthBackend } from '../backends/auth/base'
import { AUDIT_FILE } from '../services/auth-login'

// auth.authenticate and the other chain-level methods on a real app: the embedded model alias first, an
// API-token alias (examples/token-auth.mjs) second, as two entries of Django's AUTHENTICATION_BACKENDS.
const TOKENS = resolve(__dirname, '../../examples/token-auth.mjs')
// Distinctive enough that finding it anywhere (a log line, the audit file, an answer) can only be a leak.
const PASSWORD = 'Quokka-Zebra-7f3c-unleakable'
let test: TestApp
let model: AuthBackend
let perms: string[]

beforeAll(async () => {
  test = await openTestApp({ trust: [TOKENS] })
  writeFileSync(join(test.home, 'api-tokens.json'), JSON.stringify({ users: [{ username: 'bot', tokenSha256: createHash('sha256').update('tok-1').digest('hex'), permissions: ['ci.run_build'] }] }))
  await test.app.call('settings.saveAlias', { kind: 'auth', name: 'tokens', engine: `${TOKENS}#TokenAuth`, options: {} })
  model = (await test.app.pool.get('auth', 'default')) as AuthBackend
  perms = (await model.listPermissions!()).map((p) => p.perm)
  await model.createUser!({ username: 'ada', password: PASSWORD, permissions: [perms[0]!] })
  await model.createUser!({ username: 'root', password: 'root-pw-1', isSuperuser: true })
}, 60_000)
afterAll(() => test.close())

const login = (username: string, password: string, source?: string) => test.app.call('auth.authenticate', { username, password, ...(source ? { source } : {}) })
type LoginAnswer = Awaited<ReturnType<typeof login>>
/** auth.authenticate as serve mode dispatches it for a client at `peer`: the throttle counts the peer. */
const from = (peer: string, username: string, password: string) => test.app.router.dispatch('auth.authenticate', { username, password }, { app: test.app, via: 'http', source: peer }) as Promise<LoginAnswer>
const failure = (promise: Promise<unknown>) => promise.then(() => expect.unreachable('it succeeded'), (e: unknown) => e as { code: string; status: number; message: string; hint?: string; details?: Record<string, unknown> })

describe('auth.authenticate', () => {
  it('signs a user in through the chain, with each attempt, the alias, the permission set, and an audit entry', async () => {
    const answer = await login('ada', PASSWORD, 'login-tester')
    expect(answer).toMatchObject({ user: { username: 'ada', isActive: true }, alias: 'default', permissions: [perms[0]], upgraded: false })
    expect(answer.attempts).toEqual([{ alias: 'default', engine: 'model', outcome: 'success', ms: expect.any(Number) }])
    const { entries } = await test.app.call('auth.audit', { username: 'ada', limit: 1 })
    // The input's source is a label after the caller's own: the throttle counted "cli".
    expect(entries[0]).toMatchObject({ username: 'ada', source: 'cli (login-tester)', alias: 'default', outcome: 'success' })
  })

  it('says what each backend answered when none accepts, and audits the refusal that says most', async () => {
    const answer = await login('ada', 'not the password', 'lab-1')
    expect(answer).toMatchObject({ user: null, alias: null, permissions: [] })
    expect(answer.attempts.map((a) => [a.alias, a.outcome])).toEqual([
      ['default', 'bad-password'],
      ['tokens', 'skipped'],
    ])
    expect((await test.app.call('auth.audit', { limit: 1 })).entries[0]).toMatchObject({ username: 'ada', source: 'cli (lab-1)', alias: 'default', outcome: 'bad-password', reason: expect.stringContaining('Wrong password') })
    await test.app.call('auth.clearThrottle', {})
  })

  it("names the call's source when the input does not: the peer's address, or the door it came through", async () => {
    await test.app.router.dispatch('auth.authenticate', { username: 'nobody', password: 'x' }, { app: test.app, via: 'http', source: '192.0.2.7' })
    expect((await test.app.call('auth.audit', { limit: 1 })).entries[0]).toMatchObject({ username: 'nobody', source: '192.0.2.7', outcome: 'unknown-user', alias: 'default' })
    await login('nobody', 'x')
    expect((await test.app.call('auth.audit', { limit: 1 })).entries[0]).toMatchObject({ source: 'cli' })
    await test.app.call('auth.clearThrottle', {})
  })

  it('counts the caller\'s own source whatever the input names, so a client cannot dodge the lock or lock the desktop', async () => {
    for (let i = 0; i < 6; i++) await test.app.router.dispatch('auth.authenticate', { username: `spray-${i}`, password: 'x', source: 'desktop' }, { app: test.app, via: 'http', source: '192.0.2.8' })
    const keys = (await test.app.call('auth.throttle', {})).locks.map((l) => l.key)
    expect(keys).toContain('source:192.0.2.8')
    expect(keys).not.toContain('source:desktop')
    expect((await test.app.call('auth.audit', { limit: 1 })).entries[0]).toMatchObject({ username: 'spray-5', source: '192.0.2.8 (desktop)' })
    expect((await test.app.call('auth.audit', { source: '192.0.2.8', limit: 10 })).total).toBe(6)
    expect(await failure(from('192.0.2.8', 'ada', PASSWORD))).toMatchObject({ code: 'E_THROTTLED', details: { key: 'source:192.0.2.8' } })
    expect((await test.app.router.dispatch('auth.authenticate', { username: 'ada', password: PASSWORD }, { app: test.app, via: 'ipc', source: 'desktop' })) as LoginAnswer).toMatchObject({ user: { username: 'ada' } })
    await test.app.call('auth.clearThrottle', {})
  })

  it("names the peer's address as the source over HTTP and over the WebSocket", async () => {
    const server = await startHttpServer(test.app, { host: '127.0.0.1', port: 0, token: 'auth-api-token' })
    try {
      const body = JSON.stringify({ username: 'nobody', password: 'x' })
      await new Promise<void>((done, fail) => {
        const req = request({ host: '127.0.0.1', port: server.port, method: 'POST', path: '/rpc/auth.authenticate', headers: { authorization: 'Bearer auth-api-token', 'content-type': 'application/json' } }, (res) => res.resume().on('end', done))
        req.on('error', fail).end(body)
      })
      expect((await test.app.call('auth.audit', { limit: 1 })).entries[0]).toMatchObject({ username: 'nobody', source: '127.0.0.1' })
      const ws = new WebSocket(`ws://127.0.0.1:${server.port}/events?token=auth-api-token`)
      await new Promise((done, fail) => ws.on('open', done).on('error', fail))
      const answered = new Promise((done) => ws.on('message', (data) => JSON.parse(String(data)).id === 1 && done(undefined)))
      ws.send(JSON.stringify({ id: 1, method: 'auth.authenticate', input: { username: 'nobody-ws', password: 'x' } }))
      await answered
      ws.close()
      expect((await test.app.call('auth.audit', { limit: 1 })).entries[0]).toMatchObject({ username: 'nobody-ws', source: '127.0.0.1' })
    } finally {
      await server.close()
      await test.app.call('auth.clearThrottle', {})
    }
  })

  it('stops at an alias whose backend fails, as Django lets the exception through, and does not count it against the user', async () => {
    await test.app.call('settings.saveAlias', { kind: 'auth', name: 'broken', engine: 'model', options: { database: 'no-such-database' } })
    try {
      const answer = await login('nobody', 'x', 'lab-2')
      expect(answer.attempts.map((a) => [a.alias, a.outcome])).toEqual([
        ['default', 'unknown-user'],
        ['tokens', 'skipped'],
        ['broken', 'error'],
      ])
      expect(answer.attempts[2]!.error).toMatchObject({ code: 'E_ALIAS_NOT_FOUND' })
      expect((await test.app.call('auth.audit', { limit: 1 })).entries[0]).toMatchObject({ alias: 'broken', outcome: 'error' })
      expect((await test.app.call('auth.throttle', {})).locks.find((l) => l.key === 'user:nobody')).toBeUndefined()
    } finally {
      await test.app.call('settings.deleteAlias', { kind: 'auth', name: 'broken' })
    }
  })
})

describe('throttling', () => {
  it('locks a username after five free failures, refusing even the right password without asking a backend', async () => {
    await model.createUser!({ username: 'grace', password: 'grace-pw-1906' })
    for (let i = 0; i < 6; i++) expect((await from('192.0.2.3', 'grace', `guess ${i}`)).user).toBeNull()
    const asked = vi.spyOn(model, 'authenticate')
    try {
      // Spelled otherwise, from elsewhere: the same lock.
      const error = await failure(from('192.0.2.4', 'GRACE ', 'grace-pw-1906'))
      expect(error).toMatchObject({ code: 'E_THROTTLED', status: 429, hint: expect.stringContaining('user:grace') })
      expect(error.details?.retryAfterMs).toBeGreaterThan(0)
      expect(error.details?.retryAfterMs).toBeLessThanOrEqual(1000)
      expect(asked).not.toHaveBeenCalled()
    } finally {
      asked.mockRestore()
    }
    expect((await test.app.call('auth.audit', { limit: 1 })).entries[0]).toMatchObject({ username: 'GRACE ', outcome: 'throttled', alias: null, source: '192.0.2.4' })
    const { locks, policy } = await test.app.call('auth.throttle', {})
    expect(policy).toEqual({ freeFailures: 5, baseDelayMs: 1000, maxDelayMs: 900_000 })
    expect(locks.find((l) => l.key === 'user:grace')).toMatchObject({ failures: 6, lockedUntil: expect.any(String) })
    expect(locks.find((l) => l.key === 'source:192.0.2.3')).toMatchObject({ failures: 6, lockedUntil: expect.any(String) })

    // Lifting the username's lock leaves the source's: from there, still refused; from elsewhere, in.
    expect(await test.app.call('auth.clearThrottle', { key: 'user:grace' })).toEqual({ cleared: 1 })
    expect(await failure(from('192.0.2.3', 'grace', 'grace-pw-1906'))).toMatchObject({ code: 'E_THROTTLED', details: { key: 'source:192.0.2.3' } })
    expect((await from('192.0.2.4', 'grace', 'grace-pw-1906')).user?.username).toBe('grace')
    expect((await test.app.call('auth.clearThrottle', {})).cleared).toBeGreaterThan(0)
    expect((await test.app.call('auth.throttle', {})).locks).toEqual([])
  }, 60_000)
})

describe('the audit log through the API', () => {
  it('filters, pages by id, and exports as CSV or JSON Lines', async () => {
    const all = await test.app.call('auth.audit', { limit: 1000 })
    expect(all.total).toBe(all.entries.length)
    const ids = all.entries.map((e) => e.id)
    expect(ids).toEqual([...ids].sort((a, b) => b - a))
    const page = await test.app.call('auth.audit', { limit: 2, beforeId: ids[1]! })
    expect(page.entries.map((e) => e.id)).toEqual(ids.slice(2, 4))
    const throttled = await test.app.call('auth.audit', { outcome: 'throttled', limit: 100 })
    expect(throttled.entries.every((e) => e.outcome === 'throttled')).toBe(true)
    // One row per lock: source:192.0.2.8's, user:grace's, source:192.0.2.3's.
    expect(throttled.total).toBe(3)
    expect(await test.app.call('auth.audit', { since: '2999-01-01T00:00:00Z', limit: 10 })).toEqual({ entries: [], total: 0 })

    const csv = await test.app.call('auth.auditExport', { username: 'grace', format: 'csv' })
    expect(csv).toMatchObject({ filename: expect.stringMatching(/^auth-audit-.*\.csv$/), contentType: 'text/csv; charset=utf-8', truncated: false })
    expect(csv.text.split('\r\n')[0]).toBe('id,time,username,source,alias,outcome,reason,ms')
    expect(csv.text.trim().split('\r\n')).toHaveLength(csv.count + 1)
    const jsonl = await test.app.call('auth.auditExport', { format: 'jsonl' })
    expect(jsonl.count).toBe(all.total)
    expect(JSON.parse(jsonl.text.split('\n')[0]!)).toEqual(all.entries[0])
  })

  it('never holds the password: not in the audit file, the log, or any answer or error', async () => {
    const answers: unknown[] = []
    answers.push(await login('ada', PASSWORD), await login('ada', `${PASSWORD}!`), await login('nobody', PASSWORD))
    for (let i = 0; i < 6; i++) answers.push(await from('192.0.2.5', 'leaky', PASSWORD))
    answers.push(await failure(from('192.0.2.5', 'leaky', PASSWORD)))
    answers.push(await test.app.call('auth.audit', { limit: 1000 }), await test.app.call('auth.auditExport', { format: 'jsonl' }), await test.app.call('auth.throttle', {}))
    const texts = [JSON.stringify(answers), JSON.stringify(test.logs)]
    for (const file of [AUDIT_FILE, `${AUDIT_FILE}-wal`].map((f) => join(test.home, f)).filter(existsSync)) texts.push(readFileSync(file).toString('latin1'))
    for (const text of texts) expect(text).not.toContain('7f3c-unleakable')
    await test.app.call('auth.clearThrottle', {})
  }, 60_000)
})

describe('permissions over the chain', () => {
  it("answers a user's permissions, has_perm and has_module_perms over every backend", async () => {
    const [perm] = perms
    expect(await test.app.call('auth.userPermissions', { username: 'ada' })).toMatchObject({ user: { username: 'ada' }, userPermissions: [perm], groupPermissions: [], allPermissions: [perm] })
    expect(await test.app.call('auth.hasPerm', { username: 'ada', perm: perm! })).toEqual({ hasPerm: true, hasModulePerms: true })
    expect(await test.app.call('auth.hasPerm', { username: 'ada', perm: 'ci.run_build' })).toEqual({ hasPerm: false, hasModulePerms: false })
    // The token alias grants its own user its permission; the model's superuser has every one.
    expect(await test.app.call('auth.hasPerm', { alias: 'tokens', username: 'bot', perm: 'ci.run_build' })).toEqual({ hasPerm: true, hasModulePerms: true })
    expect(await test.app.call('auth.hasPerm', { username: 'root', perm: 'payroll.anything' })).toEqual({ hasPerm: true, hasModulePerms: true })
  })

  it('lists the users with a permission, superusers included unless asked not to', async () => {
    const names = async (input: { includeSuperusers?: boolean } = {}) => (await test.app.call('auth.withPerm', { perm: perms[0]!, ...input })).users.map((u) => u.username).sort()
    expect(await names()).toEqual(['ada', 'root'])
    expect(await names({ includeSuperusers: false })).toEqual(['ada'])
    // Over the chain: the token alias's holder, and the model's superuser, who has every permission.
    expect((await test.app.call('auth.withPerm', { alias: 'tokens', perm: 'ci.run_build' })).users.map((u) => u.username)).toEqual(['bot', 'root'])
    expect((await test.app.call('auth.withPerm', { alias: 'tokens', perm: 'ci.run_build', includeSuperusers: false })).users.map((u) => u.username)).toEqual(['bot'])
  })

  it('says when there is no such user or alias, with typed 4xx errors', async () => {
    expect(await failure(test.app.call('auth.userPermissions', { username: 'nobody-here' }))).toMatchObject({ code: 'E_NOT_FOUND', status: 404, hint: expect.stringContaining('case-sensitive') })
    expect(await failure(test.app.call('auth.hasPerm', { alias: 'nope', username: 'ada', perm: 'a.b' }))).toMatchObject({ code: 'E_ALIAS_NOT_FOUND', status: 404 })
    expect(await failure(test.app.call('auth.withPerm', { perm: 'not a perm' }))).toMatchObject({ code: 'E_INVALID_INPUT', status: 400 })
  })
})
