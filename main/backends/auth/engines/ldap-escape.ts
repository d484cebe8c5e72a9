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

/**
 * The attribute a search filter compares the username with: "uid" for "(&(objectClass=person)(uid=%(user)s))",
 * the first one when there are several. Undefined when %(user)s is only part of a value ("(mail=%(user)s@x)").
 */
export function filterUserAttribute(template: string): string | undefined {
  return /\(\s*([A-Za-z][\w-]*|\d+(?:\.\d+)+)\s*=\s*%\(user\)s\s*\)/.exec(template)?.[1]
}

/**
 * The value of `attribute` in the first RDN of `dn`, unescaped (RFC 4514 §3: `\,` and `\2C` alike), as
 * the directory stores it: "uid=Ada,ou=people" → "Ada". Undefined when the first RDN has no such
 * attribute, or holds it hex-encoded ("uid=#04…", which no directory uses for a username).
 */
export function rdnValue(dn: string, attribute: string): string | undefined {
  const rdn = dn.slice(0, indexOfUnescaped(dn, ','))
  let start = 0
  for (;;) {
    const end = indexOfUnescaped(rdn, '+', start)
    const ava = rdn.slice(start, end)
    const equals = ava.indexOf('=')
    if (equals > 0 && ava.slice(0, equals).trim().toLowerCase() === attribute.toLowerCase()) {
      const value = ava.slice(equals + 1)
      return value.startsWith('#') ? undefined : unescapeDnValue(value)
    }
    if (end === rdn.length) return undefined
    start = end + 1
  }
}

/** The index of the first `char` at or after `from` that no backslash escapes; the length when there is none. */
function indexOfUnescaped(text: string, char: string, from = 0): number {
  for (let i = from; i < text.length; i++) {
    if (text[i] === '\\') i++
    else if (text[i] === char) return i
  }
  return text.length
}

/** RFC 4514's escapes undone: `\c` is c, and `\XX` hex pairs are UTF-8 bytes. */
function unescapeDnValue(value: string): string {
  const bytes: number[] = []
  for (let i = 0; i < value.length; i++) {
    const hex = value[i] === '\\' ? /^[0-9a-f]{2}/i.exec(value.slice(i + 1, i + 3)) : null
    if (hex) {
      bytes.push(parseInt(hex[0], 16))
      i += 2
    } else {
      if (value[i] === '\\') i++
      if (i >= value.length) break
      const char = String.fromCodePoint(value.codePointAt(i)!)
      bytes.push(...Buffer.from(char, 'utf8'))
      i += char.length - 1
    }
  }
  return Buffer.from(bytes).toString('utf8')
}
