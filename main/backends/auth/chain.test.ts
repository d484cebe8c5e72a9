import { createHash } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createEngineRegistry } from '..'
import { createBackend, testContext } from '../../../test/support/engine-context'
import { locateEngineModule } from '../../core/engine-module'
import { TrustStore } from '../../core/engine-trust'
import { BackplaneError, ErrorCode } from '../../core/errors'
import { AuthOptions, BaseAuthBackend, type AuthBackend, type AuthResult, type AuthUser, type Credentials, type WithPermOptions } from './base'
import { authenticateChain, chainHasModulePerms, chainHasPerm, chainPermissions, chainWithPerm, type ChainLink } from './chain'

const contexts: ReturnType<typeof testContext>[] = []
afterAll(() => contexts.forEach((c) => c.cleanup()))

function user(username: string, fields: Partial<AuthUser> = {}): AuthUser {
  return { id: username, username, isActive: true, isStaff: false, isSuperuser: false, ...fields }
}

/** A backend that answers as scripted and counts how often it was asked. */
class Scripted extends BaseAuthBackend {
  asked = 0
  constructor(
    private readonly answer: (c: Credentials) => AuthResult | Promise<AuthResult>,
    private readonly perms: { own?: string[]; groups?: string[]; holders?: AuthUser[] } = {},
  ) {
    const ctx = testContext('auth')
    contexts.push(ctx)
    super(AuthOptions.parse({}), ctx)
  }
  async authenticate(c: Credentials) {
    this.asked++
    return this.answer(c)
  }
  async getUser() {
    return null
  }
  override async getUserPermissions() {
    return this.perms.own ?? []
  }
  override async getGroupPermissions() {
    return this.perms.groups ?? []
  }
  async withPerm(_perm: string, _options?: WithPermOptions) {
    return this.perms.holders ?? []
  }
  protected async serverVersion() {
    return 'scripted'
  }
}

const link = (alias: string, backend: AuthBackend, engine = 'scripted'): ChainLink => ({ alias, engine, backend })
const refuse = (reason: 'unknown-user' | 'bad-password' | 'skipped' | 'denied', message: string = reason): AuthResult => ({ ok: false, reason, message })
const creds = { username: 'ada', password: 'pw' }

describe("the auth chain (Django's authenticate())", () => {
  it('asks each backend in order, and the first that accepts wins: later ones are not asked', async () => {
    const first = new Scripted(() => refuse('unknown-user', 'No user "ada" in default.auth_user.'))
    const second = new Scripted(() => ({ ok: true, user: user('ada'), upgraded: true }))
    const third = new Scripted(() => ({ ok: true, user: user('impostor') }))
    const result = await authenticateChain([link('default', first, 'model'), link('ldap', second, 'ldap'), link('spare', third)], creds)
    expect(result).toMatchObject({ user: { username: 'ada' }, alias: 'ldap', upgraded: true })
    expect(result.attempts.map(({ ms, ...rest }) => (expect(ms).toBeGreaterThanOrEqual(0), rest))).toEqual([
      { alias: 'default', engine: 'model', outcome: 'unknown-user', message: 'No user "ada" in default.auth_user.' },
      { alias: 'ldap', engine: 'ldap', outcome: 'success' },
    ])
    expect(third.asked).toBe(0)
  })

  it('stops at a backend that denies (PermissionDenied), with no user, asking no later backend', async () => {
    const after = new Scripted(() => ({ ok: true, user: user('ada') }))
    const result = await authenticateChain([link('a', new Scripted(() => refuse('skipped'))), link('b', new Scripted(() => refuse('denied', 'Outside office hours.'))), link('c', after)], creds)
    expect(result).toMatchObject({ user: null, alias: null, upgraded: false })
    expect(result.attempts.map((a) => a.outcome)).toEqual(['skipped', 'denied'])
    expect(after.asked).toBe(0)
  })

  it('stops at a backend that throws, keeping its typed error and saying the Django login would fail', async () => {
    const after = new Scripted(() => ({ ok: true, user: user('ada') }))
    const down = new Scripted(() => {
      throw new BackplaneError(ErrorCode.E_CONNECTION_REFUSED, 'Nothing listens on 127.0.0.1:1.')
    })
    const result = await authenticateChain([link('ldap', down, 'ldap'), link('default', after)], creds)
    expect(result.user).toBeNull()
    expect(result.attempts).toEqual([
      { alias: 'ldap', engine: 'ldap', outcome: 'error', ms: expect.any(Number), message: expect.stringContaining('Django would raise this'), error: { code: 'E_CONNECTION_REFUSED', message: 'Nothing listens on 127.0.0.1:1.', hint: expect.any(String) } },
    ])
    expect(after.asked).toBe(0)
  })

  it('answers no user and every refusal when all backends refuse; an empty chain signs nobody in', async () => {
    const result = await authenticateChain([link('a', new Scripted(() => refuse('bad-password'))), link('b', new Scripted(() => refuse('unknown-user')))], creds)
    expect(result.attempts.map((a) => a.outcome)).toEqual(['bad-password', 'unknown-user'])
    expect(await authenticateChain([], creds)).toEqual({ user: null, alias: null, attempts: [], upgraded: false, resolved: [] })
  })

  it('collects the usernames refusing backends resolved the credentials to, for the throttle', async () => {
    const resolving = new Scripted(() => ({ ok: false, reason: 'bad-password', message: 'Wrong password.', username: 'mallory' }) as AuthResult)
    const result = await authenticateChain([link('ldap', resolving, 'ldap'), link('plain', new Scripted(() => refuse('unknown-user'))), link('again', resolving, 'ldap')], creds)
    expect(result.resolved).toEqual(['mallory'])
    expect((await authenticateChain([link('plain', new Scripted(() => refuse('unknown-user')))], creds)).resolved).toEqual([])
  })
})

describe('the API-token example in a chain', () => {
  const trustDir = mkdtempSync(join(tmpdir(), 'backplane-chain-trust-'))
  afterAll(() => rmSync(trustDir, { recursive: true, force: true }))

  async function tokenBackend(): Promise<AuthBackend> {
    const trust = new TrustStore(trustDir)
    const examples = resolve(__dirname, '../../../examples')
    await trust.trust(await locateEngineModule('./token-auth.mjs#TokenAuth', examples))
    const engine = await createEngineRegistry({ trust }).resolve('auth', './token-auth.mjs#TokenAuth', examples)
    const ctx = testContext('auth', { engine: './token-auth.mjs#TokenAuth' })
    contexts.push(ctx)
    writeFileSync(join(ctx.dataDir, 'api-tokens.json'), JSON.stringify({ users: [{ username: 'bot', tokenSha256: createHash('sha256').update('tok-9c1e').digest('hex'), permissions: ['ci.run_build'] }] }))
    return createBackend(engine, {}, ctx)
  }

  it('is skipped for a password login, so the next backend answers; a token login succeeds through it', async () => {
    const tokens = await tokenBackend()
    const model = new Scripted((c) => (c.username === 'ada' && c.password === 'pw' ? { ok: true, user: user('ada') } : refuse('unknown-user')))
    const chain = [link('tokens', tokens, './token-auth.mjs#TokenAuth'), link('default', model, 'model')]

    const byPassword = await authenticateChain(chain, creds)
    expect(byPassword).toMatchObject({ user: { username: 'ada' }, alias: 'default' })
    expect(byPassword.attempts.map((a) => [a.alias, a.outcome])).toEqual([['tokens', 'skipped'], ['default', 'success']])

    const byToken = await authenticateChain(chain, { token: 'tok-9c1e' } as unknown as Credentials)
    expect(byToken).toMatchObject({ user: { username: 'bot' }, alias: 'tokens' })
    expect(model.asked).toBe(1)
    expect((await chainPermissions(chain, byToken.user!)).allPermissions).toEqual(['ci.run_build'])
  })
})

describe("permissions over the chain (Django's User methods)", () => {
  const a = new Scripted(() => refuse('skipped'), { own: ['blog.add_post'], groups: ['blog.view_post'] })
  const b = new Scripted(() => refuse('skipped'), { own: ['shop.refund', 'blog.add_post'] })
  // A custom engine may have no permission methods at all: it grants nothing.
  const bare: AuthBackend = { authenticate: async () => refuse('skipped'), getUser: async () => null, check: async () => ({}) as never, close: async () => undefined }
  const chain = [link('a', a), link('b', b), link('bare', bare)]

  it("unions every backend's permissions, user's, groups' and all, sorted and without repeats", async () => {
    expect(await chainPermissions(chain, user('ada'))).toEqual({
      userPermissions: ['blog.add_post', 'shop.refund'],
      groupPermissions: ['blog.view_post'],
      allPermissions: ['blog.add_post', 'blog.view_post', 'shop.refund'],
    })
    // BaseAuthBackend grants an inactive user nothing, as Django's backends.
    expect((await chainPermissions(chain, user('ada', { isActive: false }))).allPermissions).toEqual([])
  })

  it('says has_perm for a permission any backend grants, and every permission for an active superuser only', async () => {
    expect(await chainHasPerm(chain, user('ada'), 'shop.refund')).toBe(true)
    expect(await chainHasPerm(chain, user('ada'), 'shop.delete_everything')).toBe(false)
    expect(await chainHasModulePerms(chain, user('ada'), 'shop')).toBe(true)
    expect(await chainHasModulePerms(chain, user('ada'), 'payroll')).toBe(false)
    expect(await chainHasPerm(chain, user('root', { isSuperuser: true }), 'payroll.anything')).toBe(true)
    expect(await chainHasModulePerms(chain, user('root', { isSuperuser: true }), 'payroll')).toBe(true)
    expect(await chainHasPerm(chain, user('root', { isSuperuser: true, isActive: false }), 'payroll.anything')).toBe(false)
  })

  it('lists the users with a permission over every backend, each username once, as the first backend knows them, up to the limit', async () => {
    const first = new Scripted(() => refuse('skipped'), { holders: [user('ada', { email: 'ada@first' }), user('grace')] })
    const second = new Scripted(() => refuse('skipped'), { holders: [user('ada', { email: 'ada@second' }), user('linus')] })
    const users = await chainWithPerm([link('first', first), link('second', second), link('bare', bare)], 'blog.add_post', {}, 10)
    expect(users.map((u) => [u.username, u.email])).toEqual([['ada', 'ada@first'], ['grace', undefined], ['linus', undefined]])
    expect(await chainWithPerm([link('first', first), link('second', second)], 'blog.add_post', {}, 2)).toHaveLength(2)
  })
})
