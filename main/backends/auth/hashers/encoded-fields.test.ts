import { describe, expect, it } from 'vitest'
import { checkPassword, makePassword } from '.'
import { boundedInt, constantTimeEqual, strictBase64 } from './encoded-fields'

// The parsing and comparison every hasher relies on (the survivors of `npx stryker run stryker.auth.json`).
describe('the fields of a stored hash', () => {
  it('compares digests of different lengths as unequal, either way round, without throwing', () => {
    expect(constantTimeEqual('abc', 'abcd')).toBe(false)
    expect(constantTimeEqual(Buffer.from('abcd'), Buffer.from('abc'))).toBe(false)
    expect(constantTimeEqual('', 'a')).toBe(false)
    expect(constantTimeEqual('same', 'same')).toBe(true)
  })

  it('never accepts the right password against a stored digest cut short', async () => {
    const encoded = await makePassword('pässwörd', ['pbkdf2_sha1'])
    const [alg, iterations, salt, digest] = encoded.split('$') as [string, string, string, string]
    // 20 bytes of SHA-1 are 28 base64 characters; 16 of them are 12 bytes, still valid base64.
    const truncated = [alg, iterations, salt, digest.slice(0, 16)].join('$')
    expect((await checkPassword('pässwörd', encoded, ['pbkdf2_sha1'])).ok).toBe(true)
    // Django's verify answers False; here the digest's length is checked first, as a malformed hash.
    await expect(checkPassword('pässwörd', truncated, ['pbkdf2_sha1'])).rejects.toMatchObject({ code: 'E_BAD_HASH' })
  })

  it('refuses a cost below its minimum, naming it', () => {
    expect(() => boundedInt('pbkdf2_sha256', 'iterations', '0', 1, 10)).toThrow(/iterations 0 is below 1/)
    expect(boundedInt('pbkdf2_sha256', 'iterations', '1', 1, 10)).toBe(1)
    expect(() => boundedInt('pbkdf2_sha256', 'iterations', undefined, 1, 10)).toThrow(/"" is not a whole number/)
  })

  it('refuses base64 of an impossible length, and padding anywhere but the end', () => {
    expect(() => strictBase64('md5', 'salt', 'abcde')).toThrow(/salt is not base64/)
    expect(() => strictBase64('md5', 'salt', 'ab=c')).toThrow(/salt is not base64/)
    expect(strictBase64('md5', 'salt', 'abcdeQ==').toString('base64')).toBe('abcdeQ==')
    expect(strictBase64('md5', 'salt', 'abcdef').length).toBe(4)
  })
})
