import { randomBytes } from 'node:crypto'
import { defineEngine } from '../../../core/engine'
import { BackplaneError, ErrorCode, toBackplaneError } from '../../../core/errors'
import type { HealthProbe } from '../../../core/health-probe'
import type { Database } from '../../data/base'
import {
  BaseAuthBackend,
  type AuthGroup,
  type AuthPermission,
  type AuthResult,
  type AuthUser,
  type AuthUserDetail,
  type Credentials,
  type ExternalUser,
  type NewUser,
  type UserPage,
  type UserPatch,
  type UserQuery,
  type WithPermOptions,
} from '../base'
import { algorithmOf, checkPassword, isPasswordUsable, makePassword, unusablePassword } from '../hashers'
import { deleteGroup, listGroups, saveGroup } from './model-groups'
import { ModelOptions } from './model-options'
import { allPermissionNames, groupPermissionNames, listPermissions, userPermissionNames, usersWithPerm } from './model-permissions'
import { ensureAuthTables, probeAuthTables } from './model-schema'
import { AuthSql, hasTable, numericId } from './model-sql'
import { createUser, deleteUser, mirrorUser, updateUser } from './model-user-admin'
import { groupsOfUsers, searchUsers, storedPassword, userById, userByName, withGroups, writePassword } from './model-users'

/**
 * Django's ModelBackend (django/contrib/auth/backends.py) over Django's own tables on a database alias:
 * the embedded SQLite, or a Django project's SQLite, PostgreSQL or MariaDB database, used in place.
 */
class ModelBackend extends BaseAuthBackend<ModelOptions> {
  private prepared: { backend: Database; ready: Promise<void> } | undefined

  override async authenticate({ username, password }: Credentials): Promise<AuthResult> {
    if (typeof username !== 'string' || typeof password !== 'string') return this.skip('The model backend takes a username and a password.')
    const sql = await this.sql()
    const stored = await storedPassword(sql, username)
    // Django hashes anyway when there is no user, or the stored password is unusable (check_password's
    // fake runtime), so that the answer takes as long as for a wrong password: no telling these apart by timing.
    if (!stored) {
      await this.dummyHash()
      return this.refuse('unknown-user', `No user "${username}" in ${this.options.database}.auth_user.`)
    }
    if (!isPasswordUsable(stored.encoded)) {
      await this.dummyHash()
      return this.refuse('unusable-password', `User "${username}" has no usable password (set_unusable_password), so no password signs them in.`)
    }
    const verdict = await this.verify(password, stored.encoded, username)
    if (!verdict.ok) return verdict.refusal ?? this.refuse('bad-password', `Wrong password for "${username}".`)
    // Django's check_password setter: the preferred hasher's hash replaces a weaker one. Only if the
    // stored hash is still the one checked, so that a password changed meanwhile is not put back.
    const upgraded = verdict.mustUpdate && (await this.replaceHash(sql, stored, password)) === 1
    const user = await withGroups(sql, await userById(sql, stored.id))
    return user ? this.accept(user, upgraded) : this.refuse('unknown-user', `User "${username}" was deleted while signing in.`)
  }

  /** Django's get_user(): the user with this id, or null when there is none or it cannot sign in (inactive). */
  override async getUser(id: string): Promise<AuthUser | null> {
    const sql = await this.sql()
    const user = await userById(sql, id)
    return user && this.userCanAuthenticate(user) ? withGroups(sql, user) : null
  }

  async getUserByName(username: string): Promise<AuthUser | null> {
    const sql = await this.sql()
    return withGroups(sql, await userByName(sql, username))
  }

  // Django's ModelBackend._get_permissions(): nothing for an inactive user, every permission for a superuser.
  override async getUserPermissions(user: AuthUser): Promise<string[]> {
    return this.permissionsOf(user, userPermissionNames)
  }

  override async getGroupPermissions(user: AuthUser): Promise<string[]> {
    return this.permissionsOf(user, groupPermissionNames)
  }

  override async getAllPermissions(user: AuthUser): Promise<string[]> {
    return this.permissionsOf(user, async (sql, id) => {
      const [own, groups] = await Promise.all([userPermissionNames(sql, id), groupPermissionNames(sql, id)])
      return [...new Set([...own, ...groups])].sort()
    })
  }

  /** Django's with_perm(), ordered by username, at most options.limit users (all when none is given). */
  async withPerm(perm: string, options: WithPermOptions = {}): Promise<AuthUser[]> {
    return usersWithPerm(await this.sql(), perm, options)
  }

  async listUsers(query: UserQuery): Promise<UserPage> {
    const sql = await this.sql()
    const page = await searchUsers(sql, query)
    const groups = await groupsOfUsers(sql, page.users.map((u) => u.id))
    return { users: page.users.map((u) => ({ ...u, groups: groups.get(u.id) ?? [] })), total: page.total }
  }

  async getUserDetail(id: string): Promise<AuthUserDetail | null> {
    const sql = await this.sql()
    const user = await withGroups(sql, await userById(sql, id))
    if (!user) return null
    const stored = await storedPassword(sql, user.username)
    const usable = isPasswordUsable(stored?.encoded)
    return {
      user,
      groups: user.groups ?? [],
      permissions: await userPermissionNames(sql, Number(user.id)),
      password: { usable, algorithm: usable ? algorithmOf(stored!.encoded) : null },
    }
  }

  async createUser(user: NewUser): Promise<AuthUser> {
    return createUser(await this.sql(), user, this.options.hashers)
  }

  async updateUser(id: string, patch: UserPatch): Promise<AuthUser> {
    return updateUser(await this.sql(), id, patch)
  }

  async deleteUser(id: string): Promise<void> {
    const [sql, adminLog] = await Promise.all([this.sql(), this.database().then((db) => hasTable(db, 'django_admin_log'))])
    await deleteUser(sql, id, { adminLog })
  }

  async setPassword(username: string, password: string | null): Promise<void> {
    const sql = await this.sql()
    const encoded = password === null ? unusablePassword() : await makePassword(password, this.options.hashers)
    if ((await writePassword(sql, username, encoded)) === 0) {
      throw new BackplaneError(ErrorCode.E_NOT_FOUND, `No user "${username}".`, { hint: 'Check the username, or create the user first.' })
    }
  }

  async listGroups(): Promise<AuthGroup[]> {
    return listGroups(await this.sql())
  }

  async saveGroup(group: { id?: string; name: string; permissions: string[] }): Promise<AuthGroup> {
    return saveGroup(await this.sql(), group)
  }

  async deleteGroup(id: string): Promise<void> {
    await deleteGroup(await this.sql(), id)
  }

  async listPermissions(): Promise<AuthPermission[]> {
    return listPermissions(await this.sql())
  }

  async mirrorUser(external: ExternalUser): Promise<AuthUser> {
    return mirrorUser(await this.sql(), external)
  }

  protected async serverVersion(): Promise<string> {
    return `Django ModelBackend on ${(await this.database()).vendor}`
  }

  protected override async checkSteps(probe: HealthProbe): Promise<void> {
    await probeAuthTables(probe, () => this.database(), { alias: this.options.database, createTables: this.options.createTables })
  }

  private async permissionsOf(user: AuthUser, own: (sql: AuthSql, userId: number) => Promise<string[]>): Promise<string[]> {
    const sql = await this.sql()
    const row = await this.ownRow(sql, user)
    if (!row) return []
    if (row.isSuperuser) return allPermissionNames(sql)
    return own(sql, row.id)
  }

  /**
   * The user's own row, by id and username both: in Django every user is a row of the one user model,
   * but here another backend of the chain (LDAP without a mirror, a custom engine) may answer a user
   * whose id is "1" too, and must not get the permissions of auth_user 1. Undefined for an inactive
   * user (Django: no permissions); a superuser is one by the object and the row both.
   */
  private async ownRow(sql: AuthSql, user: AuthUser): Promise<{ id: number; isSuperuser: boolean } | undefined> {
    const id = numericId(user.id)
    if (id === undefined || !user.isActive) return undefined
    const row = await sql.first('SELECT is_active, is_superuser FROM auth_user WHERE id = ? AND username = ?', [id, user.username])
    if (!row?.[0]) return undefined
    return { id, isSuperuser: user.isSuperuser && Boolean(row[1]) }
  }

  /**
   * check_password(), with Django's answer for a hash of an algorithm none of the alias's hashers
   * knows: not an error, just not this password (identify_hasher's ValueError is caught there), so the
   * chain goes on. A malformed hash of a known algorithm raises, as in Django (E_BAD_HASH).
   */
  private async verify(password: string, encoded: string, username: string): Promise<{ ok: boolean; mustUpdate: boolean; refusal?: AuthResult }> {
    try {
      return await checkPassword(password, encoded, this.options.hashers)
    } catch (err) {
      const error = toBackplaneError(err)
      if (error.code !== ErrorCode.E_UNKNOWN_HASHER) throw err
      // Nothing was hashed: as Django's verify_password for a hash no hasher identifies, hash once anyway.
      await this.dummyHash()
      const why = `${error.message}${error.hint ? ` ${error.hint}` : ''}`
      return { ok: false, mustUpdate: false, refusal: this.refuse('bad-password', `The stored hash of "${username}" cannot be checked: ${why}`) }
    }
  }

  /** What a password check costs, spent on a random string: Django's make_password(get_random_string(…)). */
  private async dummyHash(): Promise<void> {
    await makePassword(randomBytes(30).toString('base64url'), this.options.hashers)
  }

  private async replaceHash(sql: AuthSql, stored: { id: string; encoded: string }, password: string): Promise<number> {
    const encoded = await makePassword(password, this.options.hashers)
    return sql.run('UPDATE auth_user SET password = ? WHERE id = ? AND password = ?', [encoded, Number(stored.id), stored.encoded])
  }

  /** The database alias's live backend, asked for on every use, so that an edit of that alias is followed. */
  private database(): Promise<Database> {
    return this.ctx.backend('data', this.options.database)
  }

  /** The auth tables' SQL on the alias, with the tables checked (or created) once per live backend. */
  private async sql(): Promise<AuthSql> {
    const backend = await this.database()
    if (this.prepared?.backend !== backend) {
      const ready = ensureAuthTables(backend, { alias: this.options.database, createTables: this.options.createTables })
      this.prepared = { backend, ready }
      ready.catch(() => {
        if (this.prepared?.ready === ready) this.prepared = undefined
      })
    }
    await this.prepared.ready
    return new AuthSql(backend, backend.vendor)
  }
}

export const modelEngine = defineEngine({
  kind: 'auth',
  id: 'model',
  title: 'Django model backend',
  description: "Users, groups, permissions and password hashes in Django's auth tables, on any database alias.",
  options: ModelOptions,
  create: (options, ctx) => new ModelBackend(options, ctx),
})
