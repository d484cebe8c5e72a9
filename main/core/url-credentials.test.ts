import { describe, expect, it } from 'vitest'
import { splitUrlPassword, withUrlPassword } from './url-credentials'

describe('a password inside a URL', () => {
  const shapes: [string, string, string][] = [
    ['redis://user:pass@host:6379/0', 'redis://user@host:6379/0', 'pass'],
    ['smtp://u:p@ss@host', 'smtp://u@host', 'p@ss'],
    ['redis://u:pa/ss@host', 'redis://u@host', 'pa/ss'],
    ['redis://:pw@host', 'redis://@host', 'pw'],
    ['rediss://default:s3cr3t%21@cache.internal:6380', 'rediss://default@cache.internal:6380', 's3cr3t%21'],
    ['postgres://app:p:w@db/name?sslmode=require', 'postgres://app@db/name?sslmode=require', 'p:w'],
  ]

  it.each(shapes)('is taken out of %s whole', (text, url, password) => {
    expect(splitUrlPassword(text)).toEqual({ url, password })
  })

  it.each(shapes)('goes back into %s exactly as it was typed', (text) => {
    const split = splitUrlPassword(text)!
    expect(withUrlPassword(split.url, split.password)).toBe(text)
  })

  it('takes too much rather than too little when a URL is ambiguous, or has spaces in its password', () => {
    // "host:8080/x@y" could be a port and a path: taken for user "host" and password "8080/x", which stores too much.
    expect(splitUrlPassword('http://host:8080/x@y')).toEqual({ url: 'http://host@y', password: '8080/x' })
    expect(splitUrlPassword('redis://u:12/34@host')).toEqual({ url: 'redis://u@host', password: '12/34' })
    expect(splitUrlPassword('redis://u:pa ss@host')).toEqual({ url: 'redis://u@host', password: 'pa ss' })
    expect(splitUrlPassword('redis://u:pa\tss@host')).toEqual({ url: 'redis://u@host', password: 'pa\tss' })
  })

  it('is not found where there is none', () => {
    for (const text of [
      'http://host:8080/path',
      'redis://user@host:6379',
      'redis://u:@host', // an empty password is no password
      'mailto:a@b',
      'user:pass@host', // no scheme
      'redis://u:pw@host and more text',
      '',
    ]) {
      expect(splitUrlPassword(text), text).toBeUndefined()
    }
  })

  it('takes a place after an empty user name when the URL has no user', () => {
    expect(withUrlPassword('redis://host:6379/0', 'pw')).toBe('redis://:pw@host:6379/0')
    expect(splitUrlPassword(withUrlPassword('redis://host:6379/0', 'p@ss'))).toEqual({ url: 'redis://@host:6379/0', password: 'p@ss' })
  })

  // A password of up to five digits followed directly by "@" once passed for a port, and stayed in clear.
  it('is taken out when it is all digits, like a PIN', () => {
    expect(splitUrlPassword('redis://default:1234@cache:6379')).toEqual({ url: 'redis://default@cache:6379', password: '1234' })
  })
})
