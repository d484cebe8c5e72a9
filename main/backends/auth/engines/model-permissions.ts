import { BackplaneError, ErrorCode } from '../../../core/errors'
import type { AuthPermission, AuthUser, WithPermOptions } from '../base'
import { USER_COLUMNS, toUser } from './model-users'
import { chunks, notFound, type AuthSql } from './model-sql'

/** "app_label.codename" of each permission row `p` (Django's values_list('content_type__app_label', 'codename')). */
const PERM_NAMES = 'SELECT DISTINCT ct.app_label, p.codename FROM auth_permission p JOIN django_content_type ct ON ct.id = p.content_type_id'

function names(rows: unknown[][]): string[] {
  return rows.map(([app, codename]) => `${String(app)}.${String(codename)}`).sort()
}

/** Every permission: what Django gives an active superuser. */
export async function allPermissionNames(sql: AuthSql): Promise<string[]> {
  return names(await sql.rows(PERM_NAMES))
}

/** Django's ModelBackend._get_user_permissions(): user_obj.user_permissions.all(). */
export async function userPermissionNames(sql: AuthSql, userId: number): Promise<string[]> {
  return names(await sql.rows(`${PERM_NAMES} JOIN auth_user_user_permissions up ON up.permission_id = p.id WHERE up.user_id = ?`, [userId]))
}

/** Django's ModelBackend._get_group_permissions(): Permission.objects.filter(group__user=user_obj). */
export async function groupPermissionNames(sql: AuthSql, userId: number): Promise<string[]> {
  return names(
    await sql.rows(`${PERM_NAMES} JOIN auth_group_permissions gp ON gp.permission_id = p.id JOIN auth_user_groups ug ON ug.group_id = gp.group_id WHERE ug.user_id = ?`, [userId]),
  )
}

/** Every permission with its content type, in Django's Permission.Meta.ordering. */
export async function listPermissions(sql: AuthSql): Promise<AuthPermission[]> {
  const rows = await sql.rows(
    'SELECT p.id, ct.app_label, ct.model, p.codename, p.name FROM auth_permission p JOIN django_content_type ct ON ct.id = p.content_type_id ORDER BY ct.app_label, ct.model, p.codename',
  )
  return rows.map(([id, appLabel, model, codename, name]) => ({
    id: String(id),
    perm: `${String(appLabel)}.${String(codename)}`,
    name: String(name),
    appLabel: String(appLabel),
    model: String(model),
    codename: String(codename),
  }))
}

/**
 * The ids of permissions named "app_label.codename", in the order given. Django's has_perm() does not
 * tell two models of one app apart, so a codename shared by two models of an app is the first by id:
 * either grants the same has_perm() answer. An unknown permission is E_NOT_FOUND, naming it.
 */
export async function permissionIds(sql: AuthSql, perms: readonly string[]): Promise<number[]> {
  const wanted = [...new Set(perms)]
  if (wanted.length === 0) return []
  const found = new Map<string, number>()
  const rows = await sql.rows('SELECT p.id, ct.app_label, p.codename FROM auth_permission p JOIN django_content_type ct ON ct.id = p.content_type_id ORDER BY p.id')
  for (const [id, app, codename] of rows) {
    const key = `${String(app)}.${String(codename)}`
    if (!found.has(key)) found.set(key, Number(id))
  }
  const missing = wanted.filter((p) => !found.has(p))
  if (missing.length > 0) {
    throw notFound('permission', missing, 'Permissions are "app_label.codename" rows of auth_permission, created by Django\'s migrate; pick one from the list.')
  }
  return wanted.map((p) => found.get(p)!)
}

/** Each group's permissions as "app_label.codename". */
export async function permissionsOfGroups(sql: AuthSql, groupIds: readonly number[]): Promise<Map<string, string[]>> {
  const byGroup = new Map<string, string[]>(groupIds.map((id) => [String(id), []]))
  for (const part of chunks(groupIds)) {
    const rows = await sql.rows(
      `SELECT gp.group_id, ct.app_label, p.codename FROM auth_group_permissions gp JOIN auth_permission p ON p.id = gp.permission_id JOIN django_content_type ct ON ct.id = p.content_type_id WHERE gp.group_id IN (${sql.marks(part.length)}) ORDER BY ct.app_label, p.codename`,
      part,
    )
    for (const [groupId, app, codename] of rows) byGroup.get(String(groupId))?.push(`${String(app)}.${String(codename)}`)
  }
  return byGroup
}

/**
 * Django's ModelBackend.with_perm(): users holding the permission themselves or through a group, or
 * (includeSuperusers) being superusers, filtered on is_active; the first `limit` by username (Django's
 * answer is a lazy queryset, sliced by its caller). Django raises ValueError for a name that is not
 * exactly "app_label.codename".
 */
export async function usersWithPerm(sql: AuthSql, perm: string, { isActive = true, includeSuperusers = true, limit }: WithPermOptions = {}): Promise<AuthUser[]> {
  const parts = perm.split('.')
  if (parts.length !== 2) {
    throw new BackplaneError(ErrorCode.E_INVALID_INPUT, `"${perm}" is not a permission name.`, { hint: 'Permission name should be in the form app_label.permission_codename.' })
  }
  const [appLabel, codename] = parts as [string, string]
  const holds = `EXISTS (SELECT 1 FROM auth_permission p JOIN django_content_type ct ON ct.id = p.content_type_id
    WHERE ct.app_label = ? AND p.codename = ?
      AND (p.id IN (SELECT up.permission_id FROM auth_user_user_permissions up WHERE up.user_id = u.id)
        OR p.id IN (SELECT gp.permission_id FROM auth_group_permissions gp JOIN auth_user_groups ug ON ug.group_id = gp.group_id WHERE ug.user_id = u.id)))`
  const params: unknown[] = [appLabel, codename]
  let where = includeSuperusers ? `(${holds} OR u.is_superuser = ?)` : holds
  if (includeSuperusers) params.push(sql.bool(true))
  where += ' AND u.is_active = ?'
  params.push(sql.bool(isActive))
  // The limit written into the text as an integer, as searchUsers' (MySQL's prepared statements are fussy about LIMIT parameters).
  const limited = limit === undefined ? '' : ` LIMIT ${Math.max(0, Math.trunc(limit))}`
  return (await sql.rows(`SELECT ${USER_COLUMNS} FROM auth_user u WHERE ${where} ORDER BY u.username, u.id${limited}`, params)).map(toUser)
}

