import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Client } from 'ldapts'
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest'
import { createBackend, testContext, type TestContext } from '../../../test/support/engine-context'
import { describeService } from '../../../test/support/services'
import { createLogger, type LogRecord } from '../../core/log'
import { LoginService } from '../../services/auth-login'
import type { AuthBackend } from './base'
import type { ChainLink } from './chain'
import { ldapEngine } from './engines/ldap'

// The LDAP backend behind the login service, attacked: throttle bypass by the username variants the
// directory takes for one person (django-auth-ldap strips and lower-cases; LDAP's uid matching ignores
// case and insignificant spaces), a user in more groups than a search returns, and password leaks.
// Entries live under an ou of this test's own, made and removed with the testbed's admin account.
const SUFFIX = 'dc=example,dc=test'
const BRANCH = `ou=bp-attack-${process.pid},${SUFFIX}`
const PEOPLE = `ou=people,${BRANCH}`
const GROUPS = `ou=groups,${BRANCH}`
const MALLORY = `uid=mallory,${PEOPLE}`
const MALLORY_PW = 'Mallory-Pw-Narwhal-55'
const LEAK = 'Ldap-Leak-Axolotl-27'
const MANY_GROUPS = 1001

describeService('ldap', 'the ldap backend under attack (testbed OpenLDAP)', (env) => {
  let admin: Client
  let ctx: TestContext
  let backend: AuthBackend
  let service: LoginService
  let dir: string
  const logs: LogRecord[] = []
  const chain = async (): Promise<ChainLink[]> => [{ alias: 'directory', engine: 'ldap', backend }]
  const login = (username: string, password: string, source = 'lab') =>
    service.login({ username, password, source }, chain).then(
      (a) => (a.user ? `ok:${a.user.username}` : (a.attempts[0]?.outcome ?? 'none')),
      (e: { code: string }) => e.code,
    )

  beforeAll(async () => {
    admin = new Client({ url: env.BACKPLANE_TEST_LDAP_URL! })
    await admin.bind(env.BACKPLANE_TEST_LDAP_BIND_DN!, env.BACKPLANE_TEST_PASSWORD!)
    await admin.add(BRANCH, { objectClass: ['organizationalUnit'], ou: `bp-attack-${process.pid}` })
    await admin.add(PEOPLE, { objectClass: ['organizationalUnit'], ou: 'people' })
    await admin.add(GROUPS, { objectClass: ['organizationalUnit'], ou: 'groups' })
    await admin.add(MALLORY, { objectClass: ['inetOrgPerson'], uid: 'mallory', cn: 'Mallory', sn: 'M', userPassword: MALLORY_PW })
    for (let i = 0; i < MANY_GROUPS; i += 50) {
      await Promise.all(Array.from({ length: Math.min(50, MANY_GROUPS - i) }, (_, j) => admin.add(`cn=g${i + j},${GROUPS}`, { objectClass: ['groupOfNames'], cn: `g${i + j}`, member: MALLORY })))
    }
    ctx = testContext('auth', { alias: 'directory', engine: 'ldap' })
    backend = await createBackend<AuthBackend>(
      ldapEngine,
      { url: env.BACKPLANE_TEST_LDAP_URL, bindDn: env.BACKPLANE_TEST_LDAP_SERVICE_DN, bindPassword: env.BACKPLANE_TEST_PASSWORD, userSearchBase: PEOPLE, groupSearchBase: GROUPS },
      ctx,
    )
    dir = mkdtempSync(join(tmpdir(), 'bp-attack-ldap-'))
    service = new LoginService(dir, createLogger('test', { level: 'debug', sink: (r) => logs.push(r) }))
  }, 120_000)

  afterAll(async () => {
    await service?.close()
    await backend?.close()
    ctx?.cleanup()
    if (dir) rmSync(dir, { recursive: true, force: true })
    if (admin) {
      for (let i = 0; i < MANY_GROUPS; i += 50) {
        await Promise.all(Array.from({ length: Math.min(50, MANY_GROUPS - i) }, (_, j) => admin.del(`cn=g${i + j},${GROUPS}`).catch(() => undefined)))
      }
      for (const dn of [MALLORY, GROUPS, PEOPLE, BRANCH]) await admin.del(dn).catch(() => undefined)
      await admin.unbind()
    }
  }, 120_000)

  beforeEach(() => {
    service.throttle.clear()
  })

  it('refuses the empty password without binding (an unauthenticated bind would succeed)', async () => {
    expect(await login('mallory', '')).toBe('skipped')
  })

  it('treats "MALLORY" and " mallory " as mallory (django-auth-ldap strips and lower-cases)', async () => {
    expect([await login('MALLORY', MALLORY_PW), await login(' mallory ', MALLORY_PW)]).toEqual(['ok:mallory', 'ok:mallory'])
  })

  // Should: once "mallory" is locked, the spellings the directory takes for her ("MALLORY", "Mallory", " mallory") are locked too: the throttle must key on the username as the backend resolves it.
  it('keeps mallory locked when the attacker changes the case or pads the username', async () => {
    for (let i = 0; i < 6; i++) await login('mallory', `guess-${i}`, `src-${i}`)
    expect(await login('mallory', 'guess', 'src-x')).toBe('E_THROTTLED')
    const variants = ['MALLORY', 'Mallory', ' mallory', 'mallory\t', 'mAlLoRy', 'ｍａｌｌｏｒｙ']
    const answers = await Promise.all(variants.map((v, i) => login(v, `guess-v${i}`, `src-v${i}`)))
    expect(answers).toEqual(variants.map(() => 'E_THROTTLED'))
  })

  // Should: OpenLDAP's matching (RFC 4518: case folding and NFKC) finds mallory for the fullwidth "ｍａｌｌｏｒｙ" too; the user answered must be mallory (the entry's uid, or the name NFKC-normalised), not a second identity spelled in fullwidth.
  it('answers the fullwidth spelling of a username as the same user', async () => {
    const result = await backend.authenticate({ username: 'ｍａｌｌｏｒｙ', password: MALLORY_PW })
    expect(result.ok && { id: result.user.id, username: result.user.username }).toEqual({ id: 'mallory', username: 'mallory' })
  })

  // Should: a user in more groups than one search returns gets an error (or all groups), not silently none; with mirrorGroups "none" would strip every group from the mirrored user.
  it('does not silently answer no groups for a user in more groups than the search returns', async () => {
    const result = await backend.authenticate({ username: 'mallory', password: MALLORY_PW })
    const groups = result.ok ? result.user.groups : undefined
    expect(result.ok ? groups?.length : result.reason).not.toBe(0)
    if (result.ok) expect(groups).toHaveLength(MANY_GROUPS)
  }, 60_000)

  it('says so, rather than answer the first 500 groups, when the directory cuts the group search at its size limit', async () => {
    // Without a service account the groups are read as mallory herself, whom OpenLDAP's 500-entry limit still binds.
    const ownCtx = testContext('auth', { alias: 'as-user', engine: 'ldap' })
    const own = await createBackend<AuthBackend>(ldapEngine, { url: env.BACKPLANE_TEST_LDAP_URL, userDnTemplate: `uid=%(user)s,${PEOPLE}`, groupSearchBase: GROUPS }, ownCtx)
    try {
      await expect(own.authenticate({ username: 'mallory', password: MALLORY_PW })).rejects.toMatchObject({ code: 'E_ENGINE_FAILED', hint: expect.stringContaining('size.prtotal') })
    } finally {
      await own.close()
      ownCtx.cleanup()
    }
  }, 60_000)

  it('keeps a wrong password out of the answer, the audit log and the log when the bind fails', async () => {
    const answer = await service.login({ username: 'mallory', password: LEAK, source: 'lab-leak' }, chain)
    expect(answer.attempts[0]).toMatchObject({ outcome: 'bad-password' })
    const audit = await service.audit.list({ source: 'lab-leak' }, { limit: 10 })
    expect(JSON.stringify([answer, audit, logs]).includes(LEAK)).toBe(false)
  })

  it('keeps the password out of the answer when the directory is down', async () => {
    const down = await createBackend<AuthBackend>(ldapEngine, { url: 'ldap://127.0.0.1:9', userDnTemplate: `uid=%(user)s,${PEOPLE}`, timeout: 2000 }, testContext('auth', { alias: 'down', engine: 'ldap' }))
    const answer = await service.login({ username: 'mallory', password: LEAK, source: 'lab-down' }, async () => [{ alias: 'down', engine: 'ldap', backend: down }])
    expect(answer.attempts[0]).toMatchObject({ outcome: 'error', error: { code: expect.stringMatching(/^E_/) } })
    expect(JSON.stringify([answer, logs]).includes(LEAK)).toBe(false)
    await down.close()
  })
})
