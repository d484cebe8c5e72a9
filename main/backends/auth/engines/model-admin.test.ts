import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createBackend, testContext, withBackend } from '../../../../test/support/engine-context'
import { failure } from '../../../../test/support/failures'
import type { Database } from '../../data/base'
import { sqliteEngine } from '../../data/engines/sqlite'
import type { AuthBackend } from '../base'
import { modelEngine } from './model'
import { modelOnFreshSqlite, type ModelBed } from './model-fixtures'

// The model backend's admin capabilities on its own SQLite tables; test/support's Django interop
// (model-django.test.ts) checks the same rows through Django on SQLite, PostgreSQL and MariaDB.
const beds: ModelBed[] = []
afterEach(async () => {
  await Promise.all(beds.splice(0).map((b) => b.close()))
})
async function fresh(): Promise<ModelBed> {
  const bed = await modelOnFreshSqlite()
  beds.push(bed)
  return bed
}
const count = async (bed: ModelBed, sql: string, params: unknown[] = []) => Number((await bed.db.query(sql, params)).rows[0]?.[0])

async function withStaff(backend: AuthBackend) {
  await backend.saveGroup!({ name: 'editors', permissions: ['auth.change_user'] })
  await backend.saveGroup!({ name: 'auditors', permissions: [] })
  await backend.createUser!({ username: 'carol', email: 'carol@example.test', firstName: 'Carol', isStaff: true, groups: ['editors'] })
  await backend.createUser!({ username: 'alice', email: 'alice@example.test', lastName: 'Liddell_100%', isSuperuser: true })
  await backend.createUser!({ username: 'bob', isActive: false, groups: ['editors', 'auditors'] })
  await backend.createUser!({ username: 'alicia', email: 'ALI@example.test' })
}

describe('listing users', () => {
  it("searches username, names and email in any case, as Django admin's search_fields, and pages", async () => {
    const { backend } = await fresh()
    await withStaff(backend)
    const page = await backend.listUsers!({ search: 'ALI', limit: 1, offset: 1 })
    expect(page.total).toBe(2)
    expect(page.users.map((u) => u.username)).toEqual(['alicia'])
    expect((await backend.listUsers!({ search: 'carol' })).users.map((u) => u.username)).toEqual(['carol'])
    // % and _ are text, not wildcards.
    expect((await backend.listUsers!({ search: '_100%' })).users.map((u) => u.username)).toEqual(['alice'])
    expect((await backend.listUsers!({ search: 'l_d' })).total).toBe(0)
  })

  it("filters on the flags and a group, and shows each user's groups", async () => {
    const { backend } = await fresh()
    await withStaff(backend)
    const names = async (query: Parameters<NonNullable<AuthBackend['listUsers']>>[0]) => (await backend.listUsers!(query)).users.map((u) => u.username)
    expect(await names({ isActive: false })).toEqual(['bob'])
    expect(await names({ isStaff: true })).toEqual(['carol'])
    expect(await names({ isSuperuser: true, isActive: true })).toEqual(['alice'])
    expect(await names({ group: 'editors' })).toEqual(['bob', 'carol'])
    expect((await backend.listUsers!({ search: 'bob' })).users[0]?.groups).toEqual(['auditors', 'editors'])
  })
})

describe('creating and editing users', () => {
  it('shows a user with groups, direct permissions and the algorithm of the stored hash', async () => {
    const { backend } = await fresh()
    await backend.saveGroup!({ name: 'editors', permissions: ['auth.change_user'] })
    const ada = await backend.createUser!({ username: 'ada', password: 'pw', groups: ['editors'], permissions: ['auth.view_user', 'auth.add_user'] })
    expect(await backend.getUserDetail!(ada.id)).toEqual({
      user: expect.objectContaining({ username: 'ada', groups: ['editors'] }),
      groups: ['editors'],
      permissions: ['auth.add_user', 'auth.view_user'],
      password: { usable: true, algorithm: 'pbkdf2_sha256' },
    })
    await backend.setPassword!('ada', null)
    expect((await backend.getUserDetail!(ada.id))?.password).toEqual({ usable: false, algorithm: null })
    expect(await backend.getUserDetail!('999')).toBeNull()
  })

  it('normalizes as create_user does: NFKC usernames, lower-case email domains', async () => {
    const { backend } = await fresh()
    const user = await backend.createUser!({ username: 'ﬁona', email: 'Fiona@Example.TEST' })
    expect(user).toMatchObject({ username: 'fiona', email: 'Fiona@example.test', isActive: true, isStaff: false, isSuperuser: false })
    expect(user.dateJoined).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/)
    await expect(backend.createUser!({ username: 'fiona' })).rejects.toMatchObject({ code: 'E_CONFLICT' })
  })

  it("refuses a username Django's validator refuses, and an unknown group or permission, naming it and writing nothing", async () => {
    const bed = await fresh()
    const { backend } = bed
    expect(await failure(backend.createUser!({ username: 'has space' }))).toMatchObject({ code: 'E_INVALID_INPUT', hint: expect.stringContaining('@/./+/-/_') })
    expect(await failure(backend.createUser!({ username: 'ada', groups: ['nope'] }))).toMatchObject({ code: 'E_NOT_FOUND', message: 'No group "nope".' })
    expect(await failure(backend.createUser!({ username: 'ada', permissions: ['auth.fly'] }))).toMatchObject({ code: 'E_NOT_FOUND', message: 'No permission "auth.fly".' })
    expect(await count(bed, 'SELECT count(*) FROM auth_user')).toBe(0)
  })

  it('changes the fields given, replaces groups and permissions, and refuses a taken username or unknown group', async () => {
    const { backend } = await fresh()
    await withStaff(backend)
    const carol = (await backend.getUserByName!('carol'))!
    const changed = await backend.updateUser!(carol.id, { lastName: 'Danvers', isStaff: false, groups: ['auditors'], permissions: ['auth.view_group'] })
    expect(changed).toMatchObject({ username: 'carol', firstName: 'Carol', lastName: 'Danvers', email: 'carol@example.test', isStaff: false, groups: ['auditors'] })
    expect((await backend.getUserDetail!(carol.id))?.permissions).toEqual(['auth.view_group'])
    expect(await failure(backend.updateUser!(carol.id, { username: 'alice' }))).toMatchObject({ code: 'E_CONFLICT' })
    expect(await failure(backend.updateUser!(carol.id, { firstName: 'X', groups: ['editors', 'ghosts'] }))).toMatchObject({ code: 'E_NOT_FOUND', message: 'No group "ghosts".' })
    expect((await backend.getUserByName!('carol'))?.firstName).toBe('Carol')
    expect(await failure(backend.updateUser!('4242', { firstName: 'X' }))).toMatchObject({ code: 'E_NOT_FOUND' })
    expect(await backend.updateUser!(carol.id, { username: 'carol.d' })).toMatchObject({ username: 'carol.d', groups: ['auditors'] })
  })

  it("deletes a user with their memberships, permissions and admin log entries, as Django's cascade", async () => {
    const bed = await fresh()
    const { backend, db } = bed
    await withStaff(backend)
    const bob = (await backend.getUserByName!('bob'))!
    await backend.updateUser!(bob.id, { permissions: ['auth.view_user'] })
    await db.query('CREATE TABLE django_admin_log (id integer PRIMARY KEY, user_id integer NOT NULL REFERENCES auth_user (id) DEFERRABLE INITIALLY DEFERRED, change_message text)')
    await db.query("INSERT INTO django_admin_log (user_id, change_message) VALUES (?, 'edited')", [Number(bob.id)])
    await backend.deleteUser!(bob.id)
    expect(await backend.getUserByName!('bob')).toBeNull()
    for (const table of ['auth_user_groups', 'auth_user_user_permissions', 'django_admin_log']) expect(await count(bed, `SELECT count(*) FROM ${table} WHERE user_id = ?`, [Number(bob.id)]), table).toBe(0)
    expect(await failure(backend.deleteUser!(bob.id))).toMatchObject({ code: 'E_NOT_FOUND' })
  })

  it("says what keeps a user a project's own table points at, and deletes nothing (in one transaction)", async () => {
    const { backend, db } = await fresh()
    await backend.saveGroup!({ name: 'editors', permissions: [] })
    const ada = await backend.createUser!({ username: 'ada', groups: ['editors'], permissions: ['auth.view_user'] })
    await db.query('CREATE TABLE blog_post (id integer PRIMARY KEY, author_id integer NOT NULL REFERENCES auth_user (id))')
    await db.query('INSERT INTO blog_post (author_id) VALUES (?)', [Number(ada.id)])
    expect(await failure(backend.deleteUser!(ada.id))).toMatchObject({ code: 'E_CONFLICT', message: expect.stringContaining('other rows of the database refer to it') })
    expect(await backend.getUserDetail!(ada.id)).toMatchObject({ groups: ['editors'], permissions: ['auth.view_user'] })
  })
})

describe('groups and permissions', () => {
  it("lists every permission with its content type, in Django's order", async () => {
    const { backend } = await fresh()
    const perms = await backend.listPermissions!()
    expect(perms).toHaveLength(16)
    expect(perms[0]).toEqual({ id: expect.any(String), perm: 'auth.add_group', name: 'Can add group', appLabel: 'auth', model: 'group', codename: 'add_group' })
    expect(perms.map((p) => p.perm).at(-1)).toBe('contenttypes.view_contenttype')
  })

  it('renames a group and replaces its permissions, counts its members, and refuses a taken name', async () => {
    const { backend } = await fresh()
    await withStaff(backend)
    const editors = (await backend.listGroups!()).find((g) => g.name === 'editors')!
    expect(editors).toMatchObject({ userCount: 2, permissions: ['auth.change_user'] })
    expect(await backend.saveGroup!({ id: editors.id, name: 'writers', permissions: ['auth.add_user', 'auth.view_user'] })).toEqual({ id: editors.id, name: 'writers', userCount: 2, permissions: ['auth.add_user', 'auth.view_user'] })
    expect(await failure(backend.saveGroup!({ id: editors.id, name: 'auditors', permissions: [] }))).toMatchObject({ code: 'E_CONFLICT' })
    expect(await failure(backend.saveGroup!({ name: 'auditors', permissions: [] }))).toMatchObject({ code: 'E_CONFLICT' })
    expect(await failure(backend.saveGroup!({ name: 'new', permissions: ['auth.nope'] }))).toMatchObject({ code: 'E_NOT_FOUND' })
    expect(await failure(backend.saveGroup!({ id: '777', name: 'x', permissions: [] }))).toMatchObject({ code: 'E_NOT_FOUND' })
  })

  it('deletes a group; its members stay, without it', async () => {
    const bed = await fresh()
    const { backend } = bed
    await withStaff(backend)
    const editors = (await backend.listGroups!()).find((g) => g.name === 'editors')!
    await backend.deleteGroup!(editors.id)
    expect((await backend.listGroups!()).map((g) => g.name)).toEqual(['auditors'])
    expect((await backend.getUserByName!('bob'))?.groups).toEqual(['auditors'])
    expect(await count(bed, 'SELECT count(*) FROM auth_group_permissions')).toBe(0)
    expect(await failure(backend.deleteGroup!(editors.id))).toMatchObject({ code: 'E_NOT_FOUND' })
  })
})

describe('mirroring users from another directory (LDAP)', () => {
  it('creates the user with an unusable password and the groups given, creating missing groups', async () => {
    const { backend } = await fresh()
    await backend.saveGroup!({ name: 'staff', permissions: ['auth.view_user'] })
    const user = await backend.mirrorUser!({ username: 'ldap-ada', firstName: 'Ada', isStaff: true, groups: ['staff', 'ldap-engineers'] })
    expect(user).toMatchObject({ username: 'ldap-ada', firstName: 'Ada', isStaff: true, isActive: true, groups: ['ldap-engineers', 'staff'] })
    expect((await backend.getUserDetail!(user.id))?.password.usable).toBe(false)
    expect(await backend.getAllPermissions!(user)).toEqual(['auth.view_user'])
  })

  it('updates only the fields given, keeps groups when none are given, and sets exactly those given', async () => {
    const { backend } = await fresh()
    await backend.mirrorUser!({ username: 'ldap-ada', email: 'ada@example.test', groups: ['a', 'b'] })
    expect(await backend.mirrorUser!({ username: 'ldap-ada', lastName: 'Lovelace' })).toMatchObject({ email: 'ada@example.test', lastName: 'Lovelace', groups: ['a', 'b'] })
    expect(await backend.mirrorUser!({ username: 'ldap-ada', groups: ['b'], isActive: false })).toMatchObject({ isActive: false, groups: ['b'] })
  })

  it('mirrors the same new user signing in twice at once into one user', async () => {
    const bed = await fresh()
    const both = await Promise.all([0, 1].map(() => bed.backend.mirrorUser!({ username: 'twin', groups: ['g'] })))
    expect(both.map((u) => u.id)[0]).toBe(both[1]!.id)
    expect(await count(bed, "SELECT count(*) FROM auth_user WHERE username = 'twin'")).toBe(1)
    expect(await count(bed, "SELECT count(*) FROM auth_group WHERE name = 'g'")).toBe(1)
  })
})

describe('each change in one transaction', () => {
  // A trigger makes the database refuse one statement in the middle of a change, as a constraint would.
  const refuse = (bed: ModelBed, when: string) => bed.db.query(`CREATE TRIGGER bp_refuse ${when} BEGIN SELECT RAISE(ABORT, 'refused by the test'); END`)

  it('leaves the profile as it was when writing the groups fails (updateUser)', async () => {
    const bed = await fresh()
    await withStaff(bed.backend)
    const carol = (await bed.backend.getUserByName!('carol'))!
    await refuse(bed, 'BEFORE INSERT ON auth_user_groups')
    expect(await failure(bed.backend.updateUser!(carol.id, { firstName: 'Changed', email: 'new@example.test', groups: ['editors', 'auditors'] }))).toMatchObject({ message: expect.stringContaining('refused by the test') })
    expect(await bed.backend.getUserByName!('carol')).toMatchObject({ firstName: 'Carol', email: 'carol@example.test', groups: ['editors'] })
  })

  it('leaves no user when writing their permissions fails (createUser), nor a group (saveGroup)', async () => {
    const bed = await fresh()
    await bed.backend.saveGroup!({ name: 'editors', permissions: [] })
    await refuse(bed, 'BEFORE INSERT ON auth_user_user_permissions')
    expect(await failure(bed.backend.createUser!({ username: 'ada', groups: ['editors'], permissions: ['auth.view_user'] }))).toMatchObject({ message: expect.stringContaining('refused by the test') })
    expect(await count(bed, 'SELECT count(*) FROM auth_user')).toBe(0)
    expect(await count(bed, 'SELECT count(*) FROM auth_user_groups')).toBe(0)
    await bed.db.query('DROP TRIGGER bp_refuse')
    await refuse(bed, 'BEFORE INSERT ON auth_group_permissions')
    expect(await failure(bed.backend.saveGroup!({ name: 'writers', permissions: ['auth.add_user'] }))).toMatchObject({ message: expect.stringContaining('refused') })
    expect((await bed.backend.listGroups!()).map((g) => g.name)).toEqual(['editors'])
  })

  it('keeps every link of a user whose row cannot be deleted, and of a group (deleteUser, deleteGroup)', async () => {
    const bed = await fresh()
    await withStaff(bed.backend)
    const bob = (await bed.backend.getUserByName!('bob'))!
    await refuse(bed, 'BEFORE DELETE ON auth_user')
    expect(await failure(bed.backend.deleteUser!(bob.id))).toMatchObject({ message: expect.stringContaining('refused') })
    expect((await bed.backend.getUserByName!('bob'))?.groups).toEqual(['auditors', 'editors'])
    await bed.db.query('DROP TRIGGER bp_refuse')
    await refuse(bed, 'BEFORE DELETE ON auth_group')
    const editors = (await bed.backend.listGroups!()).find((g) => g.name === 'editors')!
    expect(await failure(bed.backend.deleteGroup!(editors.id))).toMatchObject({ message: expect.stringContaining('refused') })
    expect((await bed.backend.listGroups!()).find((g) => g.name === 'editors')).toMatchObject({ userCount: 2, permissions: ['auth.change_user'] })
  })

  it('names a few of 10,000 unknown permissions, not all of them', async () => {
    const { backend } = await fresh()
    const error = await failure(backend.createUser!({ username: 'ada', permissions: Array.from({ length: 10_000 }, (_, i) => `nope.perm_${i}`) }))
    expect(error.message).toMatch(/^No permission "nope\.perm_0", .* and 9,990 more\.$/)
    expect(error.details).toMatchObject({ missingCount: 10_000, missing: expect.any(Array) })
    expect((error.details as { missing: string[] }).missing).toHaveLength(100)
  })
})

describe('on a data engine without transactions (a custom one)', () => {
  /** The alias as a custom engine of only query() and tables() would be. */
  async function withoutTransactions(): Promise<ModelBed> {
    const ctx = testContext('auth', { engine: 'model' })
    const db = await createBackend<Database>(sqliteEngine, { name: join(ctx.dataDir, 'plain.sqlite3') }, testContext('data'))
    const plain: Database = { vendor: 'sqlite', query: db.query.bind(db), tables: db.tables.bind(db), check: db.check.bind(db), close: async () => undefined }
    const backend = await createBackend<AuthBackend>(modelEngine, { createTables: true }, withBackend(ctx, plain))
    const bed = { ctx, db, backend, close: async () => (await backend.close(), await db.close(), ctx.cleanup()) }
    beds.push(bed)
    return bed
  }

  it('does everything, and deletes a user made half when their permissions cannot be written', async () => {
    const bed = await withoutTransactions()
    await withStaff(bed.backend)
    expect((await bed.backend.getUserByName!('bob'))?.groups).toEqual(['auditors', 'editors'])
    await bed.db.query(`CREATE TRIGGER bp_refuse BEFORE INSERT ON auth_user_user_permissions BEGIN SELECT RAISE(ABORT, 'refused by the test'); END`)
    expect(await failure(bed.backend.createUser!({ username: 'ada', groups: ['editors'], permissions: ['auth.view_user'] }))).toMatchObject({ message: expect.stringContaining('refused') })
    expect(await bed.backend.getUserByName!('ada')).toBeNull()
    expect(await count(bed, "SELECT count(*) FROM auth_user_groups ug JOIN auth_user u ON u.id = ug.user_id WHERE u.username = 'ada'")).toBe(0)
  })
})

describe('with_perm', () => {
  it('answers at most the limit given, the first by username', async () => {
    const { backend } = await fresh()
    await backend.saveGroup!({ name: 'editors', permissions: ['auth.change_user'] })
    for (const username of ['eve', 'dan', 'cat', 'bea', 'al']) await backend.createUser!({ username, groups: ['editors'] })
    expect((await backend.withPerm!('auth.change_user', { limit: 2 })).map((u) => u.username)).toEqual(['al', 'bea'])
    expect(await backend.withPerm!('auth.change_user', {})).toHaveLength(5)
  })
})
