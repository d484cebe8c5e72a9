import { z } from 'zod'
import { defineEngine, type EngineContext } from '../../../core/engine'
import { BackplaneError, ErrorCode } from '../../../core/errors'
import { HealthProbe } from '../../../core/health-probe'
import type { HealthReport } from '../../../core/schemas/health'
import { isDatabase, type Database } from '../../data/base'
import { AuthOptions, type AuthBackend, type AuthResult, type AuthUser, type NewUser, type UserPage } from '../base'
import { checkPassword, isPasswordUsable, makePassword, unusablePassword } from '../hashers'

const ModelOptions = AuthOptions.extend({
  database: z.string().default('default').describe('Database alias holding Django\'s auth tables (auth_user, auth_group).'),
  createTables: z
    .boolean()
    .default(false)
    .describe('Create the auth tables when missing (SQLite only). Leave off for a Django project\'s database: run its migrate instead.'),
})
type ModelOptions = z.output<typeof ModelOptions>

// Django's auth migrations for SQLite (0001_initial and later, flattened).
const SQLITE_TABLES = [
  `CREATE TABLE IF NOT EXISTS "auth_user" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "password" varchar(128) NOT NULL, "last_login" datetime NULL, "is_superuser" bool NOT NULL, "username" varchar(150) NOT NULL UNIQUE, "last_name" varchar(150) NOT NULL, "email" varchar(254) NOT NULL, "is_staff" bool NOT NULL, "is_active" bool NOT NULL, "date_joined" datetime NOT NULL, "first_name" varchar(150) NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS "auth_group" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "name" varchar(150) NOT NULL UNIQUE)`,
  `CREATE TABLE IF NOT EXISTS "auth_user_groups" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "user_id" integer NOT NULL REFERENCES "auth_user" ("id") DEFERRABLE INITIALLY DEFERRED, "group_id" integer NOT NULL REFERENCES "auth_group" ("id") DEFERRABLE INITIALLY DEFERRED)`,
]

const USER_COLUMNS = 'id, username, email, first_name, last_name, is_active, is_staff, is_superuser, last_login, date_joined'

/** Django's ModelBackend over the auth_user table of any configured database alias. */
class ModelBackend implements AuthBackend {
  private ready: Promise<Database> | undefined

  constructor(
    private readonly options: ModelOptions,
    private readonly ctx: EngineContext,
  ) {}

  async authenticate({ username, password }: { username: string; password: string }): Promise<AuthResult> {
    const db = await this.db()
    const found = await db.query('SELECT id, password, is_active FROM auth_user WHERE username = ?', [username])
    const row = found.rows[0]
    if (!row) {
      // Django hashes anyway so that "no such user" takes as long as "wrong password" (timing attacks).
      await makePassword(password)
      return { ok: false, reason: 'unknown-user', message: `No user "${username}" in ${this.options.database}.auth_user.` }
    }
    const [id, encoded, isActive] = row as [number, string, number | boolean]
    if (!isPasswordUsable(encoded)) return { ok: false, reason: 'unusable-password', message: `User "${username}" has no usable password (set_unusable_password).` }
    const { ok, mustUpdate } = await checkPassword(password, encoded)
    if (!ok) return { ok: false, reason: 'bad-password', message: `Wrong password for "${username}".` }
    if (!isActive) return { ok: false, reason: 'inactive', message: `User "${username}" is inactive (is_active = false), so ModelBackend refuses it.` }
    if (mustUpdate) await db.query('UPDATE auth_user SET password = ? WHERE id = ?', [await makePassword(password), id])
    const user = await this.getUser(String(id))
    return user ? { ok: true, user } : { ok: false, reason: 'unknown-user', message: 'The user disappeared while signing in.' }
  }

  async getUser(id: string): Promise<AuthUser | null> {
    const db = await this.db()
    const result = await db.query(`SELECT ${USER_COLUMNS} FROM auth_user WHERE id = ?`, [Number(id)])
    return result.rows[0] ? toUser(result.rows[0]) : null
  }

  async listUsers({ search = '', limit = 100, offset = 0 }: { search?: string; limit?: number; offset?: number }): Promise<UserPage> {
    const db = await this.db()
    const like = `%${search.replace(/[\\%_]/g, (c) => '\\' + c)}%`
    const where = "WHERE username LIKE ? ESCAPE '\\' OR email LIKE ? ESCAPE '\\'"
    const total = await db.query(`SELECT count(*) FROM auth_user ${where}`, [like, like])
    const page = await db.query(`SELECT ${USER_COLUMNS} FROM auth_user ${where} ORDER BY username LIMIT ? OFFSET ?`, [like, like, limit, offset], { maxRows: limit })
    return { users: page.rows.map(toUser), total: Number(total.rows[0]?.[0] ?? 0) }
  }

  async createUser(user: NewUser): Promise<AuthUser> {
    const db = await this.db()
    const encoded = user.password ? await makePassword(user.password) : unusablePassword()
    const exists = await db.query('SELECT 1 FROM auth_user WHERE username = ?', [user.username])
    if (exists.rows.length) throw new BackplaneError(ErrorCode.E_CONFLICT, `A user "${user.username}" already exists.`, { hint: 'Pick another username.' })
    await db.query(
      'INSERT INTO auth_user (password, last_login, is_superuser, username, last_name, email, is_staff, is_active, date_joined, first_name) VALUES (?, NULL, ?, ?, ?, ?, ?, ?, ?, ?)',
      [encoded, user.isSuperuser ? 1 : 0, user.username, user.lastName ?? '', user.email ?? '', user.isStaff ? 1 : 0, user.isActive === false ? 0 : 1, new Date().toISOString(), user.firstName ?? ''],
    )
    const created = await db.query(`SELECT ${USER_COLUMNS} FROM auth_user WHERE username = ?`, [user.username])
    return toUser(created.rows[0]!)
  }

  async setPassword(username: string, password: string): Promise<void> {
    const db = await this.db()
    const result = await db.query('UPDATE auth_user SET password = ? WHERE username = ?', [await makePassword(password), username])
    if (result.rowCount === 0) throw new BackplaneError(ErrorCode.E_NOT_FOUND, `No user "${username}".`)
  }

  async check(): Promise<HealthReport> {
    const probe = new HealthProbe('auth', this.ctx.alias, this.ctx.engine)
    const db = await probe.step('database', () => this.db(), () => `alias "${this.options.database}"`)
    if (db) {
      const count = await probe.step('auth_user', async () => Number((await db.query('SELECT count(*) FROM auth_user')).rows[0]?.[0] ?? 0), (n) => `${n} users`)
      probe.version = `Django ModelBackend on ${db.vendor}`
      if (count !== undefined) probe.summary = `${count} users in ${this.options.database}.auth_user`
    }
    return probe.report()
  }

  async close(): Promise<void> {}

  private db(): Promise<Database> {
    this.ready ??= this.connect().catch((err: unknown) => {
      this.ready = undefined
      throw err
    })
    return this.ready
  }

  private async connect(): Promise<Database> {
    const backend = await this.ctx.backend('data', this.options.database)
    if (!isDatabase(backend)) throw new BackplaneError(ErrorCode.E_ENGINE_INTERFACE, `Alias "${this.options.database}" is not a database.`)
    const tables = await backend.tables()
    if (!tables.some((t) => t.name === 'auth_user')) {
      if (!this.options.createTables) {
        throw new BackplaneError(ErrorCode.E_AUTH_TABLES_MISSING, `Database "${this.options.database}" has no auth_user table.`, {
          hint: 'Run Django\'s "manage.py migrate" against it, or turn on "create tables" for a SQLite database.',
        })
      }
      if (backend.vendor !== 'sqlite') {
        throw new BackplaneError(ErrorCode.E_UNSUPPORTED, `Creating the auth tables is supported on SQLite only, not ${backend.vendor}.`, {
          hint: 'Run Django\'s "manage.py migrate" against this database.',
        })
      }
      for (const ddl of SQLITE_TABLES) await backend.query(ddl)
    }
    return backend
  }
}

function toUser(row: unknown[]): AuthUser {
  const [id, username, email, firstName, lastName, isActive, isStaff, isSuperuser, lastLogin, dateJoined] = row
  return {
    id: String(id),
    username: String(username),
    email: String(email ?? ''),
    firstName: String(firstName ?? ''),
    lastName: String(lastName ?? ''),
    isActive: Boolean(isActive),
    isStaff: Boolean(isStaff),
    isSuperuser: Boolean(isSuperuser),
    lastLogin: lastLogin == null ? null : String(lastLogin),
    dateJoined: String(dateJoined ?? ''),
  }
}

export const modelEngine = defineEngine({
  kind: 'auth',
  id: 'model',
  title: 'Django model backend',
  description: "Users, groups and password hashes in Django's auth tables, on any database alias.",
  options: ModelOptions,
  create: (options, ctx) => new ModelBackend(options, ctx),
})
