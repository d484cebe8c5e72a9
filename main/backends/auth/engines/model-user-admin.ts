import { BackplaneError, ErrorCode } from '../../../core/errors'
import type { AuthUser, ExternalUser, NewUser, UserPatch } from '../base'
import { makePassword, unusablePassword } from '../hashers'
import { groupIds } from './model-groups'
import { USER_GROUPS, USER_PERMISSIONS, dropLinks, planLinks } from './model-links'
import { permissionIds } from './model-permissions'
import { foreignKeyConflict, inOneTransaction, isUniqueViolation, type AuthSql } from './model-sql'
import { checkUsername, insertUser, normalizeEmail, normalizeUsername, updateUserFields, userById, userByName, withGroups } from './model-users'

function usernameTaken(username: string): BackplaneError {
  return new BackplaneError(ErrorCode.E_CONFLICT, `A user "${username}" already exists.`, { hint: 'Pick another username.' })
}

function noUser(id: string): BackplaneError {
  return new BackplaneError(ErrorCode.E_NOT_FOUND, `No user with id ${id}.`, { hint: 'It was deleted meanwhile: reload the list of users.' })
}

/** Makes the user's groups and direct permissions exactly those given (undefined: left as they are), in one transaction. */
async function setMemberships(sql: AuthSql, userId: number, groups: number[] | undefined, perms: number[] | undefined): Promise<void> {
  const plans = await Promise.all([groups && planLinks(sql, USER_GROUPS, userId, groups), perms && planLinks(sql, USER_PERMISSIONS, userId, perms)])
  await inOneTransaction(sql, plans.flatMap((p) => p ?? []))
}

/**
 * Django's UserManager.create_user() (NFKC username, lower-case email domain, joined now; an unusable
 * password when none is given), with its admin form's username check, and the groups and permissions.
 */
export async function createUser(sql: AuthSql, user: NewUser, hashers: readonly string[]): Promise<AuthUser> {
  const username = normalizeUsername(user.username)
  checkUsername(username)
  if (await userByName(sql, username)) throw usernameTaken(username)
  // Every name checked before anything is written: an unknown group leaves no half-made user.
  const [groups, perms] = await Promise.all([groupIds(sql, user.groups ?? []), permissionIds(sql, user.permissions ?? [])])
  const password = user.password ? await makePassword(user.password, hashers) : unusablePassword()
  const created = await insertUser(sql, { ...user, username, email: normalizeEmail(user.email), password }).catch((err: unknown) => {
    throw isUniqueViolation(err) ? usernameTaken(username) : err
  })
  const key = Number(created.id)
  // A user whose groups or permissions cannot be written is not left behind half made.
  await setMemberships(sql, key, groups, perms).catch(async (err: unknown) => {
    await sql.run('DELETE FROM auth_user WHERE id = ?', [key]).catch(() => undefined)
    throw err
  })
  return withGroups(sql, created)
}

/** The fields given change; groups and permissions, when given, replace the lists. */
export async function updateUser(sql: AuthSql, id: string, patch: UserPatch): Promise<AuthUser> {
  const current = await userById(sql, id)
  if (!current) throw noUser(id)
  const key = Number(current.id)
  const username = patch.username === undefined ? undefined : normalizeUsername(patch.username)
  if (username !== undefined) {
    checkUsername(username)
    const other = await userByName(sql, username)
    if (other && other.id !== current.id) throw usernameTaken(username)
  }
  const [groups, perms] = await Promise.all([patch.groups && groupIds(sql, patch.groups), patch.permissions && permissionIds(sql, patch.permissions)])
  await updateUserFields(sql, key, { ...patch, ...(username === undefined ? {} : { username }) }).catch((err: unknown) => {
    throw isUniqueViolation(err) ? usernameTaken(username ?? current.username) : err
  })
  await setMemberships(sql, key, groups, perms)
  return withGroups(sql, (await userById(sql, id))!)
}

/**
 * Deletes the user as Django's cascade does for contrib's tables (memberships, permissions, admin log
 * entries), all or nothing. A project's own table pointing at the user makes it E_CONFLICT.
 */
export async function deleteUser(sql: AuthSql, id: string, { adminLog }: { adminLog: boolean }): Promise<void> {
  const user = await userById(sql, id)
  if (!user) throw noUser(id)
  const key = Number(user.id)
  await inOneTransaction(sql, [
    dropLinks(USER_GROUPS, 'owner', key),
    dropLinks(USER_PERMISSIONS, 'owner', key),
    ...(adminLog ? [{ sql: 'DELETE FROM django_admin_log WHERE user_id = ?', params: [key] }] : []),
    { sql: 'DELETE FROM auth_user WHERE id = ?', params: [key] },
  ]).catch((err: unknown) => {
    throw foreignKeyConflict(err, `User "${user.username}" cannot be deleted`) ?? err
  })
}

/**
 * A user another directory (LDAP) vouched for, as django-auth-ldap stores them: created with an
 * unusable password on first sight, the given fields updated on every login, and, when `groups` is
 * given, member of exactly those groups (missing ones created: MIRROR_GROUPS).
 */
export async function mirrorUser(sql: AuthSql, external: ExternalUser): Promise<AuthUser> {
  const { groups: groupNames, username: given, ...fields } = external
  const username = normalizeUsername(given)
  const profile = { ...fields, ...(fields.email === undefined ? {} : { email: normalizeEmail(fields.email) }) }
  const groups = groupNames && (await groupIds(sql, groupNames, { create: true }))
  let user = await userByName(sql, username)
  if (!user) {
    user = await insertUser(sql, { ...profile, username, password: unusablePassword() }).catch(async (err: unknown) => {
      // The same user signing in twice at once: the other login created them, this one updates.
      if (!isUniqueViolation(err)) throw err
      return (await userByName(sql, username))!
    })
  }
  await updateUserFields(sql, Number(user.id), profile)
  await setMemberships(sql, Number(user.id), groups, undefined)
  return withGroups(sql, (await userByName(sql, username))!)
}
