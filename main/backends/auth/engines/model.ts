import { z } from 'zod'
import { defineEngine } from '../../../core/engine'
import { BackplaneError, ErrorCode } from '../../../core/errors'
import type { HealthProbe } from '../../../core/health-probe'
import type { Database } from '../../data/base'
import { AuthOptions, BaseAuthBackend, type AuthResult, type AuthUser, type NewUser, type UserPage } from '../base'
import { checkPassword, isPasswordUsable, makePassword, unusablePassword } from '../hashers'
import { countOf } from '../../../core/schemas/count-noun'

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
class ModelBackend extends BaseAuthBackend<ModelOptions> {
  private prepared: { backend: Database; ready: Promise<void> } | undefined

  override async authenticate({ username, password }: { username: string; password: string }): Promise<AuthResult> {
    const db = await this.db()
    const found = await db.query('SELECT id, password FROM auth_user WHERE username = ?', [username])
    const row = found.rows[0]
    if (!row) {
      // Django hashes anyway so that "no such user" takes as long as "wrong password" (timing attacks).
      await makePassword(password)
      return this.refuse('unknown-user', `No user "${username}" in ${this.options.database}.auth_user.`)
    }
    const [id, encoded] = row as [number, string]
    if (!isPasswordUsable(encoded)) return this.refuse('unusable-password', `User "${username}" has no usable password (set_unusable_password).`)
    const { ok, mustUpdate } = await checkPassword(password, encoded)
    if (!ok) return this.refuse('bad-password', `Wrong password for "${username}".`)
    if (mustUpdate) await db.query('UPDATE auth_user SET password = ? WHERE id = ?', [await makePassword(password), id])
    const user = await this.getUser(String(id))
    return user ? this.accept(user) : this.refuse('unknown-user', 'The user disappeared while signing in.')
  }

  override async getUser(id: string): Promise<AuthUser | null> {
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

  protected async serverVersion(): Promise<string> {
    const backend = await this.ctx.backend('data', this.options.database)
    return `Django ModelBackend on ${backend.vendor}`
  }

  /** Counts the users, or says the tables will be created on first use: a check creates no table. */
  protected override async checkSteps(probe: HealthProbe): Promise<void> {
    const backend = await probe.step('database', () => this.ctx.backend('data', this.options.database), () => `alias "${this.options.database}"`)
    if (!backend) return
    const hasTables = await probe.step('tables', async () => (await backend.tables()).some((t) => t.name === 'auth_user'), (has) => (has ? 'auth_user found' : 'auth_user missing'))
    if (hasTables === false) {
      if (!this.options.createTables) await probe.step('auth_user', () => Promise.reject(this.missingTables()))
      else probe.summary = `The auth tables are created in ${this.options.database} on first use`
      return
    }
    const count = await probe.step('auth_user', async () => Number((await backend.query('SELECT count(*) FROM auth_user')).rows[0]?.[0] ?? 0), (n) => countOf(n, 'user'))
    if (count !== undefined) probe.summary = `${countOf(count, 'user')} in ${this.options.database}.auth_user`
  }

  /**
   * The database alias's live backend, asked for on every use (so an edit of that alias is followed),
   * with the auth tables checked once per backend.
   */
  private async db(): Promise<Database> {
    const backend = await this.ctx.backend('data', this.options.database)
    if (this.prepared?.backend !== backend) {
      const ready = this.prepare(backend)
      this.prepared = { backend, ready }
      ready.catch(() => {
        if (this.prepared?.ready === ready) this.prepared = undefined
      })
    }
    await this.prepared.ready
    return backend
  }

  private missingTables(): BackplaneError {
    return new BackplaneError(ErrorCode.E_AUTH_TABLES_MISSING, `Database "${this.options.database}" has no auth_user table.`, {
      hint: 'Run Django\'s "manage.py migrate" against it, or turn on "create tables" for a SQLite database.',
    })
  }

  private async prepare(backend: Database): Promise<void> {
    const tables = await backend.tables()
    if (!tables.some((t) => t.name === 'auth_user')) {
      if (!this.options.createTables) throw this.missingTables()
      if (backend.vendor !== 'sqlite') {
        throw new BackplaneError(ErrorCode.E_UNSUPPORTED, `Creating the auth tables is supported on SQLite only, not ${backend.vendor}.`, {
          hint: 'Run Django\'s "manage.py migrate" against this database.',
        })
      }
      for (const ddl of SQLITE_TABLES) await backend.query(ddl)
    }
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
