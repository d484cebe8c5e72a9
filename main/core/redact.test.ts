import { afterEach, describe, expect, it } from 'vitest'
import { forgetSecret, MASK, maskUrlPasswords, redact, redactDeep, rememberSecret } from './redact'

const SECRET = 'swordfish-42'
afterEach(() => forgetSecret(SECRET))

describe('masking URL passwords in text', () => {
  it('masks the password of scheme://user:password@host', () => {
    expect(maskUrlPasswords('redis://user:pass@host')).toBe(`redis://user:${MASK}@host`)
    expect(maskUrlPasswords('redis://user:pass@host:6379/0')).toBe(`redis://user:${MASK}@host:6379/0`)
    expect(maskUrlPasswords('redis://:pw@host')).toBe(`redis://:${MASK}@host`)
  })

  it('masks all of a password typed with an "@" or a "/" in it', () => {
    expect(maskUrlPasswords('smtp://u:p@ss@host')).toBe(`smtp://u:${MASK}@host`)
    expect(maskUrlPasswords('redis://u:pa/ss@host')).toBe(`redis://u:${MASK}@host`)
    expect(maskUrlPasswords('redis://u:pa/ss@host')).not.toContain('ss')
  })

  it('masks every URL of a text, and only the passwords', () => {
    expect(maskUrlPasswords('primary redis://a:one@h1:6379, then "amqp://b:two@h2/vhost" failed')).toBe(
      `primary redis://a:${MASK}@h1:6379, then "amqp://b:${MASK}@h2/vhost" failed`,
    )
    expect(maskUrlPasswords('redis://a:one@h1\nredis://b:two@h2')).toBe(`redis://a:${MASK}@h1\nredis://b:${MASK}@h2`)
  })

  it('leaves no password behind in URLs written without a space between them', () => {
    const text = 'nodes=redis://a:pw-one@h1,redis://b:pw-two@h2'
    expect(maskUrlPasswords(text)).not.toMatch(/pw-one|pw-two/)
  })

  it('leaves URLs without a password, and text without URLs, unchanged', () => {
    for (const text of [
      'http://host:8080/path',
      'see http://host:8080/path?q=1#frag for details',
      'redis://user@host:6379',
      'mailto:a@b',
      'write to me@example.org or user:pass@host (no scheme)',
      'ratio 3:4 @ noon',
      'see ://a:b@c', // no scheme before the ://
      '',
    ]) {
      expect(maskUrlPasswords(text)).toBe(text)
      expect(redact(text)).toBe(text)
    }
  })
})

describe('redacting remembered secrets', () => {
  it('masks every occurrence of a remembered secret, and URL passwords too', () => {
    rememberSecret(SECRET)
    expect(redact(`a ${SECRET} b ${SECRET}`)).toBe(`a ${MASK} b ${MASK}`)
    expect(redact(`redis://u:other@h and ${SECRET}`)).toBe(`redis://u:${MASK}@h and ${MASK}`)
  })

  it('forgets a secret when told to, and ignores values too short to mean anything', () => {
    rememberSecret(SECRET)
    forgetSecret(SECRET)
    expect(redact(SECRET)).toBe(SECRET)
    rememberSecret('ab')
    expect(redact('cab and abba')).toBe('cab and abba')
  })
})

describe('redacting a whole value', () => {
  it('masks strings inside nested objects and arrays, keys included', () => {
    rememberSecret(SECRET)
    const value = {
      url: 'redis://u:pw@h',
      list: [SECRET, { deeper: [`x ${SECRET} y`] }],
      [SECRET]: 'a key that is the secret',
    }
    expect(redactDeep(value)).toEqual({
      url: `redis://u:${MASK}@h`,
      list: [MASK, { deeper: [`x ${MASK} y`] }],
      [MASK]: 'a key that is the secret',
    })
    expect(value.list[0]).toBe(SECRET) // the input is not changed
  })

  it('keeps numbers, booleans, null and undefined as they are', () => {
    expect(redactDeep({ n: 42, f: 1.5, t: true, no: false, nil: null, u: undefined, list: [0, -1, true] })).toEqual({
      n: 42,
      f: 1.5,
      t: true,
      no: false,
      nil: null,
      u: undefined,
      list: [0, -1, true],
    })
    expect(redactDeep(7)).toBe(7)
    expect(redactDeep(null)).toBe(null)
  })

  it('copes with a value nested 10,000 deep without throwing', () => {
    let object: unknown = SECRET
    let array: unknown = SECRET
    for (let i = 0; i < 10_000; i++) {
      object = { next: object }
      array = [array]
    }
    rememberSecret(SECRET)
    expect(() => redactDeep(object)).not.toThrow()
    expect(() => redactDeep(array)).not.toThrow()
    expect(JSON.stringify(redactDeep(array))).not.toContain(SECRET)
  })

  it('keeps a "__proto__" key as data, without touching any prototype', () => {
    const out = redactDeep(JSON.parse('{"__proto__": {"polluted": "redis://u:pw@h"}}') as Record<string, unknown>)
    expect(Object.hasOwn(out, '__proto__')).toBe(true)
    expect(Object.getOwnPropertyDescriptor(out, '__proto__')?.value).toEqual({ polluted: `redis://u:${MASK}@h` })
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype)
  })
})

describe('redaction, at its edges', () => {
  it('remembers secrets from three characters on, and no shorter (they would mask everywhere)', () => {
    rememberSecret('ab')
    rememberSecret('xyz')
    expect(redact('ab xyz')).toBe(`ab ${MASK}`)
    forgetSecret('xyz')
  })

  it('takes a URL only where a scheme starts a word, and each URL of a text once', () => {
    expect(redact('redis://u:p@h and redis://v:q@i')).toBe(`redis://u:${MASK}@h and redis://v:${MASK}@i`)
    // "xredis" is not a scheme that starts here; the URL inside it still is one.
    expect(maskUrlPasswords('see http://a:b@c')).toBe(`see http://a:${MASK}@c`)
    expect(maskUrlPasswords('http://a@c')).toBe('http://a@c')
    expect(maskUrlPasswords('http://a:b')).toBe('http://a:b')
  })

  it('keeps dates and bytes as they are when masking a value deep', () => {
    const when = new Date(0)
    const bytes = new Uint8Array([1, 2])
    const out = redactDeep({ when, bytes, list: [when] }) as { when: Date; bytes: Uint8Array; list: Date[] }
    expect(out.when).toBe(when)
    expect(out.bytes).toBe(bytes)
    expect(out.list[0]).toBe(when)
  })
})

describe('redaction takes time in proportion to the text', () => {
  it('reads "a://a://…" once, not once per scheme (a 40 KB text once held the process for 3 s)', () => {
    // Quadratic work on 2 MB would not finish within the test's time; linear work is milliseconds.
    const text = 'a://'.repeat(500_000)
    expect(maskUrlPasswords(text)).toBe(text)
    expect(redact(`${'x://'.repeat(100_000)}u:p@h`)).toContain(MASK)
  })
})
