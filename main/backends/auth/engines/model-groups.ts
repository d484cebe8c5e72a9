import { BackplaneError, ErrorCode } from '../../../core/errors'
import type { AuthGroup } from '../base'
import { GROUP_PERMISSIONS, USER_GROUPS, dropLinks, planLinks } from './model-links'
import { permissionIds, permissionsOfGroups } from './model-permissions'
import { chunks, inOneTransaction, isUniqueViolation, numericId, type AuthSql } from './model-sql'

/** Group ids by name, as the database compares names (case-insensitively on MariaDB's default collation). */
async function findGroups(sql: AuthSql, names: readonly string[]): Promise<Map<string, number>> {
  const found = new Map<string, number>()
  for (const part of chunks(names)) {
    for (const [id, name] of await sql.rows(`SELECT id, name FROM auth_group WHERE name IN (${sql.marks(part.length)})`, part)) found.set(String(name), Number(id))
  }
  const folded = new Map([...found].map(([name, id]) => [name.toLowerCase(), id]))
  return new Map(names.flatMap((name) => {
    const id = found.get(name) ?? folded.get(name.toLowerCase())
    return id === undefined ? [] : [[name, id] as [string, number]]
  }))
}

/**
 * The ids of the groups named, in order. A missing group is E_NOT_FOUND naming it, or, with `create`
 * (django-auth-ldap's MIRROR_GROUPS), created.
 */
export async function groupIds(sql: AuthSql, names: readonly string[], { create = false } = {}): Promise<number[]> {
  const wanted = [...new Set(names)]
  if (wanted.length === 0) return []
  let found = await findGroups(sql, wanted)
  const missing = wanted.filter((n) => !found.has(n))
  if (missing.length > 0 && !create) {
    throw new BackplaneError(ErrorCode.E_NOT_FOUND, `No group ${missing.map((n) => `"${n}"`).join(', ')}.`, { hint: 'Create the group first, or pick one from the list.', details: { missing } })
  }
  if (missing.length > 0) {
    for (const name of missing) {
      try {
        await sql.run('INSERT INTO auth_group (name) VALUES (?)', [name])
      } catch (err) {
        // Another login mirrored the same group meanwhile: it is there now, which is all that was asked.
        if (!isUniqueViolation(err)) throw err
      }
    }
    found = await findGroups(sql, wanted)
  }
  return wanted.map((n) => found.get(n)!)
}

export async function listGroups(sql: AuthSql, where = '', params: unknown[] = []): Promise<AuthGroup[]> {
  const rows = await sql.rows(
    `SELECT g.id, g.name, (SELECT count(*) FROM auth_user_groups ug WHERE ug.group_id = g.id) FROM auth_group g ${where} ORDER BY g.name`,
    params,
  )
  const perms = await permissionsOfGroups(sql, rows.map(([id]) => Number(id)))
  return rows.map(([id, name, count]) => ({ id: String(id), name: String(name), permissions: perms.get(String(id)) ?? [], userCount: Number(count) }))
}

async function groupById(sql: AuthSql, id: number): Promise<AuthGroup | undefined> {
  return (await listGroups(sql, 'WHERE g.id = ?', [id]))[0]
}

function noGroup(id: string): BackplaneError {
  return new BackplaneError(ErrorCode.E_NOT_FOUND, `No group with id ${id}.`, { hint: 'It was deleted meanwhile: reload the list of groups.' })
}

function nameTaken(name: string): BackplaneError {
  return new BackplaneError(ErrorCode.E_CONFLICT, `A group "${name}" already exists.`, { hint: 'Pick another name, or edit that group.' })
}

/** Creates a group (no id) or renames it, and makes its permissions exactly those given. */
export async function saveGroup(sql: AuthSql, group: { id?: string; name: string; permissions: string[] }): Promise<AuthGroup> {
  const perms = await permissionIds(sql, group.permissions)
  const clash = await findGroups(sql, [group.name])
  if (group.id === undefined) {
    if (clash.size > 0) throw nameTaken(group.name)
    try {
      await sql.run('INSERT INTO auth_group (name) VALUES (?)', [group.name])
    } catch (err) {
      throw isUniqueViolation(err) ? nameTaken(group.name) : err
    }
    const id = (await findGroups(sql, [group.name])).get(group.name)!
    // A new group whose permissions cannot be written is not left behind half made.
    await inOneTransaction(sql, await planLinks(sql, GROUP_PERMISSIONS, id, perms)).catch(async (err: unknown) => {
      await sql.run('DELETE FROM auth_group WHERE id = ?', [id]).catch(() => undefined)
      throw err
    })
    return (await groupById(sql, id))!
  }
  const key = numericId(group.id)
  if (key === undefined || !(await groupById(sql, key))) throw noGroup(group.id)
  const other = clash.get(group.name)
  if (other !== undefined && other !== key) throw nameTaken(group.name)
  await sql.run('UPDATE auth_group SET name = ? WHERE id = ?', [group.name, key]).catch((err: unknown) => {
    throw isUniqueViolation(err) ? nameTaken(group.name) : err
  })
  await inOneTransaction(sql, await planLinks(sql, GROUP_PERMISSIONS, key, perms))
  return (await groupById(sql, key))!
}

/** Deletes a group with its links (Django's cascade over the two many-to-many tables); its users stay. */
export async function deleteGroup(sql: AuthSql, id: string): Promise<void> {
  const key = numericId(id)
  if (key === undefined || !(await groupById(sql, key))) throw noGroup(id)
  await inOneTransaction(sql, [dropLinks(USER_GROUPS, 'target', key), dropLinks(GROUP_PERMISSIONS, 'owner', key), { sql: 'DELETE FROM auth_group WHERE id = ?', params: [key] }])
}
