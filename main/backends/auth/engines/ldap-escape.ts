import { Filter } from 'ldapts'

/**
 * What a user typed, made safe to put into a DN (RFC 4514 §2.4), as python-ldap's escape_dn_chars that
 * django-auth-ldap applies to AUTH_LDAP_USER_DN_TEMPLATE: "ada,ou=admins" stays one RDN value instead
 * of naming another entry.
 */
export function escapeDnValue(value: string): string {
  const escaped = value.replace(/[\\",+;<>=]/g, (c) => `\\${c}`).replace(/\0/g, '\\00')
  // A leading space or "#" (a hex-encoded value) and a trailing space change the meaning; escape them too.
  return escaped.replace(/^[ #]/, (c) => `\\${c}`).replace(/ $/, '\\ ')
}

/** RFC 4515 escaping of a filter value (`* ( ) \ NUL` as hex pairs), as python-ldap's escape_filter_chars. */
export function escapeFilterValue(value: string): string {
  return Filter.escape(value)
}

const USER_PLACEHOLDER = /%\(user\)s/g

/** django-auth-ldap's `template % {"user": …}` for a DN template: the username escaped as a DN value. */
export function fillDnTemplate(template: string, username: string): string {
  return template.replace(USER_PLACEHOLDER, () => escapeDnValue(username))
}

/** The same for a search filter (AUTH_LDAP_USER_SEARCH's filterstr): the username escaped as a filter value. */
export function fillFilterTemplate(template: string, username: string): string {
  return template.replace(USER_PLACEHOLDER, () => escapeFilterValue(username))
}

/** The filter with `*` in place of the user: every entry the search could find, for the health check's count. */
export function presenceFilter(template: string): string {
  return template.replace(USER_PLACEHOLDER, '*')
}

export function hasUserPlaceholder(template: string): boolean {
  return template.includes('%(user)s')
}

/** "uid=%(user)s,ou=people,dc=example,dc=test" → "ou=people,dc=example,dc=test" and the attribute "uid". */
export function splitDnTemplate(template: string): { attribute: string; parent: string } {
  const comma = template.search(/(?<!\\),/)
  const first = comma < 0 ? template : template.slice(0, comma)
  return { attribute: first.slice(0, first.indexOf('=')).trim(), parent: comma < 0 ? '' : template.slice(comma + 1).trim() }
}
