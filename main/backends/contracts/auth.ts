import assert from 'node:assert/strict'
import { ErrorCode } from '../../core/errors'
import type { AuthBackend, AuthResult, AuthUser, Credentials } from '../auth/base'
import { assertHealthy } from './health'
import { rejectsWithCode, type CaseTools, type ContractCase, type ContractSuite } from './harness'

export interface AuthTestBed {
  backend: AuthBackend
  /** Puts a user where the engine looks for users (a table, a file, a directory); the backend's createUser() when absent. */
  addUser?(username: string, password: string, options?: { active?: boolean }): Promise<void>
  cleanup?(): Promise<void>
}

export interface AuthFixture {
  make(): Promise<AuthTestBed>
  afterEach?(): Promise<void>
}

type Seeder = (username: string, password: string, options?: { active?: boolean }) => Promise<void>

const ADA = { username: 'ada', password: 'correct horse battery staple' }
/** A user no engine holds: a numeric id, so an engine keyed by integers can look it up without a type error. */
const STRANGER: AuthUser = { id: '987654321', username: 'nobody-at-all', isActive: true, isStaff: false, isSuperuser: false }

async function onBed(f: AuthFixture, run: (bed: AuthTestBed) => Promise<void>): Promise<void> {
  const bed = await f.make()
  try {
    await run(bed)
  } finally {
    await bed.backend.close()
    await bed.cleanup?.()
  }
}

/** A case on a backend that holds "ada" and "zoë"; skipped when the suite has no way to add users. */
function withUsers(f: AuthFixture, t: CaseTools, run: (backend: AuthBackend, addUser: Seeder) => Promise<void>): Promise<void> {
  return onBed(f, async (bed) => {
    const createUser = bed.backend.createUser?.bind(bed.backend)
    const addUser: Seeder | undefined =
      bed.addUser ?? (createUser ? async (username, password, options) => void (await createUser({ username, password, isActive: options?.active ?? true })) : undefined)
    if (!addUser) t.skip('the engine has no createUser() and the suite was given no other way to add users')
    await addUser(ADA.username, ADA.password)
    await addUser('zoë', 'pässwörd')
    await run(bed.backend, addUser)
  })
}

/** A username-and-password login; a backend that takes other credentials (a token, REMOTE_USER) skips the case that needs one. */
async function login(backend: AuthBackend, t: CaseTools, username: string, password: string): Promise<AuthResult> {
  const result = await backend.authenticate({ username, password })
  if (!result.ok && result.reason === 'skipped') t.skip(`the engine skips username-and-password credentials ("${result.message}"), so password logins cannot be tested`)
  return result
}

/** A stored user, by name when the engine can look one up, else through a login. */
async function userNamed(backend: AuthBackend, t: CaseTools, username: string, password: string): Promise<AuthUser> {
  if (backend.getUserByName) {
    const user = await backend.getUserByName(username)
    assert.ok(user, `getUserByName("${username}") found nobody, though the user was just added`)
    return user
  }
  const result = await login(backend, t, username, password)
  assert.ok(result.ok, `refused: ${result.ok ? '' : `${result.reason}: ${result.message}`}`)
  return result.user
}

/** Every Django permission method the engine has, asked of one user. */
async function permissionsOf(backend: AuthBackend, user: AuthUser, perm: string) {
  return {
    own: (await backend.getUserPermissions?.(user)) ?? [],
    groups: (await backend.getGroupPermissions?.(user)) ?? [],
    all: (await backend.getAllPermissions?.(user)) ?? [],
    hasPerm: (await backend.hasPerm?.(user, perm)) ?? false,
    hasModulePerms: (await backend.hasModulePerms?.(user, perm.slice(0, perm.indexOf('.')))) ?? false,
  }
}

/** `count` permissions the engine knows, for the cases that grant some; skipped when it has no list of them or too few. */
async function somePermissions(backend: AuthBackend, t: CaseTools, count: number): Promise<string[]> {
  if (!backend.listPermissions) t.skip('the engine has no listPermissions(), so the suite cannot pick permissions to grant')
  const perms = (await backend.listPermissions()).map((p) => p.perm)
  if (perms.length < count) t.skip(`the engine lists ${perms.length} permissions; the case needs ${count} to grant`)
  return perms.slice(0, count)
}

function requires<K extends keyof AuthBackend>(backend: AuthBackend, t: CaseTools, ...methods: K[]): asserts backend is AuthBackend & Required<Pick<AuthBackend, K>> {
  const missing = methods.filter((m) => typeof backend[m] !== 'function')
  if (missing.length) t.skip(`the engine has no ${missing.map((m) => `${m}()`).join(', ')}`)
}

function refusal(result: AuthResult): { ok: boolean; reason?: string } {
  return result.ok ? { ok: true } : { ok: false, reason: result.reason }
}

function refusedWith(result: AuthResult): string {
  return result.ok ? '' : `${result.reason}: ${result.message}`
}

const signIn: ContractCase<AuthFixture>[] = [
  {
    name: 'signs in a user with the right password and finds them again by id',
    run: (f, t) =>
      withUsers(f, t, async (backend) => {
        const result = await login(backend, t, ADA.username, ADA.password)
        assert.ok(result.ok, `refused: ${refusedWith(result)}`)
        assert.equal(result.user.username, 'ada')
        assert.equal((await backend.getUser(result.user.id))?.username, 'ada')
      }),
  },
  {
    name: 'handles non-ASCII usernames and passwords',
    run: (f, t) =>
      withUsers(f, t, async (backend) => {
        const result = await login(backend, t, 'zoë', 'pässwörd')
        assert.ok(result.ok, `refused: ${refusedWith(result)}`)
      }),
  },
  {
    name: 'says "bad-password" for a wrong password',
    run: (f, t) => withUsers(f, t, async (backend) => assert.deepEqual(refusal(await login(backend, t, ADA.username, 'wrong')), { ok: false, reason: 'bad-password' })),
  },
  {
    name: 'says "unknown-user" for a stranger',
    run: (f, t) => onBed(f, async ({ backend }) => assert.deepEqual(refusal(await login(backend, t, 'nobody', 'x')), { ok: false, reason: 'unknown-user' })),
  },
  {
    name: 'finds no user by an unknown id or name',
    run: (f) =>
      onBed(f, async ({ backend }) => {
        assert.equal(await backend.getUser('no-such-id-0'), null)
        assert.equal(await backend.getUser(STRANGER.id), null)
        if (backend.getUserByName) assert.equal(await backend.getUserByName(STRANGER.username), null)
      }),
  },
  {
    name: 'refuses an inactive user, saying so',
    run: (f, t) =>
      withUsers(f, t, async (backend, addUser) => {
        await addUser('sleepy', 'pw', { active: false })
        assert.deepEqual(refusal(await login(backend, t, 'sleepy', 'pw')), { ok: false, reason: 'inactive' })
      }),
  },
  {
    // Django skips a backend whose authenticate() does not take the keyword arguments given.
    name: 'declines credentials it does not take ("skipped" or "unknown-user"), without throwing',
    run: (f) =>
      onBed(f, async ({ backend }) => {
        const result = await backend.authenticate({ remoteUser: 'ada' } as unknown as Credentials)
        assert.equal(result.ok, false, 'signed someone in from credentials with neither username nor password')
        assert.ok(!result.ok && (result.reason === 'skipped' || result.reason === 'unknown-user'), `answered ${refusedWith(result)}`)
      }),
  },
]

const permissions: ContractCase<AuthFixture>[] = [
  {
    name: 'grants a user it does not know no permissions',
    run: (f) =>
      onBed(f, async ({ backend }) => {
        assert.deepEqual(await permissionsOf(backend, STRANGER, 'auth.view_user'), { own: [], groups: [], all: [], hasPerm: false, hasModulePerms: false })
        if (backend.withPerm) assert.ok(!(await backend.withPerm('auth.view_user')).some((u) => u.username === STRANGER.username))
      }),
  },
  {
    name: 'grants an inactive user nothing, even a superuser with permissions of their own',
    run: (f, t) =>
      withUsers(f, t, async (backend, addUser) => {
        let perm = 'auth.view_user'
        let user: AuthUser
        if (backend.createUser && backend.listPermissions && (await backend.listPermissions()).length > 0) {
          perm = (await somePermissions(backend, t, 1))[0]!
          user = await backend.createUser({ username: 'dormant', password: 'pw-dormant', isActive: false, isSuperuser: true, permissions: [perm] })
        } else {
          await addUser('dormant', 'pw-dormant', { active: false })
          if (!backend.getUserByName) t.skip('the engine has no getUserByName(), and an inactive user cannot sign in to be found')
          user = await userNamed(backend, t, 'dormant', 'pw-dormant')
        }
        assert.equal(user.isActive, false)
        const answers = await permissionsOf(backend, user, perm)
        assert.deepEqual({ all: answers.all, hasPerm: answers.hasPerm, hasModulePerms: answers.hasModulePerms }, { all: [], hasPerm: false, hasModulePerms: false })
      }),
  },
  {
    name: "answers get_all_permissions() as the union of the user's own and their groups'",
    run: (f, t) =>
      withUsers(f, t, async (backend) => {
        requires(backend, t, 'getAllPermissions')
        const user = await userNamed(backend, t, ADA.username, ADA.password)
        const { own, groups, all } = await permissionsOf(backend, user, 'auth.view_user')
        assert.deepEqual([...all].sort(), [...new Set([...own, ...groups])].sort())
      }),
  },
]

const admin: ContractCase<AuthFixture>[] = [
  {
    name: "keeps groups and their permissions, and a member gets the group's",
    run: (f, t) =>
      onBed(f, async ({ backend }) => {
        requires(backend, t, 'saveGroup', 'listGroups', 'deleteGroup', 'createUser', 'getGroupPermissions', 'getUserPermissions')
        const [viaGroup, own] = await somePermissions(backend, t, 2)
        const group = await backend.saveGroup({ name: 'contract-editors', permissions: [viaGroup!] })
        assert.deepEqual({ name: group.name, permissions: group.permissions, userCount: group.userCount }, { name: 'contract-editors', permissions: [viaGroup], userCount: 0 })
        const grace = await backend.createUser({ username: 'grace', password: 'pw-grace-1906', groups: ['contract-editors'], permissions: [own!] })
        const answers = await permissionsOf(backend, grace, viaGroup!)
        assert.deepEqual(answers, { own: [own], groups: [viaGroup], all: [viaGroup!, own!].sort(), hasPerm: true, hasModulePerms: true })
        assert.equal((await backend.listGroups()).find((g) => g.id === group.id)?.userCount, 1)
        const renamed = await backend.saveGroup({ id: group.id, name: 'contract-readers', permissions: [] })
        assert.deepEqual({ id: renamed.id, name: renamed.name, permissions: renamed.permissions }, { id: group.id, name: 'contract-readers', permissions: [] })
        assert.deepEqual(await backend.getGroupPermissions(grace), [])
        await backend.deleteGroup(group.id)
        assert.equal((await backend.listGroups()).some((g) => g.id === group.id), false)
        assert.deepEqual(await backend.getUserPermissions(grace), [own])
      }),
  },
  {
    name: 'changes the fields of a user it is given, and keeps the others',
    run: (f, t) =>
      onBed(f, async ({ backend }) => {
        requires(backend, t, 'createUser', 'updateUser')
        const created = await backend.createUser({ username: 'grace', password: 'pw-grace-1906', email: 'grace@example.test', lastName: 'Hopper' })
        const updated = await backend.updateUser(created.id, { firstName: 'Grace', isStaff: true })
        const expected = { username: 'grace', email: 'grace@example.test', firstName: 'Grace', lastName: 'Hopper', isStaff: true, isActive: true }
        for (const user of [updated, await backend.getUser(created.id)]) {
          assert.ok(user)
          assert.deepEqual({ username: user.username, email: user.email, firstName: user.firstName, lastName: user.lastName, isStaff: user.isStaff, isActive: user.isActive }, expected)
        }
      }),
  },
  {
    name: 'deletes a user, who then cannot sign in',
    run: (f, t) =>
      onBed(f, async ({ backend }) => {
        requires(backend, t, 'createUser', 'deleteUser')
        const created = await backend.createUser({ username: 'grace', password: 'pw-grace-1906' })
        await backend.deleteUser(created.id)
        assert.equal(await backend.getUser(created.id), null)
        assert.deepEqual(refusal(await login(backend, t, 'grace', 'pw-grace-1906')), { ok: false, reason: 'unknown-user' })
      }),
  },
  {
    name: "lists the users with a permission (Django's with_perm), by their own, as superusers, active or not",
    run: (f, t) =>
      onBed(f, async ({ backend }) => {
        requires(backend, t, 'createUser', 'withPerm')
        const [perm] = await somePermissions(backend, t, 1)
        await backend.createUser({ username: 'holder', password: 'pw-holder', permissions: [perm!] })
        await backend.createUser({ username: 'dormant', password: 'pw-dormant', isActive: false, permissions: [perm!] })
        await backend.createUser({ username: 'root', password: 'pw-root', isSuperuser: true })
        await backend.createUser({ username: 'bystander', password: 'pw-bystander' })
        const names = async (options?: Parameters<typeof backend.withPerm>[1]) => (await backend.withPerm(perm!, options)).map((u) => u.username).sort()
        assert.deepEqual(await names(), ['holder', 'root'])
        assert.deepEqual(await names({ includeSuperusers: false }), ['holder'])
        assert.deepEqual(await names({ isActive: false }), ['dormant'])
      }),
  },
  {
    name: "makes a password unusable when set to nothing (Django's set_unusable_password), and usable again",
    run: (f, t) =>
      withUsers(f, t, async (backend) => {
        requires(backend, t, 'setPassword')
        await backend.setPassword(ADA.username, null)
        assert.deepEqual(refusal(await login(backend, t, ADA.username, ADA.password)), { ok: false, reason: 'unusable-password' })
        await backend.setPassword(ADA.username, 'a new passphrase')
        assert.ok((await login(backend, t, ADA.username, 'a new passphrase')).ok)
        await rejectsWithCode(backend.setPassword('nobody-at-all', 'x'), ErrorCode.E_NOT_FOUND, 'setPassword for a user that does not exist')
      }),
  },
]

/** Django's authenticate(), get_user() and the permission methods, a reason for every refusal, and the admin capabilities an engine has. */
export const authSuite: ContractSuite<AuthFixture> = {
  kind: 'auth',
  cases: [...signIn, ...permissions, ...admin, { name: 'reports itself healthy', run: (f) => onBed(f, async ({ backend }) => void assertHealthy(await backend.check())) }],
}
