import { AndFilter, EqualityFilter, OrFilter, type Entry, type Filter } from 'ldapts'
import { BackplaneError, ErrorCode } from '../../../core/errors'
import { attribute, type LdapConnection } from './ldap-connection'
import type { GroupType } from './ldap-options'

/**
 * The most groups read for one user (paged, so a server's per-search limit is not it): more for one
 * person is a misconfigured directory or a trap, and would be mirrored as thousands of rows at each login.
 */
export const MAX_GROUPS = 5000

/**
 * The filter that matches the groups `user` is a member of, as django-auth-ldap's group types:
 * GroupOfNamesType (member = the user's DN), GroupOfUniqueNamesType (uniqueMember) and PosixGroupType
 * (memberUid = the user's uid, or gidNumber = their primary group). Values go in through ldapts's filter
 * classes, which escape them (RFC 4515).
 */
export function membershipFilter(type: GroupType, user: Entry): Filter | undefined {
  if (type === 'groupOfNames') return new EqualityFilter({ attribute: 'member', value: user.dn })
  if (type === 'groupOfUniqueNames') return new EqualityFilter({ attribute: 'uniqueMember', value: user.dn })
  const uid = attribute(user, 'uid')
  const gid = attribute(user, 'gidNumber')
  const filters: Filter[] = []
  if (uid !== undefined) filters.push(new EqualityFilter({ attribute: 'memberUid', value: uid }))
  if (gid !== undefined) filters.push(new EqualityFilter({ attribute: 'gidNumber', value: gid }))
  if (filters.length === 0) return undefined
  return filters.length === 1 ? filters[0] : new OrFilter({ filters })
}

/** Whether the user is a member of the group `dn` (django-auth-ldap's _LDAPUserGroups.is_member_of). */
export async function isMemberOf(connection: LdapConnection, type: GroupType, user: Entry, dn: string, option: string): Promise<boolean> {
  const filter = membershipFilter(type, user)
  if (!filter) return false
  return connection.matches(dn, filter, { what: `checking membership of ${dn}`, option })
}

/**
 * The names (cn) of the user's groups under the group search base, sorted: all of them, or an error.
 * A list cut short would pass for the whole one, and with mirrorGroups it would take the user out of
 * every group past the cut.
 */
export async function groupNames(connection: LdapConnection, type: GroupType, user: Entry, base: string): Promise<string[]> {
  const member = membershipFilter(type, user)
  if (!member) return []
  const filter = new AndFilter({ filters: [new EqualityFilter({ attribute: 'objectClass', value: type }), member] })
  const scene = { what: `searching the groups of ${user.dn} under ${base}`, option: 'groupSearchBase' }
  const { entries, more } = await connection.searchAll(base, { scope: 'sub', filter, attributes: ['cn'] }, MAX_GROUPS, scene)
  if (more) {
    throw new BackplaneError(ErrorCode.E_ENGINE_FAILED, `${user.dn} is a member of more than ${MAX_GROUPS} groups under ${base}; they are not read.`, {
      hint: 'Narrow groupSearchBase to the groups that matter to Django, or take the user out of groups they need not be in.',
      details: { max: MAX_GROUPS },
    })
  }
  return entries.map((e) => attribute(e, 'cn')).filter((name): name is string => name !== undefined).sort()
}
