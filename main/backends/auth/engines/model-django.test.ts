import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { djangoAuth, djangoAuthAvailable, type DjangoAuthSettings, type DjangoUser } from '../../../../test/support/django-auth'
import { createBackend, testContext, withBackend, type TestContext } from '../../../../test/support/engine-context'
import { failure } from '../../../../test/support/failures'
import { describeService, type ServiceEnv } from '../../../../test/support/services'
import type { EngineDefinition } from '../../../core/engine'
import type { Database } from '../../data/base'
import { mysqlEngine } from '../../data/engines/mysql'
import { postgresqlEngine } from '../../data/engines/postgresql'
import { sqliteEngine } from '../../data/engines/sqlite'
import type { AuthBackend, AuthUser } from '../base'
import { DEFAULT_HASHERS } from '../hashers'
import { modelEngine } from './model'

// Real Django (Debian's python3-django 3.2) and Backplane's model backend on the same tables, both ways,
// on a SQLite file, PostgreSQL and MariaDB. Django hashes at 1000 PBKDF2 iterations: quick, and weaker
// than Backplane's preferred hasher, so that a login through Backplane upgrades the hash.
const DJANGO_HASHERS = { hashers: ['pbkdf2_sha256', 'pbkdf2_sha1', 'argon2', 'bcrypt_sha256', 'bcrypt', 'md5'], pbkdf2Iterations: 1000 }
const PASSWORD = 'correct horse battery staple'

interface Scene {
  /** Django's DATABASES entry for the database. */
  django: Record<string, unknown>
  /** The same database as a Backplane data alias. */
  db: Database
  cleanup(): Promise<void>
}

function urlParts(url: string) {
  const u = new URL(url)
  return { host: u.hostname, port: Number(u.port), user: decodeURIComponent(u.username), password: decodeURIComponent(u.password), name: u.pathname.slice(1) }
}

/** A scratch database of our own on a server, dropped afterwards (the testbed's other helpers use theirs). */
async function scratchDatabase(engine: EngineDefinition, url: string, djangoEngine: string, ddl: { create: (n: string) => string; drop: (n: string) => string }): Promise<Scene> {
  const parts = urlParts(url)
  const name = `bp_auth_model_${process.pid}_${randomBytes(3).toString('hex')}`
  const admin = await createBackend<Database>(engine, { ...parts, connectTimeoutSeconds: 5 }, testContext('data'))
  await admin.query(ddl.create(name))
  const db = await createBackend<Database>(engine, { ...parts, name, connectTimeoutSeconds: 5 }, testContext('data'))
  return {
    django: { ENGINE: djangoEngine, NAME: name, USER: parts.user, PASSWORD: parts.password, HOST: parts.host, PORT: String(parts.port) },
    db,
    async cleanup() {
      await db.close()
      await admin.query(ddl.drop(name))
      await admin.close()
    },
  }
}

function interop(title: string, open: (ctx: TestContext) => Promise<Scene>): void {
  describe(title, () => {
    let ctx: TestContext
    let scene: Scene
    let backend: AuthBackend
    let settings: DjangoAuthSettings
    const django = (ops: Parameters<typeof djangoAuth>[1]) => djangoAuth(settings, ops)

    beforeAll(async () => {
      ctx = testContext('auth')
      scene = await open(ctx)
      settings = { database: scene.django, ...DJANGO_HASHERS }
      await django([
        { op: 'migrate' },
        { op: 'create_group', name: 'editors', permissions: ['auth.change_user', 'auth.view_user'] },
        { op: 'create_group', name: 'auditors', permissions: ['auth.view_group', 'auth.view_user'] },
        { op: 'create_user', username: 'ada', password: PASSWORD, email: 'ada@example.test', first_name: 'Ada', groups: ['editors'], permissions: ['auth.add_group'] },
        { op: 'create_user', username: 'zoë', password: 'pässwörd', groups: ['editors', 'auditors'] },
        { op: 'create_user', username: 'root', password: PASSWORD, is_superuser: true, is_staff: true },
        { op: 'create_user', username: 'sleepy', password: PASSWORD, is_active: false, groups: ['editors'], permissions: ['auth.delete_user'] },
        { op: 'create_user', username: 'ghost', password: null },
      ])
      backend = await createBackend<AuthBackend>(modelEngine, {}, withBackend(ctx, scene.db))
    }, 120_000)

    afterAll(async () => {
      await backend?.close()
      await scene?.cleanup()
      ctx?.cleanup()
    }, 60_000)

    const userNamed = async (username: string): Promise<AuthUser> => (await backend.getUserByName!(username))!

    it("signs in Django's users, upgrades the weaker hash, and Django accepts the new one", async () => {
      const before = (await django([{ op: 'user', username: 'ada' }]))[0] as DjangoUser
      expect(before.password).toMatch(/^pbkdf2_sha256\$1000\$/)
      const result = await backend.authenticate({ username: 'ada', password: PASSWORD })
      expect(result).toMatchObject({ ok: true, upgraded: true, user: { username: 'ada', email: 'ada@example.test', firstName: 'Ada', groups: ['editors'] } })
      const [after, accepted] = (await django([
        { op: 'user', username: 'ada' },
        { op: 'check_password', username: 'ada', password: PASSWORD },
      ])) as [DjangoUser, boolean]
      expect(after.password).not.toBe(before.password)
      expect(after.password.startsWith(`${DEFAULT_HASHERS[0]}$`)).toBe(true)
      expect(accepted).toBe(true)
      // Signed in again, the hash is the preferred one already: nothing to upgrade.
      expect(await backend.authenticate({ username: 'ada', password: PASSWORD })).toMatchObject({ ok: true, upgraded: false })
      // Django's authenticate() takes it too (and, preferring 1000 iterations, puts its own hash back).
      expect(await django([{ op: 'authenticate', username: 'ada', password: PASSWORD }])).toEqual([expect.objectContaining({ username: 'ada' })])
    })

    it('refuses as Django does: wrong password, inactive, unusable password, stranger', async () => {
      const refusals = await Promise.all(
        [
          ['zoë', 'wrong'],
          ['sleepy', PASSWORD],
          ['ghost', ''],
          ['nobody', 'x'],
        ].map(async ([username, password]) => {
          const r = await backend.authenticate({ username: username!, password: password! })
          return r.ok ? 'ok' : r.reason
        }),
      )
      expect(refusals).toEqual(['bad-password', 'inactive', 'unusable-password', 'unknown-user'])
      expect(await django([{ op: 'authenticate', username: 'sleepy', password: PASSWORD }])).toEqual([null])
      expect((await backend.authenticate({ username: 'zoë', password: 'pässwörd' })).ok).toBe(true)
    })

    it("answers get_user_permissions, get_group_permissions and get_all_permissions as Django's ModelBackend", async () => {
      for (const username of ['ada', 'zoë', 'root', 'sleepy', 'ghost']) {
        const [expected] = (await django([{ op: 'permissions', username }])) as [{ user: string[]; group: string[]; all: string[] }]
        const user = await userNamed(username)
        expect({
          user: await backend.getUserPermissions!(user),
          group: await backend.getGroupPermissions!(user),
          all: await backend.getAllPermissions!(user),
        }, username).toEqual(expected)
      }
    })

    it("answers has_perm, has_module_perms and with_perm as Django's", async () => {
      for (const [username, perm] of [
        ['ada', 'auth.add_group'],
        ['ada', 'auth.change_user'],
        ['ada', 'auth.delete_user'],
        ['zoë', 'auth.view_group'],
        ['root', 'contenttypes.view_contenttype'],
        ['sleepy', 'auth.delete_user'],
        ['ghost', 'auth.view_user'],
      ] as const) {
        const [expected] = (await django([{ op: 'has_perm', username, perm }])) as [{ has_perm: boolean; has_module_perms: boolean }]
        const user = await userNamed(username)
        expect({ has_perm: await backend.hasPerm!(user, perm), has_module_perms: await backend.hasModulePerms!(user, perm.split('.')[0]!) }, `${username} ${perm}`).toEqual(expected)
      }
      for (const [perm, options] of [
        ['auth.change_user', {}],
        ['auth.change_user', { includeSuperusers: false }],
        ['auth.delete_user', { isActive: false }],
        ['auth.view_group', { includeSuperusers: false }],
        ['contenttypes.add_contenttype', {}],
      ] as const) {
        const [expected] = await django([{ op: 'with_perm', perm, is_active: 'isActive' in options ? options.isActive : true, include_superusers: !('includeSuperusers' in options) }])
        expect((await backend.withPerm!(perm, options)).map((u) => u.username).sort(), `${perm} ${JSON.stringify(options)}`).toEqual(expected)
      }
    })

    it('makes users, groups and permissions that Django signs in and answers the same for', async () => {
      const reviewers = await backend.saveGroup!({ name: 'reviewers', permissions: ['auth.view_permission', 'contenttypes.change_contenttype'] })
      expect(reviewers).toMatchObject({ name: 'reviewers', userCount: 0, permissions: ['auth.view_permission', 'contenttypes.change_contenttype'] })
      const bob = await backend.createUser!({ username: 'bob', password: 'hunter2 but longer', email: 'Bob@EXAMPLE.test', groups: ['reviewers', 'editors'], permissions: ['auth.delete_group'], isStaff: true })
      expect(bob).toMatchObject({ username: 'bob', email: 'Bob@example.test', isStaff: true, isActive: true, isSuperuser: false, groups: ['editors', 'reviewers'], lastLogin: null })
      const [signedIn, perms, shown] = (await django([
        { op: 'authenticate', username: 'bob', password: 'hunter2 but longer' },
        { op: 'permissions', username: 'bob' },
        { op: 'user', username: 'bob' },
      ])) as [DjangoUser | null, { user: string[]; group: string[]; all: string[] }, DjangoUser]
      expect(signedIn).toMatchObject({ username: 'bob', is_staff: true, groups: ['editors', 'reviewers'] })
      expect(perms).toEqual({ user: ['auth.delete_group'], group: ['auth.change_user', 'auth.view_permission', 'auth.view_user', 'contenttypes.change_contenttype'], all: [...perms.user, ...perms.group].sort() })
      expect(await backend.getAllPermissions!(bob)).toEqual(perms.all)
      // The join date is Django's own datetime, read back by Django as the instant Backplane wrote.
      expect(Math.abs(Date.parse(shown.date_joined) - Date.parse(bob.dateJoined!))).toBeLessThan(1000)
    })

    it('edits, mirrors and deletes users, and Django sees each change', async () => {
      const carol = await backend.createUser!({ username: 'carol', password: PASSWORD, groups: ['auditors'] })
      await backend.updateUser!(carol.id, { firstName: 'Carol', isActive: false, groups: ['editors'], permissions: ['auth.add_user'] })
      expect(await django([{ op: 'user', username: 'carol' }])).toEqual([expect.objectContaining({ first_name: 'Carol', is_active: false, groups: ['editors'] })])
      expect(await django([{ op: 'with_perm', perm: 'auth.add_user', is_active: false }])).toEqual([['carol']])

      const mirrored = await backend.mirrorUser!({ username: 'dora', email: 'dora@example.test', isStaff: true, groups: ['editors', 'ldap-people'] })
      expect(mirrored).toMatchObject({ username: 'dora', isStaff: true, isActive: true, groups: ['editors', 'ldap-people'] })
      const [dora] = (await django([{ op: 'user', username: 'dora' }])) as [DjangoUser]
      expect(dora).toMatchObject({ email: 'dora@example.test', is_staff: true, groups: ['editors', 'ldap-people'] })
      expect(dora.password.startsWith('!')).toBe(true)
      expect(await django([{ op: 'authenticate', username: 'dora', password: '' }])).toEqual([null])
      // Mirrored again with fewer groups and another name: exactly those groups, the other fields kept.
      expect(await backend.mirrorUser!({ username: 'dora', lastName: 'Explorer', groups: ['ldap-people'] })).toMatchObject({ email: 'dora@example.test', lastName: 'Explorer', isStaff: true, groups: ['ldap-people'] })

      await backend.deleteUser!(carol.id)
      expect(await django([{ op: 'authenticate', username: 'carol', password: PASSWORD }])).toEqual([null])
      expect(await backend.getUserByName!('carol')).toBeNull()
    })

    it("lists, searches and filters Django's users, groups and permissions as they are stored", async () => {
      expect((await backend.listUsers!({ search: 'EXAMPLE.test' })).users.map((u) => u.username)).toEqual(['ada', 'bob', 'dora'])
      expect((await backend.listUsers!({ group: 'editors', isActive: true })).users.map((u) => u.username)).toEqual(['ada', 'bob', 'zoë'])
      const page = await backend.listUsers!({ isSuperuser: false, limit: 2, offset: 1 })
      expect(page.users.map((u) => u.username)).toEqual(['bob', 'dora'])
      expect(page.total).toBe(6)
      const groups = await backend.listGroups!()
      expect(groups.find((g) => g.name === 'editors')).toMatchObject({ permissions: ['auth.change_user', 'auth.view_user'], userCount: 4 })
      const [permissions] = (await django([{ op: 'all_permissions' }])) as [[string, string, string, string][]]
      expect((await backend.listPermissions!()).map((p) => [p.appLabel, p.model, p.codename, p.name])).toEqual(permissions)
      const ada = (await backend.getUserByName!('ada'))!
      expect(await backend.getUserDetail!(ada.id)).toMatchObject({ groups: ['editors'], permissions: ['auth.add_group'], password: { usable: true } })
      expect(ada.dateJoined).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|\+00:00)$/)
    })

    it('mirrors one new user signing in three times at once into one user and one group (transactions run again)', async () => {
      const all = await Promise.all([0, 1, 2].map(() => backend.mirrorUser!({ username: 'triplet', groups: ['ldap-triplets', 'editors'] })))
      expect(new Set(all.map((u) => u.id)).size).toBe(1)
      expect(all[0]).toMatchObject({ groups: ['editors', 'ldap-triplets'] })
      const [shown] = (await django([{ op: 'user', username: 'triplet' }])) as [DjangoUser]
      expect(shown.groups).toEqual(['editors', 'ldap-triplets'])
      expect((await backend.listGroups!()).filter((g) => g.name === 'ldap-triplets')).toHaveLength(1)
    })

    it("mirrors into a group the database's collation takes for the name given (MariaDB: \"Édítors \" is editors)", async () => {
      const user = await backend.mirrorUser!({ username: 'folded', groups: ['Édítors '] })
      const [shown] = (await django([{ op: 'user', username: 'folded' }])) as [DjangoUser]
      expect(shown.groups).toEqual(user.groups)
      expect(user.groups).toEqual(scene.db.vendor === 'mysql' ? ['editors'] : ['Édítors '])
      await backend.deleteUser!(user.id)
    })

    it("refuses to delete a user a project's table points at (PostgreSQL: at COMMIT, Django's FKs being deferred), keeping every link", async () => {
      const table = 'bp_auth_model_post'
      const fk = scene.db.vendor === 'mysql' ? 'FOREIGN KEY (author_id) REFERENCES auth_user (id)' : 'FOREIGN KEY (author_id) REFERENCES auth_user (id) DEFERRABLE INITIALLY DEFERRED'
      const author = await backend.createUser!({ username: 'author', groups: ['editors'], permissions: ['auth.view_user'] })
      await scene.db.query(`CREATE TABLE ${table} (id integer PRIMARY KEY, author_id integer NOT NULL, ${fk})`)
      try {
        await scene.db.query(`INSERT INTO ${table} (id, author_id) VALUES (1, ?)`, [Number(author.id)])
        expect(await failure(backend.deleteUser!(author.id))).toMatchObject({ code: 'E_CONFLICT', message: expect.stringContaining('User "author" cannot be deleted') })
        expect(await backend.getUserDetail!(author.id)).toMatchObject({ groups: ['editors'], permissions: ['auth.view_user'] })
      } finally {
        await scene.db.query(`DROP TABLE ${table}`)
      }
      await backend.deleteUser!(author.id)
    })

    it('changes a password that Django then checks, and an unusable one that Django refuses', async () => {
      await backend.setPassword!('zoë', 'nouveau mot de passe')
      expect(await django([{ op: 'check_password', username: 'zoë', password: 'nouveau mot de passe' }])).toEqual([true])
      await backend.setPassword!('zoë', null)
      expect(await django([{ op: 'check_password', username: 'zoë', password: 'nouveau mot de passe' }])).toEqual([false])
      const [hash] = (await django([{ op: 'set_password', username: 'zoë', password: 'from django' }])) as [string]
      expect(hash).toMatch(/^pbkdf2_sha256\$1000\$/)
      expect(await backend.authenticate({ username: 'zoë', password: 'from django' })).toMatchObject({ ok: true, upgraded: true })
    })
  })
}

const withDjango = djangoAuthAvailable("Django's auth interop") ? describe : describe.skip

withDjango('the model backend and real Django on the same tables', () => {
  interop('SQLite file', async (ctx) => {
    const file = join(ctx.dataDir, 'django.sqlite3')
    const db = await createBackend<Database>(sqliteEngine, { name: file }, testContext('data'))
    return { django: { ENGINE: 'django.db.backends.sqlite3', NAME: file }, db, cleanup: () => db.close() }
  })

  describeService('postgres', 'PostgreSQL', (env: ServiceEnv) =>
    interop('PostgreSQL database', () =>
      scratchDatabase(postgresqlEngine, env.BACKPLANE_TEST_POSTGRES_URL!, 'django.db.backends.postgresql', {
        create: (n) => `CREATE DATABASE ${n}`,
        drop: (n) => `DROP DATABASE IF EXISTS ${n} WITH (FORCE)`,
      }),
    ),
  )

  describeService('mysql', 'MariaDB', (env: ServiceEnv) =>
    interop('MariaDB database', () =>
      scratchDatabase(mysqlEngine, env.BACKPLANE_TEST_MYSQL_URL!, 'django.db.backends.mysql', {
        create: (n) => `CREATE DATABASE ${n} CHARACTER SET utf8mb4`,
        drop: (n) => `DROP DATABASE IF EXISTS ${n}`,
      }),
    ),
  )
})

withDjango("the model backend's own SQLite tables (createTables), read by Django", () => {
  let ctx: TestContext
  const opened: Database[] = []
  beforeAll(() => {
    ctx = testContext('auth')
  })
  afterAll(async () => {
    await Promise.all(opened.map((d) => d.close()))
    ctx.cleanup()
  })

  const sqliteSettings = (name: string): DjangoAuthSettings => ({ database: { ENGINE: 'django.db.backends.sqlite3', NAME: join(ctx.dataDir, name) }, ...DJANGO_HASHERS })

  async function createdByBackplane(name: string): Promise<AuthBackend> {
    const db = await createBackend<Database>(sqliteEngine, { name: join(ctx.dataDir, name) }, testContext('data'))
    opened.push(db)
    const backend = await createBackend<AuthBackend>(modelEngine, { createTables: true }, withBackend(ctx, db))
    await backend.listPermissions!()
    return backend
  }

  it("are Django 3.2's migrate schema, content types and permissions, with the migrations recorded", async () => {
    await createdByBackplane('ours.sqlite3')
    const ours = await djangoAuth(sqliteSettings('ours.sqlite3'), [{ op: 'sqlite_schema' }, { op: 'content_types' }, { op: 'all_permissions' }, { op: 'migrate' }, { op: 'show_migrations' }])
    const theirs = await djangoAuth(sqliteSettings('theirs.sqlite3'), [{ op: 'migrate' }, { op: 'sqlite_schema' }, { op: 'content_types' }, { op: 'all_permissions' }, { op: 'show_migrations' }])
    const sorted = (rows: unknown) => (rows as unknown[][]).map((r) => JSON.stringify(r)).sort()
    expect(sorted(ours[0])).toEqual(sorted(theirs[1]))
    expect(ours[1]).toEqual(theirs[2])
    expect((ours[2] as unknown[]).length).toBe(16)
    expect(ours[2]).toEqual(theirs[3])
    // Django's migrate on the file finds everything applied (it would fail on "table already exists" otherwise).
    expect(ours[3]).toBe(true)
    expect(ours[4]).toEqual(theirs[4])
  })

  it("take Django's create_user and authenticate, and Backplane signs that user in", async () => {
    const backend = await createdByBackplane('shared.sqlite3')
    await backend.createUser!({ username: 'made-here', password: PASSWORD, permissions: ['auth.view_user'] })
    const [made, signedIn, perms] = await djangoAuth(sqliteSettings('shared.sqlite3'), [
      { op: 'create_user', username: 'made-there', password: PASSWORD, permissions: ['auth.add_user'] },
      { op: 'authenticate', username: 'made-here', password: PASSWORD },
      { op: 'permissions', username: 'made-here' },
    ])
    expect(made).toMatchObject({ username: 'made-there' })
    expect(signedIn).toMatchObject({ username: 'made-here' })
    expect(perms).toMatchObject({ all: ['auth.view_user'] })
    expect(await backend.authenticate({ username: 'made-there', password: PASSWORD })).toMatchObject({ ok: true, upgraded: true })
    expect(await backend.getAllPermissions!((await backend.getUserByName!('made-there'))!)).toEqual(['auth.add_user'])
  })
})
