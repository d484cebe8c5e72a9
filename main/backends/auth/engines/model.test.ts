import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { authContract } from '../../../../test/contracts/auth.contract'
import { createBackend, testContext, withBackend } from '../../../../test/support/engine-context'
import { failure } from '../../../../test/support/failures'
import type { Database } from '../../data/base'
import { sqliteEngine } from '../../data/engines/sqlite'
import type { AuthBackend } from '../base'
import { HASHERS, makePassword } from '../hashers'
import { modelEngine } from './model'
import { modelOnFreshSqlite, type ModelBed } from './model-fixtures'
import { ModelOptions } from './model-options'

authContract('model', async () => {
  const bed = await modelOnFreshSqlite()
  return {
    backend: bed.backend,
    addUser: async (username, password, options) => {
      await bed.backend.createUser!({ username, password, isActive: options?.active ?? true })
    },
    cleanup: () => bed.close(),
  }
})

const beds: ModelBed[] = []
afterEach(async () => {
  await Promise.all(beds.splice(0).map((b) => b.close()))
})
async function fresh(options: Record<string, unknown> = {}): Promise<ModelBed> {
  const bed = await modelOnFreshSqlite(options)
  beds.push(bed)
  return bed
}
const storedHash = async (db: Database, username: string) => String((await db.query('SELECT password FROM auth_user WHERE username = ?', [username])).rows[0]?.[0])

describe('the hashers option (PASSWORD_HASHERS)', () => {
  it("takes algorithm names or Django's class paths, and refuses an unknown one by name", () => {
    expect(ModelOptions.parse({ hashers: ['django.contrib.auth.hashers.Argon2PasswordHasher', 'pbkdf2_sha256'] }).hashers).toEqual(['argon2', 'pbkdf2_sha256'])
    const refused = ModelOptions.safeParse({ hashers: ['pbkdf2_sha256', 'whirlpool'] })
    expect(refused.success).toBe(false)
    expect(refused.error?.issues[0]?.message).toMatch(/Unknown password hasher "whirlpool"/)
    expect(ModelOptions.safeParse({ hashers: ['md5', 'pbkdf2_sha256'] }).error?.issues[0]?.message).toMatch(/only verify/)
    expect(ModelOptions.safeParse({ hashers: [] }).success).toBe(false)
  })

  it('hashes new passwords with the first hasher, and upgrades a hash of another one on login', async () => {
    const { backend, db } = await fresh({ hashers: ['argon2', 'pbkdf2_sha256'] })
    await backend.createUser!({ username: 'ada', password: 'pw one' })
    expect(await storedHash(db, 'ada')).toMatch(/^argon2\$argon2id\$/)
    await db.query('UPDATE auth_user SET password = ? WHERE username = ?', [await makePassword('pw one', ['pbkdf2_sha256']), 'ada'])
    expect(await backend.authenticate({ username: 'ada', password: 'pw one' })).toMatchObject({ ok: true, upgraded: true })
    expect(await storedHash(db, 'ada')).toMatch(/^argon2\$/)
  })

  it("refuses a hash of a hasher the alias does not list as a wrong password, saying why, as Django's check_password", async () => {
    const { backend, db } = await fresh({ hashers: ['pbkdf2_sha256'] })
    await backend.createUser!({ username: 'ada' })
    await backend.setPassword!('ada', 'secret words')
    await db.query('UPDATE auth_user SET password = ? WHERE username = ?', [await makePassword('secret words', ['argon2']), 'ada'])
    const result = await backend.authenticate({ username: 'ada', password: 'secret words' })
    expect(result).toMatchObject({ ok: false, reason: 'bad-password', message: expect.stringContaining('argon2') })
    expect(JSON.stringify(result)).not.toContain('secret words')
  })

  it('fails on a malformed hash of a known hasher, as Django raises, without the password in the error', async () => {
    const { backend, db } = await fresh()
    await backend.createUser!({ username: 'ada' })
    await db.query('UPDATE auth_user SET password = ? WHERE username = ?', ['pbkdf2_sha256$many$salt$hash', 'ada'])
    const error = await failure(backend.authenticate({ username: 'ada', password: 'my secret' }))
    expect(error.code).toBe('E_BAD_HASH')
    expect(JSON.stringify(error.toPayload())).not.toContain('my secret')
  })
})

describe('signing in', () => {
  it("finds no user for an id that is not one of Django's keys, nor an inactive one (get_user)", async () => {
    const { backend } = await fresh()
    const sleepy = await backend.createUser!({ username: 'sleepy', isActive: false })
    expect(await backend.getUser('12abc')).toBeNull()
    expect(await backend.getUser(sleepy.id)).toBeNull()
    expect((await backend.getUserByName!('sleepy'))?.isActive).toBe(false)
  })

  it('signs an inactive user in with allowInactive (AllowAllUsersModelBackend)', async () => {
    const { backend } = await fresh({ allowInactive: true })
    await backend.createUser!({ username: 'sleepy', password: 'pw', isActive: false })
    expect(await backend.authenticate({ username: 'sleepy', password: 'pw' })).toMatchObject({ ok: true, user: { isActive: false } })
  })

  it('refuses a user without a usable password, and skips credentials without a password', async () => {
    const { backend } = await fresh()
    await backend.createUser!({ username: 'nopw' })
    expect(await backend.authenticate({ username: 'nopw', password: '' })).toMatchObject({ ok: false, reason: 'unusable-password' })
    expect(await backend.authenticate({ username: 'nopw' } as never)).toMatchObject({ ok: false, reason: 'skipped' })
  })

  it('hashes once before refusing an unusable password, an unknown user or a hash no hasher knows, as a wrong password costs', async () => {
    const { backend, db } = await fresh({ hashers: ['pbkdf2_sha256'] })
    await backend.createUser!({ username: 'nopw' })
    await backend.createUser!({ username: 'foreign' })
    await db.query('UPDATE auth_user SET password = ? WHERE username = ?', ['whirlpool$1$salt$hash', 'foreign'])
    const preferred = HASHERS.find((h) => h.algorithm === 'pbkdf2_sha256')!
    const encode = vi.spyOn(preferred, 'encode')
    try {
      for (const [username, reason] of [
        ['nopw', 'unusable-password'],
        ['nobody', 'unknown-user'],
        ['foreign', 'bad-password'],
      ] as const) {
        encode.mockClear()
        expect(await backend.authenticate({ username, password: 'a guess' })).toMatchObject({ ok: false, reason })
        expect(encode, username).toHaveBeenCalledTimes(1)
        // A random string is hashed, not the password typed.
        expect(encode.mock.calls[0]?.[0]).not.toBe('a guess')
      }
    } finally {
      encode.mockRestore()
    }
  })

  it('changes a password: the old one stops working, the new one works', async () => {
    const { backend } = await fresh()
    await backend.createUser!({ username: 'ada', password: 'old' })
    await backend.setPassword!('ada', 'new')
    expect((await backend.authenticate({ username: 'ada', password: 'old' })).ok).toBe(false)
    expect((await backend.authenticate({ username: 'ada', password: 'new' })).ok).toBe(true)
    expect(await failure(backend.setPassword!('nobody', 'x'))).toMatchObject({ code: 'E_NOT_FOUND' })
  })
})

describe("Django's tables", () => {
  async function bare(setup: string[], options: Record<string, unknown> = {}) {
    const ctx = testContext('auth')
    const db = await createBackend<Database>(sqliteEngine, { name: join(ctx.dataDir, 'bare.sqlite3') }, testContext('data'))
    for (const sql of setup) await db.query(sql)
    const backend = await createBackend<AuthBackend>(modelEngine, options, withBackend(ctx, db))
    beds.push({ ctx, db, backend, close: async () => (await db.close(), ctx.cleanup()) })
    return { db, backend }
  }

  it('explains a database without auth_user and how to create it, in the health report and on use', async () => {
    const { backend } = await bare([])
    const report = await backend.check()
    expect(report.state).toBe('down')
    expect(report.error).toMatchObject({ code: 'E_AUTH_TABLES_MISSING', hint: expect.stringContaining('migrate') })
    expect(await failure(backend.authenticate({ username: 'a', password: 'b' }))).toMatchObject({ code: 'E_AUTH_TABLES_MISSING', message: expect.stringContaining('no auth_user table') })
  })

  it('names the tables a database with auth_user lacks', async () => {
    const { backend } = await bare(['CREATE TABLE auth_user (id integer PRIMARY KEY, username text)', 'CREATE TABLE auth_group (id integer PRIMARY KEY, name text)'])
    const error = await failure(backend.listUsers!({}))
    expect(error).toMatchObject({ code: 'E_AUTH_TABLES_MISSING', details: { missing: ['auth_permission', 'django_content_type', 'auth_user_groups', 'auth_user_user_permissions', 'auth_group_permissions'] } })
    expect(error.message).toContain('has auth_user but not auth_permission')
  })

  it("completes the three tables earlier Backplane releases created, keeping their users, with createTables", async () => {
    const { backend } = await bare(
      [
        'CREATE TABLE IF NOT EXISTS "auth_user" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "password" varchar(128) NOT NULL, "last_login" datetime NULL, "is_superuser" bool NOT NULL, "username" varchar(150) NOT NULL UNIQUE, "last_name" varchar(150) NOT NULL, "email" varchar(254) NOT NULL, "is_staff" bool NOT NULL, "is_active" bool NOT NULL, "date_joined" datetime NOT NULL, "first_name" varchar(150) NOT NULL)',
        'CREATE TABLE IF NOT EXISTS "auth_group" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "name" varchar(150) NOT NULL UNIQUE)',
        'CREATE TABLE IF NOT EXISTS "auth_user_groups" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "user_id" integer NOT NULL REFERENCES "auth_user" ("id") DEFERRABLE INITIALLY DEFERRED, "group_id" integer NOT NULL REFERENCES "auth_group" ("id") DEFERRABLE INITIALLY DEFERRED)',
        `INSERT INTO auth_user (password, is_superuser, username, last_name, email, is_staff, is_active, date_joined, first_name) VALUES ('!x', 0, 'old-timer', '', '', 0, 1, '2024-01-02 03:04:05.123456', '')`,
      ],
      { createTables: true },
    )
    expect((await backend.listUsers!({})).users).toEqual([expect.objectContaining({ username: 'old-timer', dateJoined: '2024-01-02T03:04:05.123456Z', lastLogin: null })])
    expect((await backend.listPermissions!()).map((p) => p.perm)).toContain('auth.view_user')
  })

  it('reports the user count when healthy, and that the tables come on first use before then', async () => {
    const { backend } = await fresh()
    expect((await backend.check()).summary).toMatch(/created .* on first use/)
    await backend.createUser!({ username: 'ada' })
    const report = await backend.check()
    expect(report.state).toBe('ok')
    expect(report.summary).toMatch(/^1 user in /)
  })
})
