import { BackplaneError, ErrorCode } from '../../../core/errors'
import type { AuthUser, ExternalUser, NewUser, UserPatch } from '../base'
import { makePassword, unusablePassword } from '../hashers'
import { groupIds } from './model-groups'
import { USER_GROUPS, USER_PERMISSIONS, dropLinks, setLinks } from './model-links'
import { permissionIds } from './model-permissions'
import { foreignKeyConflict, isUniqueViolation, type AuthSql } from './model-sql'
import { checkUsername, insertUser, normalizeEmail, normalizeUsername, updateUserFields, userById, userByName, withGroups } from './model-users'

function usernameTaken(username: string): BackplaneError {
  return new BackplaneError(ErrorCode.E_CONFLICT, `A user "${username}" already exists.`, { hint: 'Pick another username.' })
}

function noUser(id: string): BackplaneError {
  return new BackplaneError(ErrorCode.E_NOT_FOUND, `No user with id ${id}.`, { hint: 'It was deleted meanwhile: reload the list of users.' })
}

/** Makes the user's groups and direct permissions exactly those given (undefined: left as they are), in the caller's transaction. */
async function setMemberships(sql: AuthSql, userId: number, groups: number[] | undefined, perms: number[] | undefined): Promise<void> {
  if (groups) await setLinks(sql, USER_GROUPS, userId, groups)
  if (perms) await setLinks(sql, USER_PERMISSIONS, userId, perms)
}

/** The user's row and what contrib's tables hold of them (Django's cascade): memberships, permissions, admin log entries. */
async function deleteUserRows(sql: AuthSql, key: number, { adminLog }: { adminLog: boolean }): Promise<void> {
  await dropLinks(sql, USER_GROUPS, 'owner', key)
  await dropLinks(sql, USER_PERMISSIONS, 'owner', key)
  if (adminLog) await sql.run('DELETE FROM django_admin_log WHERE user_id = ?', [key])
  await sql.run('DELETE FROM auth_user WHERE id = ?', [key])
}

/** A unique violation of the username as the conflict it is. */
function takenAs(username: string): (err: unknown) => never {
  return (err) => {
    throw isUniqueViolation(err) ? usernameTaken(username) : err
  }
}

/**
 * Django's UserManager.create_user() (NFKC username, lower-case email domain, joined now; an unusable
 * password when none is given), with its admin form's username check, and the groups and permissions:
 * the user row and its links in one transaction.
 */
export async function createUser(sql: AuthSql, user: NewUser, hashers: readonly string[]): Promise<AuthUser> {
  const username = normalizeUsername(user.username)
  checkUsername(username)
  // Hashed before the transaction, which should not wait for it (nor hash again if it runs twice).
  const password = user.password ? await makePassword(user.password, hashers) : unusablePassword()
  return sql.transaction(async (tx) => {
    if (await userByName(tx, username)) throw usernameTaken(username)
    const groups = await groupIds(tx, user.groups ?? [])
    const perms = await permissionIds(tx, user.permissions ?? [])
    const created = await insertUser(tx, { ...user, username, email: normalizeEmail(user.email), password }).catch(takenAs(username))
    const key = Number(created.id)
    tx.compensate(() => deleteUserRows(tx, key, { adminLog: false }))
    await setMemberships(tx, key, groups, perms)
    return withGroups(tx, created)
  })
}

/** The fields given change; groups and permissions, when given, replace the lists; all in one transaction. */
export async function updateUser(sql: AuthSql, id: string, patch: UserPatch): Promise<AuthUser> {
  const username = patch.username === undefined ? undefined : normalizeUsername(patch.username)
  if (username !== undefined) checkUsername(username)
  return sql.transaction(async (tx) => {
    const current = await userById(tx, id)
    if (!current) throw noUser(id)
    const key = Number(current.id)
    if (username !== undefined) {
      const other = await userByName(tx, username)
      if (other && other.id !== current.id) throw usernameTaken(username)
    }
    // Every name checked before anything is written (which matters without a real transaction).
    const groups = patch.groups && (await groupIds(tx, patch.groups))
    const perms = patch.permissions && (await permissionIds(tx, patch.permissions))
    await updateUserFields(tx, key, { ...patch, ...(username === undefined ? {} : { username }) }).catch(takenAs(username ?? current.username))
    await setMemberships(tx, key, groups, perms)
    return withGroups(tx, (await userById(tx, id))!)
  })
}

/**
 * Deletes the user as Django's cascade does for contrib's tables (memberships, permissions, admin log
 * entries), all or nothing. A project's own table pointing at the user makes it E_CONFLICT, at the
 * DELETE or, for Django's deferred foreign keys, at the COMMIT.
 */
export async function deleteUser(sql: AuthSql, id: string, { adminLog }: { adminLog: boolean }): Promise<void> {
  let username = id
  await sql
    .transaction(async (tx) => {
      const user = await userById(tx, id)
      if (!user) throw noUser(id)
      username = user.username
      await deleteUserRows(tx, Number(user.id), { adminLog })
    })
    .catch((err: unknown) => {
      throw foreignKeyConflict(err, `User "${username}" cannot be deleted`) ?? err
    })
}

/**
 * A user another directory (LDAP) vouched for, as django-auth-ldap stores them: created with an
 * unusable password on first sight, the given fields updated on every login, and, when `groups` is
 * given, member of exactly those groups (missing ones created: MIRROR_GROUPS); in one transaction.
 * The same new user (or group) mirrored twice at once: the second transaction meets the first's row
 * as a unique violation, and runs again, finding it.
 */
export async function mirrorUser(sql: AuthSql, external: ExternalUser): Promise<AuthUser> {
  const { groups: groupNames, username: given, ...fields } = external
  const username = normalizeUsername(given)
  const profile = { ...fields, ...(fields.email === undefined ? {} : { email: normalizeEmail(fields.email) }) }
  return sql.transaction(
    async (tx) => {
      const groups = groupNames && (await groupIds(tx, groupNames, { create: true }))
      const known = await userByName(tx, username)
      const user = known ?? (await insertUser(tx, { ...profile, username, password: unusablePassword() }))
      if (known) await updateUserFields(tx, Number(user.id), profile)
      await setMemberships(tx, Number(user.id), groups, undefined)
      return withGroups(tx, (await userByName(tx, username))!)
    },
    { retryWhen: isUniqueViolation },
  )
}
