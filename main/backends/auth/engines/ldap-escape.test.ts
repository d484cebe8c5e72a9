import { describe, expect, it } from 'vitest'
import { normalizeUsername } from './ldap-directory'
import { escapeDnValue, fillDnTemplate, fillFilterTemplate, filterUserAttribute, hasUserPlaceholder, presenceFilter, rdnValue, splitDnTemplate } from './ldap-escape'

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
    // A template of one RDN has no parent; spaces around the parts are not part of them.
    expect(splitDnTemplate('uid=%(user)s')).toEqual({ attribute: 'uid', parent: '' })
    expect(splitDnTemplate(' uid =%(user)s, dc=test ')).toEqual({ attribute: 'uid', parent: 'dc=test' })
    expect(hasUserPlaceholder('uid=%(user)s,dc=test')).toBe(true)
    expect(hasUserPlaceholder('uid=%(name)s,dc=test')).toBe(false)
    expect(hasUserPlaceholder('')).toBe(false)
  })

  it.each([
    ['(uid=%(user)s)', 'uid'],
    ['(&(objectClass=person)( sAMAccountName = %(user)s ))', 'sAMAccountName'],
    ['(|(uid=%(user)s)(mail=%(user)s))', 'uid'],
    ['(0.9.2342.19200300.100.1.1=%(user)s)', '0.9.2342.19200300.100.1.1'],
    ['(mail=%(user)s@example.test)', undefined],
    ['(cn=*%(user)s*)', undefined],
  ])('finds the attribute that %j compares the username with: %j', (filter, attribute) => {
    expect(filterUserAttribute(filter)).toBe(attribute)
  })

  it.each([
    ['uid=Ada,ou=people,dc=x', 'uid', 'Ada'],
    ['UID=ada,ou=people', 'uid', 'ada'],
    ['uid=o\\2Cbrien\\, jr,ou=people', 'uid', 'o,brien, jr'],
    ['uid=z\\C3\\ABe,ou=people', 'uid', 'zëe'],
    ['cn=Ada L+uid=ada,ou=people', 'uid', 'ada'],
    ['uid=\\+plus\\=eq,ou=x', 'uid', '+plus=eq'],
    ['uid=𝔞da,ou=x', 'uid', '𝔞da'],
    ['cn=ada,ou=people', 'uid', undefined],
    ['uid=#0403616461,ou=people', 'uid', undefined],
  ])('reads the RDN value of %j for %s, unescaped (RFC 4514): %j', (dn, attribute, value) => {
    expect(rdnValue(dn, attribute)).toBe(value)
  })

  it.each([
    ['  ADA ', 'ada'],
    ['ｍａｌｌｏｒｙ', 'mallory'],
    ['ＭＡＬＬＯＲＹ\t', 'mallory'],
    ['ﬁnn', 'finn'],
    ['Zoë', 'zoë'],
  ])('normalises the username %j as the directory matches it: %j', (typed, name) => {
    expect(normalizeUsername(typed)).toBe(name)
  })
})
