import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { authContract } from '../../../../test/contracts/auth.contract'
import { ldapContractFixture, need, openSockets } from '../../../../test/contracts/auth-ldap.contract'
import { createBackend, testContext, type TestContext } from '../../../../test/support/engine-context'
import { describeService } from '../../../../test/support/services'
import type { Backend } from '../../../core/engine'
import type { Database } from '../../data/base'
import { sqliteEngine } from '../../data/engines/sqlite'
import type { AuthBackend, AuthResult } from '../base'
import { ldapEngine } from './ldap'
import { modelEngine } from './model'

const SUFFIX = 'dc=example,dc=test'
const PEOPLE = `ou=people,${SUFFIX}`
const GROUPS = `ou=groups,${SUFFIX}`
const group = (cn: string) => `cn=${cn},${GROUPS}`
const TEMPLATE = `uid=%(user)s,${PEOPLE}`

// Usernames that would match someone else, or break the DN or the filter, if they were not escaped.
const HOSTILE = ['*', 'ad*', 'gr*ce', 'ada)(uid=*', '*)(|(uid=*', 'ada,ou=x', 'ada\\', '\0', 'ada\0', '#ada', 'ada+cn=x', '(uid=ada)', 'a'.repeat(5000), 'x'.repeat(5000) + '*']

function outcome(result: AuthResult): string {
  return result.ok ? `ok:${result.user.username}` : result.reason
}

describeService('ldap', 'ldap auth backend against the testbed OpenLDAP', (env) => {
  const contexts: TestContext[] = []
  const opened: Array<{ close(): Promise<void> }> = []
  afterAll(async () => {
    for (const b of opened) await b.close()
    for (const c of contexts) c.cleanup()
  })

  const password = () => need(env, 'BACKPLANE_TEST_PASSWORD')
  const service = () => ({ bindDn: need(env, 'BACKPLANE_TEST_LDAP_SERVICE_DN'), bindPassword: password() })

  async function ldap(options: Record<string, unknown>, backends: Record<string, Backend> = {}): Promise<AuthBackend> {
    const ctx = testContext('auth', { alias: 'directory', engine: 'ldap', backends })
    contexts.push(ctx)
    const backend = await createBackend<AuthBackend>(ldapEngine, { url: need(env, 'BACKPLANE_TEST_LDAP_URL'), ...options }, ctx)
    opened.push(backend)
    return backend
  }
  const searching = (extra: Record<string, unknown> = {}) => ldap({ ...service(), userSearchBase: PEOPLE, ...extra })
  const login = (backend: AuthBackend, username: string, pw = password()) => backend.authenticate({ username, password: pw })

  authContract('ldap (search-then-bind on a branch of its own)', () => ldapContractFixture(env, (options) => ldap(options)))

  describe('direct bind with a DN template', () => {
    it("signs ada in with her own DN and fills her profile from the entry's attributes", async () => {
      const result = await login(await ldap({ userDnTemplate: TEMPLATE }), 'ada')
      expect(result).toMatchObject({ ok: true, user: { id: 'ada', username: 'ada', firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.test', isActive: true, isStaff: false } })
    })

    it('cannot tell a wrong password from a stranger, and says so', async () => {
      const backend = await ldap({ userDnTemplate: TEMPLATE })
      const wrong = await login(backend, 'ada', 'not-her-password')
      const stranger = await login(backend, 'nobody')
      expect([outcome(wrong), outcome(stranger)]).toEqual(['bad-password', 'bad-password'])
      expect(stranger.ok || stranger.message).toMatch(/does not tell a wrong password from a user that does not exist/)
    })

    it('takes the username as django-auth-ldap does: stripped, and the user kept in lower case', async () => {
      const result = await login(await ldap({ userDnTemplate: TEMPLATE }), '  ADA ')
      expect(outcome(result)).toBe('ok:ada')
    })

    it('answers the fullwidth spelling as the same user (NFKC before lower-casing)', async () => {
      const result = await login(await ldap({ userDnTemplate: TEMPLATE }), 'ＡＤＡ')
      expect(result).toMatchObject({ ok: true, user: { id: 'ada', username: 'ada' } })
    })
  })

  describe('search, then bind', () => {
    it('finds ada with the service account, then binds as her', async () => {
      expect(outcome(await login(await searching(), 'ada'))).toBe('ok:ada')
    })

    it('tells a stranger ("unknown-user") from a wrong password ("bad-password")', async () => {
      const backend = await searching()
      expect(outcome(await login(backend, 'nobody'))).toBe('unknown-user')
      expect(outcome(await login(backend, 'ada', 'wrong'))).toBe('bad-password')
    })

    it('refuses a filter that finds several entries, as django-auth-ldap needs exactly one', async () => {
      const result = await login(await searching({ userSearchFilter: '(|(uid=%(user)s)(uid=grace))' }), 'ada')
      expect(result).toMatchObject({ ok: false, reason: 'unknown-user', message: expect.stringContaining('More than one entry') })
    })

    it("names the user as their entry does, whatever spelling or attribute found them", async () => {
      const backend = await searching({ userSearchFilter: '(|(uid=%(user)s)(mail=%(user)s))' })
      const results = await Promise.all(['ａｄａ', 'Ada@Example.Test', ' ADA'].map((u) => login(backend, u)))
      expect(results.map((r) => r.ok && { id: r.user.id, username: r.user.username })).toEqual(results.map(() => ({ id: 'ada', username: 'ada' })))
    })

    it('reads a non-ASCII name as it is stored (UTF-8)', async () => {
      const result = await login(await searching(), 'zoe')
      expect(result).toMatchObject({ ok: true, user: { firstName: 'Zoë', lastName: 'Ångström' } })
    })

    it('maps other attributes when told to (userAttrMap)', async () => {
      const result = await login(await searching({ userAttrMap: { firstName: 'cn', lastName: 'uid', email: 'mail' } }), 'grace')
      expect(result).toMatchObject({ ok: true, user: { firstName: 'Grace Hopper', lastName: 'grace' } })
    })
  })

  describe('an empty password', () => {
    it('is never sent (it would be an unauthenticated bind that succeeds): the backend steps aside without connecting', async () => {
      // Nothing listens on port 9: had the backend connected, it would have failed with E_CONNECTION_REFUSED.
      const backend = await ldap({ url: 'ldap://127.0.0.1:9', userDnTemplate: TEMPLATE })
      expect(await login(backend, 'ada', '')).toMatchObject({ ok: false, reason: 'skipped', message: expect.stringContaining('unauthenticated bind') })
    })
  })

  describe('usernames that try to be filters or DNs', () => {
    it.each(['search', 'template'])('never sign anyone in and never fail (%s mode)', async (mode) => {
      const backend = mode === 'search' ? await searching() : await ldap({ userDnTemplate: TEMPLATE })
      for (const username of HOSTILE) {
        const result = await login(backend, username)
        expect([username.slice(0, 20), outcome(result)]).toEqual([username.slice(0, 20), mode === 'search' ? 'unknown-user' : expect.stringMatching(/^(unknown-user|bad-password)$/)])
      }
    })

    it('finds nobody by such a name', async () => {
      const backend = await searching()
      for (const username of HOSTILE) expect(await backend.getUserByName!(username)).toBeNull()
    })
  })

  describe('TLS', () => {
    it('signs in over StartTLS with the testbed CA', async () => {
      const result = await login(await searching({ startTls: true, caFile: need(env, 'BACKPLANE_TEST_LDAP_CA') }), 'ada')
      expect(outcome(result)).toBe('ok:ada')
    })

    it('signs in over LDAPS with the testbed CA', async () => {
      const result = await login(await searching({ url: need(env, 'BACKPLANE_TEST_LDAPS_URL'), caFile: need(env, 'BACKPLANE_TEST_LDAP_CA') }), 'ada')
      expect(outcome(result)).toBe('ok:ada')
    })
  })

  describe('groups', () => {
    const flags = { userFlagsByGroup: { isActive: group('active'), isStaff: group('staff'), isSuperuser: group('superusers') } }

    it('sets is_active, is_staff and is_superuser from group membership (USER_FLAGS_BY_GROUP)', async () => {
      const backend = await searching(flags)
      const results = await Promise.all(['grace', 'ada', 'linus'].map((u) => login(backend, u)))
      expect(results.map((r) => r.ok && [r.user.isActive, r.user.isStaff, r.user.isSuperuser])).toEqual([
        [true, true, true],
        [true, true, false],
        [true, false, false],
      ])
    })

    it('refuses a user outside the is_active group as inactive, unless allowInactive', async () => {
      expect(outcome(await login(await searching(flags), 'sleepy'))).toBe('inactive')
      expect(outcome(await login(await searching({ ...flags, allowInactive: true }), 'sleepy'))).toBe('ok:sleepy')
    })

    it('grants a flag to members of any of several groups', async () => {
      const result = await login(await searching({ userFlagsByGroup: { isStaff: [group('superusers'), group('banned')] } }), 'mallory')
      expect(result).toMatchObject({ ok: true, user: { isStaff: true } })
    })

    it.each([
      ['groupOfNames', 'grace', ['active', 'app-users', 'staff', 'superusers']],
      ['groupOfUniqueNames', 'grace', ['developers']],
      ['posixGroup', 'linus', ['operators']], // by gidNumber, his primary group
      ['posixGroup', 'zoe', ['operators']], // by memberUid
      ['posixGroup', 'ada', []],
    ])("finds the groups of a %s directory (%s)", async (groupType, username, names) => {
      const result = await login(await searching({ groupType, groupSearchBase: GROUPS }), username)
      expect(result).toMatchObject({ ok: true, user: { groups: names } })
    })

    it('denies, and stops the chain, for a user outside requireGroup or inside denyGroup', async () => {
      const backend = await searching({ requireGroup: group('app-users'), denyGroup: group('banned') })
      const results = await Promise.all(['ada', 'outsider', 'mallory'].map((u) => login(backend, u)))
      expect(results.map(outcome)).toEqual(['ok:ada', 'denied', 'denied'])
      expect(results[1]!.ok || results[1]!.message).toContain('requireGroup')
      expect(results[2]!.ok || results[2]!.message).toContain('denyGroup')
    })

    it('checks the password before the groups: a wrong one is "bad-password" even for a denied user', async () => {
      expect(outcome(await login(await searching({ denyGroup: group('banned') }), 'mallory', 'wrong'))).toBe('bad-password')
    })
  })

  describe('users by id and by name, without a mirror', () => {
    it('finds a user by the username that is their id, with their flags, and nobody by an unknown one', async () => {
      const backend = await searching({ userFlagsByGroup: { isStaff: group('staff') } })
      expect(await backend.getUser('ada')).toMatchObject({ id: 'ada', isStaff: true, lastName: 'Lovelace' })
      expect(await backend.getUserByName!('Grace')).toMatchObject({ id: 'grace', isStaff: true })
      expect(await backend.getUser('nobody')).toBeNull()
    })

    it('finds the user by the fullwidth spelling of their name, as the directory does', async () => {
      expect(await (await searching()).getUserByName!('ｇｒａｃｅ')).toMatchObject({ id: 'grace', username: 'grace' })
    })

    it('grants no permissions of its own, as django-auth-ldap without FIND_GROUP_PERMS', async () => {
      const backend = await searching()
      const ada = (await backend.getUser('ada'))!
      expect(await backend.getAllPermissions!(ada)).toEqual([])
    })
  })

  describe('mirrored into a model alias', () => {
    let db: Database
    let store: AuthBackend
    beforeAll(async () => {
      const dataCtx = testContext('data')
      const storeCtx = testContext('auth', { alias: 'people', engine: 'model' })
      contexts.push(dataCtx, storeCtx)
      db = await createBackend<Database>(sqliteEngine, { name: 'mirror.sqlite3' }, dataCtx)
      store = await createBackend<AuthBackend>(modelEngine, { createTables: true }, { ...storeCtx, backend: async () => db as never })
      opened.push(db, store)
      await store.listGroups!() // creates the tables
      await db.query("INSERT INTO django_content_type (app_label, model) VALUES ('blog', 'post')")
      for (const codename of ['change_post', 'publish_post']) {
        await db.query("INSERT INTO auth_permission (name, content_type_id, codename) VALUES (?, (SELECT id FROM django_content_type WHERE app_label = 'blog'), ?)", [codename, codename])
      }
    })

    const mirroring = (extra: Record<string, unknown> = {}) =>
      ldap(
        { ...service(), userSearchBase: PEOPLE, mirrorTo: 'people', mirrorGroups: true, groupSearchBase: GROUPS, userFlagsByGroup: { isActive: group('active'), isStaff: group('staff') }, ...extra },
        { 'auth:people': store },
      )

    it('keeps the user in the model store with an unusable password, their flags and their LDAP groups', async () => {
      const backend = await mirroring()
      const result = await login(backend, 'ada')
      expect(result).toMatchObject({ ok: true, user: { username: 'ada', isStaff: true, lastName: 'Lovelace', groups: ['active', 'app-users', 'staff'] } })
      const stored = (await store.getUserByName!('ada'))!
      expect(stored.id).toBe(result.ok && result.user.id)
      expect(await store.getUserDetail!(stored.id)).toMatchObject({ password: { usable: false } })
      expect((await backend.getUser(stored.id))?.username).toBe('ada')
      // The mirror has no password of its own: the model backend refuses what LDAP accepted.
      expect(outcome(await login(store, 'ada'))).toBe('unusable-password')
    })

    it("gives the permissions of the user's groups, through the LDAP backend and the model backend alike", async () => {
      const backend = await mirroring()
      const result = await login(backend, 'grace')
      expect(result.ok).toBe(true)
      const staff = (await store.listGroups!()).find((g) => g.name === 'staff')!
      await store.saveGroup!({ id: staff.id, name: 'staff', permissions: ['blog.change_post'] })
      const grace = (await store.getUserByName!('grace'))!
      expect(await backend.getGroupPermissions!(grace)).toEqual(['blog.change_post'])
      expect(await store.getGroupPermissions!(grace)).toEqual(['blog.change_post'])
      expect(await backend.hasPerm!(grace, 'blog.change_post')).toBe(true)
      expect(await backend.hasPerm!(grace, 'blog.publish_post')).toBe(false)
    })

    it('reads the group names from the directory when groups are not mirrored (FIND_GROUP_PERMS)', async () => {
      const backend = await mirroring({ mirrorGroups: false })
      expect((await login(backend, 'linus')).ok).toBe(true)
      const operators = await store.saveGroup!({ name: 'operators', permissions: ['blog.publish_post'] })
      expect(operators.userCount).toBe(0) // linus is not a member in the store…
      const linus = (await store.getUserByName!('linus'))!
      const posix = await mirroring({ mirrorGroups: false, groupType: 'posixGroup' })
      expect(await posix.getGroupPermissions!(linus)).toEqual(['blog.publish_post']) // …but is one in the directory
    })

    it('updates the stored user on every login: a user taken out of the staff group loses is_staff', async () => {
      const backend = await mirroring({ userFlagsByGroup: { isStaff: group('superusers') } })
      expect(await login(backend, 'ada')).toMatchObject({ ok: true, user: { isStaff: false } })
      expect((await store.getUserByName!('ada'))?.isStaff).toBe(false)
    })

    it('says so when mirrorTo names an alias that cannot keep users', async () => {
      const other = await searching()
      const backend = await ldap({ ...service(), userSearchBase: PEOPLE, mirrorTo: 'other' }, { 'auth:other': other })
      await expect(login(backend, 'ada')).rejects.toMatchObject({ code: 'E_UNSUPPORTED', hint: expect.stringContaining('model backend') })
    })
  })

  describe('health check', () => {
    it('binds the service account and counts the users under the search base', async () => {
      const report = await (await searching({ requireGroup: group('app-users') })).check()
      expect(report).toMatchObject({ state: 'ok', version: expect.stringContaining('naming contexts dc=example,dc=test') })
      // At least the seven of the seed; a contract test's branch under ou=people may add a few for a while.
      expect(Number(/^(\d+) users under ou=people,dc=example,dc=test$/.exec(report.summary ?? '')?.[1])).toBeGreaterThanOrEqual(7)
      expect(report.steps.map((s) => s.name)).toEqual(['open', 'bind', 'users', 'groups'])
    })

    it('counts the entries beside the DN template in direct-bind mode', async () => {
      // One level only, where the seed has its seven people (a test's branch is an ou, not a uid).
      const report = await (await ldap({ userDnTemplate: TEMPLATE })).check()
      expect(report).toMatchObject({ state: 'ok', summary: '7 users under ou=people,dc=example,dc=test' })
    })

    it('finds a typo in a group DN before it locks everyone out', async () => {
      const report = await (await searching({ requireGroup: group('app-user') })).check()
      expect(report.error).toMatchObject({ code: 'E_INVALID_OPTIONS', message: expect.stringContaining('requireGroup') })
    })
  })

  it('leaves no socket open after logins, refusals and lookups', async () => {
    const before = await openSockets()
    const backend = await searching({ groupSearchBase: GROUPS, requireGroup: group('app-users') })
    await Promise.all(['ada', 'outsider', 'nobody', '*'].map((u) => login(backend, u)))
    await login(backend, 'ada', 'wrong')
    await backend.getUserByName!('grace')
    await backend.check()
    expect(await openSockets(before)).toBeLessThanOrEqual(before)
  })
})

