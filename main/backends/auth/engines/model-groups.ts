import { BackplaneError, ErrorCode } from '../../../core/errors'
import type { AuthGroup } from '../base'
import { GROUP_PERMISSIONS, USER_GROUPS, dropLinks, setLinks } from './model-links'
import { permissionIds, permissionsOfGroups } from './model-permissions'
import { chunks, isUniqueViolation, notFound, numericId, type AuthSql } from './model-sql'

/**
 * Group ids by name, as the database compares names: MariaDB's default collation takes "EDITORS",
 * "editors " and "Édítors" for "editors" (its unique index too), PostgreSQL and SQLite only the same text.
 */
async function findGroups(sql: AuthSql, names: readonly string[]): Promise<Map<string, number>> {
  const result = new Map<string, number>()
  for (const part of chunks(names)) {
    const rows = (await sql.rows(`SELECT id, name FROM auth_group WHERE name IN (${sql.marks(part.length)})`, part)).map(([id, name]) => ({ id: Number(id), name: String(name) }))
    const exact = new Map(rows.map((r) => [r.name, r.id]))
    const folded = new Map(rows.map((r) => [r.name.toLowerCase(), r.id]))
    const unmatched: string[] = []
    const matched = new Set<number>()
    for (const name of part) {
      const id = exact.get(name) ?? folded.get(name.toLowerCase())
      if (id === undefined) {
        unmatched.push(name)
        continue
      }
      result.set(name, id)
      matched.add(id)
    }
    // A row no name matched here is a spelling the collation folds (accents, trailing spaces): only the
    // database knows which name it answered, so those names are asked one by one (rarely any).
    if (rows.every((r) => matched.has(r.id))) continue
    for (const name of unmatched) {
      const row = await sql.first('SELECT id FROM auth_group WHERE name = ?', [name])
      if (row) result.set(name, Number(row[0]))
    }
  }
  return result
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
    throw notFound('group', missing, 'Create the group first, or pick one from the list.')
  }
  if (missing.length > 0) {
    // Another login mirroring the same group meanwhile makes this a unique violation: mirrorUser runs
    // its transaction again, and finds the group then.
    for (const name of missing) await sql.run('INSERT INTO auth_group (name) VALUES (?)', [name])
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

/** Creates a group (no id) or renames it, and makes its permissions exactly those given, in one transaction. */
export async function saveGroup(sql: AuthSql, group: { id?: string; name: string; permissions: string[] }): Promise<AuthGroup> {
  return sql.transaction(async (tx) => {
    const perms = await permissionIds(tx, group.permissions)
    const clash = await findGroups(tx, [group.name])
    const named = (err: unknown) => {
      throw isUniqueViolation(err) ? nameTaken(group.name) : err
    }
    if (group.id === undefined) {
      if (clash.size > 0) throw nameTaken(group.name)
      await tx.run('INSERT INTO auth_group (name) VALUES (?)', [group.name]).catch(named)
      const id = (await findGroups(tx, [group.name])).get(group.name)!
      tx.compensate(() => deleteGroupRows(tx, id))
      await setLinks(tx, GROUP_PERMISSIONS, id, perms)
      return (await groupById(tx, id))!
    }
    const key = numericId(group.id)
    if (key === undefined || !(await tx.first('SELECT 1 FROM auth_group WHERE id = ?', [key]))) throw noGroup(group.id)
    const other = clash.get(group.name)
    if (other !== undefined && other !== key) throw nameTaken(group.name)
    await tx.run('UPDATE auth_group SET name = ? WHERE id = ?', [group.name, key]).catch(named)
    await setLinks(tx, GROUP_PERMISSIONS, key, perms)
    return (await groupById(tx, key))!
  })
}

/** A group's row with its links (Django's cascade over the two many-to-many tables); its users stay. */
async function deleteGroupRows(sql: AuthSql, key: number): Promise<void> {
  await dropLinks(sql, USER_GROUPS, 'target', key)
  await dropLinks(sql, GROUP_PERMISSIONS, 'owner', key)
  await sql.run('DELETE FROM auth_group WHERE id = ?', [key])
}

/** Deletes a group with its links, in one transaction; its users stay. */
export async function deleteGroup(sql: AuthSql, id: string): Promise<void> {
  const key = numericId(id)
  await sql.transaction(async (tx) => {
    if (key === undefined || !(await tx.first('SELECT 1 FROM auth_group WHERE id = ?', [key]))) throw noGroup(id)
    await deleteGroupRows(tx, key)
  })
}
