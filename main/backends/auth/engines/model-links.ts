import { chunks, type AuthSql } from './model-sql'

/** One of Django's many-to-many tables: the rows linking an owner (a user, a group) to targets. */
export interface LinkTable {
  table: 'auth_user_groups' | 'auth_user_user_permissions' | 'auth_group_permissions'
  owner: 'user_id' | 'group_id'
  target: 'group_id' | 'permission_id'
}

export const USER_GROUPS: LinkTable = { table: 'auth_user_groups', owner: 'user_id', target: 'group_id' }
export const USER_PERMISSIONS: LinkTable = { table: 'auth_user_user_permissions', owner: 'user_id', target: 'permission_id' }
export const GROUP_PERMISSIONS: LinkTable = { table: 'auth_group_permissions', owner: 'group_id', target: 'permission_id' }

/**
 * Makes the owner's links exactly `targets`, as Django's ManyRelatedManager.set(): the links that stay
 * are not touched, the others removed, the new ones added. Run it in the caller's transaction.
 */
export async function setLinks(sql: AuthSql, link: LinkTable, owner: number, targets: readonly number[]): Promise<void> {
  const current = new Set((await sql.rows(`SELECT ${link.target} FROM ${link.table} WHERE ${link.owner} = ?`, [owner])).map(([t]) => Number(t)))
  const wanted = new Set(targets)
  const removed = [...current].filter((t) => !wanted.has(t))
  const added = [...wanted].filter((t) => !current.has(t))
  for (const part of chunks(removed)) await sql.run(`DELETE FROM ${link.table} WHERE ${link.owner} = ? AND ${link.target} IN (${sql.marks(part.length)})`, [owner, ...part])
  for (const part of chunks(added)) await sql.run(`INSERT INTO ${link.table} (${link.owner}, ${link.target}) VALUES ${part.map(() => '(?, ?)').join(', ')}`, part.flatMap((t) => [owner, t]))
}

/** Removes every link of a row about to go: one of the table's owners, or one of its targets. */
export async function dropLinks(sql: AuthSql, link: LinkTable, side: 'owner' | 'target', id: number): Promise<void> {
  await sql.run(`DELETE FROM ${link.table} WHERE ${link[side]} = ?`, [id])
}
