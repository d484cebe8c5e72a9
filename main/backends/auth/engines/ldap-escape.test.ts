import { describe, expect, it } from 'vitest'
import { escapeDnValue, fillDnTemplate, fillFilterTemplate, presenceFilter, splitDnTemplate } from './ldap-escape'

describe('escaping what a user typed', () => {
  it.each([
    ['ada', 'ada'],
    ['ada,ou=admins', 'ada\\,ou\\=admins'],
    ['a+b', 'a\\+b'],
    ['"quoted"', '\\"quoted\\"'],
    ['back\\slash', 'back\\\\slash'],
    ['<a>;', '\\<a\\>\\;'],
    ['nul\0', 'nul\\00'],
    ['#hex', '\\#hex'],
    [' lead', '\\ lead'],
    ['trail ', 'trail\\ '],
    ['in # side', 'in # side'],
    ['zoë', 'zoë'],
  ])('keeps %j one RDN value of a DN (RFC 4514): %j', (value, escaped) => {
    expect(escapeDnValue(value)).toBe(escaped)
  })

  it('fills every %(user)s of a DN template, and a "$&" in the username stays literal', () => {
    expect(fillDnTemplate('uid=%(user)s,ou=people,dc=x', 'a,b')).toBe('uid=a\\,b,ou=people,dc=x')
    expect(fillDnTemplate('uid=%(user)s,cn=%(user)s', '$&')).toBe('uid=$&,cn=$&')
  })

  it('fills a filter with the value escaped (RFC 4515), so it stays one equality match', () => {
    expect(fillFilterTemplate('(&(objectClass=person)(uid=%(user)s))', 'ada)(uid=*')).toBe('(&(objectClass=person)(uid=ada\\29\\28uid=\\2a))')
    expect(fillFilterTemplate('(uid=%(user)s)', 'a\\b\0')).toBe('(uid=a\\5cb\\00)')
  })

  it('makes a presence filter of the search filter for counting users', () => {
    expect(presenceFilter('(&(objectClass=person)(uid=%(user)s))')).toBe('(&(objectClass=person)(uid=*))')
  })

  it('splits a DN template into its RDN attribute and the parent, minding escaped commas', () => {
    expect(splitDnTemplate('uid=%(user)s,ou=people,dc=example,dc=test')).toEqual({ attribute: 'uid', parent: 'ou=people,dc=example,dc=test' })
    expect(splitDnTemplate('cn=%(user)s\\, staff,ou=x')).toEqual({ attribute: 'cn', parent: 'ou=x' })
  })
})
