import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import type { Cache } from '../backends/cache/base'
import { locmemEngine } from '../backends/cache/engines/locmem'
import { createBackend, testContext } from '../../test/support/engine-context'
import { globMatcher } from './glob'

const match = (pattern: string, text: string) => globMatcher(pattern)(text)

describe('a key pattern, read as Redis SCAN MATCH reads it', () => {
  it('takes * for any run of characters, the empty one included', () => {
    expect(match('user:*', 'user:')).toBe(true)
    expect(match('user:*', 'user:42:profile')).toBe(true)
    expect(match('user:*', 'users:42')).toBe(false)
    expect(match('*:profile', 'user:42:profile')).toBe(true)
    expect(match('a*b*c', 'abbbc')).toBe(true)
    expect(match('a*b*c', 'acb')).toBe(false)
    expect(match('*ab', 'aab')).toBe(true)
    expect(match('**', '')).toBe(true)
    expect(match('*', 'anything at all')).toBe(true)
  })

  it('takes ? for exactly one character', () => {
    expect(match('h?llo', 'hello')).toBe(true)
    expect(match('h?llo', 'hllo')).toBe(false)
    expect(match('h?llo', 'heello')).toBe(false)
    expect(match('*?', '')).toBe(false)
    expect(match('*?', 'x')).toBe(true)
  })

  it('matches the whole key, not a part of it', () => {
    expect(match('', '')).toBe(true)
    expect(match('', 'x')).toBe(false)
    expect(match('abc', 'abcd')).toBe(false)
    expect(match('bc', 'abc')).toBe(false)
  })

  it('reads [abc], [a-z] and [^a] as character classes', () => {
    expect(['hallo', 'hello', 'hillo'].map((k) => match('h[ae]llo', k))).toEqual([true, true, false])
    expect(['hallo', 'hbllo', 'hzllo', 'hAllo'].map((k) => match('h[a-b]llo', k))).toEqual([true, true, false, false])
    expect(match('h[z-a]llo', 'hmllo')).toBe(true) // a reversed range is the same range
    expect(['hallo', 'hbllo', 'hllo'].map((k) => match('h[^a]llo', k))).toEqual([false, true, false])
    expect(match('[0-9][0-9]', '42')).toBe(true)
    expect(match('[0-9][0-9]', '4x')).toBe(false)
  })

  it('takes a character after \\ literally, in and out of classes', () => {
    expect(match('a\\*b', 'a*b')).toBe(true)
    expect(match('a\\*b', 'axb')).toBe(false)
    expect(match('a\\?b', 'axb')).toBe(false)
    expect(match('a\\[b]', 'a[b]')).toBe(true)
    expect(match('a\\[b]', 'ab')).toBe(false)
    expect(match('[\\]]', ']')).toBe(true)
    expect(match('[\\^x]', '^')).toBe(true)
    expect(match('end\\', 'end\\')).toBe(true) // a trailing backslash is itself
  })

  it('takes an unclosed [ as a literal character', () => {
    expect(match('a[bc', 'a[bc')).toBe(true)
    expect(match('a[bc', 'ab')).toBe(false)
    expect(match('[', '[')).toBe(true)
    expect(match('x[*', 'x[anything')).toBe(true)
  })

  it('counts a non-ASCII character (an emoji too) as one character', () => {
    expect(match('caf?', 'café')).toBe(true)
    expect(match('?', '😀')).toBe(true)
    expect(match('??', '😀')).toBe(false)
    expect(match('user:*:名前', 'user:7:名前')).toBe(true)
    expect(match('[à-ÿ]t[é]', 'été')).toBe(true)
    expect(match('[^😀]', '😀')).toBe(false)
    expect(match('Straße*', 'STRASSE')).toBe(false) // case matters, as in Redis
  })

  // With the old regular expression these took 35 s and forever; a backtracking matcher would hang
  // the test, so no time is asserted.
  it('answers *a*a*a*a*a*a*a*a*a*a*b over forty "a"s with false, at once', () => {
    expect(match('*a*a*a*a*a*a*a*a*a*a*b', 'a'.repeat(40))).toBe(false)
    expect(match('*a*a*a*a*a*a*a*a*a*a*', 'a'.repeat(40))).toBe(true)
  })

  it('answers thirty stars over a 20,000-character key', () => {
    const pattern = '*a'.repeat(30) + '*b'
    expect(match(pattern, 'a'.repeat(20_000))).toBe(false)
    expect(match(pattern, 'a'.repeat(20_000) + 'b')).toBe(true)
    expect(match('?*'.repeat(30) + '[^a]', 'a'.repeat(20_000))).toBe(false)
  })

  it('refuses a pattern longer than 1024 characters with E_INVALID_INPUT', () => {
    expect(() => globMatcher('*'.repeat(1025))).toThrow(expect.objectContaining({ code: 'E_INVALID_INPUT', status: 400 }))
    expect(() => globMatcher('*'.repeat(1024))).not.toThrow()
  })
})

describe('scanning the locmem cache with a pathological pattern', () => {
  it('finds no key for *a*a*…*b over a 40-character key, and the key with a pattern that fits', async () => {
    const cache = await createBackend<Cache>(locmemEngine, { location: randomUUID() }, testContext('cache'))
    try {
      await cache.set('a'.repeat(40), 1)
      expect((await cache.scan!({ pattern: '*a*a*a*a*a*a*a*a*a*a*b' })).entries).toEqual([])
      expect((await cache.scan!({ pattern: '*a*a*a*a*a*a*a*a*a*a*' })).entries.map((e) => e.key)).toEqual([expect.stringContaining('a'.repeat(40))])
    } finally {
      await cache.close?.()
    }
  })
})
