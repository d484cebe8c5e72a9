import { BackplaneError, ErrorCode } from '../../../core/errors'
import type { AuthUser, UserPatch, UserQuery } from '../base'
import { likePattern } from '../../data/table-sql'
import { chunks, isoDatetime, numericId, type AuthSql } from './model-sql'

/** auth_user's columns as the backend reads them, `u` being auth_user. */
export const USER_COLUMNS = 'u.id, u.username, u.email, u.first_name, u.last_name, u.is_active, u.is_staff, u.is_superuser, u.last_login, u.date_joined'

export function toUser(row: unknown[]): AuthUser {
  const [id, username, email, firstName, lastName, isActive, isStaff, isSuperuser, lastLogin, dateJoined] = row
  return {
    id: String(id),
    username: String(username),
    email: String(email ?? ''),
    firstName: String(firstName ?? ''),
    lastName: String(lastName ?? ''),
    // 0/1 on SQLite and MariaDB, real booleans on PostgreSQL.
    isActive: Boolean(isActive),
    isStaff: Boolean(isStaff),
    isSuperuser: Boolean(isSuperuser),
    lastLogin: isoDatetime(lastLogin),
    dateJoined: isoDatetime(dateJoined) ?? '',
  }
}

/** Django's AbstractBaseUser.normalize_username(): NFKC, so "ﬁ" and "fi" are one user. */
export function normalizeUsername(username: string): string {
  return username.normalize('NFKC')
}

/** Django's BaseUserManager.normalize_email(): the domain part lower-cased. */
export function normalizeEmail(email: string | undefined): string {
  const trimmed = (email ?? '').trim()
  const at = trimmed.lastIndexOf('@')
  if (at < 0) return email ?? ''
  return trimmed.slice(0, at) + '@' + trimmed.slice(at + 1).toLowerCase()
}

// Django's UnicodeUsernameValidator (r'^[\w.@+-]+\Z'), which its admin forms apply.
const USERNAME = /^[\p{L}\p{N}_.@+-]+$/u

export function checkUsername(username: string): void {
  if (!USERNAME.test(username)) {
    throw new BackplaneError(ErrorCode.E_INVALID_INPUT, `"${username}" is not a valid username.`, {
      hint: 'Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters.',
    })
  }
}

/** The user with this username (Django's get_by_natural_key: the database's own comparison, case-insensitive on MariaDB). */
export async function userByName(sql: AuthSql, username: string): Promise<AuthUser | null> {
  const row = await sql.first(`SELECT ${USER_COLUMNS} FROM auth_user u WHERE u.username = ?`, [username])
  return row ? toUser(row) : null
}

export async function userById(sql: AuthSql, id: string): Promise<AuthUser | null> {
  const key = numericId(id)
  if (key === undefined) return null
  const row = await sql.first(`SELECT ${USER_COLUMNS} FROM auth_user u WHERE u.id = ?`, [key])
  return row ? toUser(row) : null
}

/** The stored password hash and id of a username, for authenticate(). */
export async function storedPassword(sql: AuthSql, username: string): Promise<{ id: string; encoded: string } | null> {
  const row = await sql.first('SELECT id, password FROM auth_user WHERE username = ?', [username])
  return row ? { id: String(row[0]), encoded: String(row[1] ?? '') } : null
}

/** Stores a password hash for a username; answers the rows changed (0: no such user). */
export async function writePassword(sql: AuthSql, username: string, encoded: string): Promise<number> {
  return sql.run('UPDATE auth_user SET password = ? WHERE username = ?', [encoded, username])
}

export interface UserRow {
  username: string
  password: string
  email?: string | undefined
  firstName?: string | undefined
  lastName?: string | undefined
  isActive?: boolean | undefined
  isStaff?: boolean | undefined
  isSuperuser?: boolean | undefined
}

/** Inserts a user as Django's create_user() does (active, not staff, joined now, never logged in); answers it. */
export async function insertUser(sql: AuthSql, user: UserRow): Promise<AuthUser> {
  await sql.run(
    'INSERT INTO auth_user (password, last_login, is_superuser, username, last_name, email, is_staff, is_active, date_joined, first_name) VALUES (?, NULL, ?, ?, ?, ?, ?, ?, ?, ?)',
    [
      user.password,
      sql.bool(user.isSuperuser ?? false),
      user.username,
      user.lastName ?? '',
      user.email ?? '',
      sql.bool(user.isStaff ?? false),
      sql.bool(user.isActive ?? true),
      sql.now(),
      user.firstName ?? '',
    ],
  )
  const created = await userByName(sql, user.username)
  if (!created) throw new BackplaneError(ErrorCode.E_INTERNAL, `User "${user.username}" was inserted but cannot be read back.`)
  return created
}

const PATCH_COLUMNS = {
  username: 'username',
  email: 'email',
  firstName: 'first_name',
  lastName: 'last_name',
  isActive: 'is_active',
  isStaff: 'is_staff',
  isSuperuser: 'is_superuser',
} as const satisfies Record<Exclude<keyof UserPatch, 'groups' | 'permissions'>, string>

/** Writes the profile fields given (groups and permissions are the memberships' business). */
export async function updateUserFields(sql: AuthSql, id: number, patch: UserPatch): Promise<void> {
  const sets: string[] = []
  const params: unknown[] = []
  for (const [field, column] of Object.entries(PATCH_COLUMNS) as [keyof typeof PATCH_COLUMNS, string][]) {
    const value = patch[field]
    if (value === undefined) continue
    sets.push(`${column} = ?`)
    params.push(typeof value === 'boolean' ? sql.bool(value) : value)
  }
  if (sets.length > 0) await sql.run(`UPDATE auth_user SET ${sets.join(', ')} WHERE id = ?`, [...params, id])
}

/** The WHERE of a user search: Django admin's search_fields (username, names, email; icontains) and list_filter. */
function userFilter(sql: AuthSql, query: UserQuery): { where: string; params: unknown[] } {
  const clauses: string[] = []
  const params: unknown[] = []
  if (query.search) {
    const like = likePattern(query.search, 'contains')
    clauses.push(`(${['u.username', 'u.first_name', 'u.last_name', 'u.email'].map((c) => `UPPER(${c}) LIKE UPPER(?) ESCAPE '!'`).join(' OR ')})`)
    params.push(like, like, like, like)
  }
  for (const [flag, column] of [
    ['isActive', 'u.is_active'],
    ['isStaff', 'u.is_staff'],
    ['isSuperuser', 'u.is_superuser'],
  ] as const) {
    const value = query[flag]
    if (value === undefined) continue
    clauses.push(`${column} = ?`)
    params.push(sql.bool(value))
  }
  if (query.group !== undefined) {
    clauses.push('u.id IN (SELECT ug.user_id FROM auth_user_groups ug JOIN auth_group g ON g.id = ug.group_id WHERE g.name = ?)')
    params.push(query.group)
  }
  return { where: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params }
}

export async function searchUsers(sql: AuthSql, query: UserQuery): Promise<{ users: AuthUser[]; total: number }> {
  const { where, params } = userFilter(sql, query)
  // Integers written into the text: MySQL's prepared statements are fussy about LIMIT parameters.
  const limit = Math.max(0, Math.trunc(query.limit ?? 100))
  const offset = Math.max(0, Math.trunc(query.offset ?? 0))
  const [total, page] = await Promise.all([
    sql.first(`SELECT count(*) FROM auth_user u ${where}`, params),
    sql.rows(`SELECT ${USER_COLUMNS} FROM auth_user u ${where} ORDER BY u.username, u.id LIMIT ${limit} OFFSET ${offset}`, params),
  ])
  return { users: page.map(toUser), total: Number(total?.[0] ?? 0) }
}

/** Each user's group names, for a page of users (one query per chunk of users). */
export async function groupsOfUsers(sql: AuthSql, ids: readonly string[]): Promise<Map<string, string[]>> {
  const byUser = new Map<string, string[]>(ids.map((id) => [id, []]))
  const keys = ids.map(numericId).filter((k) => k !== undefined)
  for (const part of chunks(keys)) {
    const rows = await sql.rows(`SELECT ug.user_id, g.name FROM auth_user_groups ug JOIN auth_group g ON g.id = ug.group_id WHERE ug.user_id IN (${sql.marks(part.length)}) ORDER BY g.name`, part)
    for (const [userId, name] of rows) byUser.get(String(userId))?.push(String(name))
  }
  return byUser
}

export async function withGroups(sql: AuthSql, user: AuthUser): Promise<AuthUser>
export async function withGroups(sql: AuthSql, user: AuthUser | null): Promise<AuthUser | null>
export async function withGroups(sql: AuthSql, user: AuthUser | null): Promise<AuthUser | null> {
  if (!user) return null
  return { ...user, groups: (await groupsOfUsers(sql, [user.id])).get(user.id) ?? [] }
}
