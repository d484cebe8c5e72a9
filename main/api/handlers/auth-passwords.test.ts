import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { failure } from '../../../test/support/failures'
import { openTestApp, type TestApp } from '../../../test/support/test-app'

// auth.inspectHash and auth.validatePassword through the router, as the GUI's hash inspector and password field call them.
let test: TestApp
const PBKDF2_OLD = 'pbkdf2_sha256$260000$0VEnsYKGY7kUkfJ1oK6dZD$DkJht0bMC7uRfrP85uVzJi3Wi//w03aaukkVj0c1NQo='
const MD5 = 'md5$OLRueaiqpFPpj475fgpjJD$d80fe47f9d0106a013b6e4723d73bc92'
const inspect = (encoded: string, alias?: string) => test.app.call('auth.inspectHash', alias === undefined ? { encoded } : { encoded, alias })

beforeAll(async () => {
  test = await openTestApp()
  // A project that prefers argon2 and still has MD5 hashes from its test settings, written as Django's settings name them.
  await test.app.call('settings.saveAlias', {
    kind: 'auth',
    name: 'legacy',
    engine: 'model',
    options: { database: 'default', hashers: ['django.contrib.auth.hashers.Argon2PasswordHasher', 'pbkdf2_sha256', 'md5'] },
  })
})
afterAll(() => test.close())

describe('auth.inspectHash', () => {
  it("reads a hash with Django's default hashers when no alias is named", async () => {
    expect(await inspect(PBKDF2_OLD)).toEqual({
      algorithm: 'pbkdf2_sha256',
      known: true,
      usable: true,
      parameters: { iterations: 260000 },
      salt: '0VEnsYKGY7kUkfJ1oK6dZD',
      hashMasked: 'DkJht0**************************************',
      mustUpdate: true,
      reasons: ['260000 iterations, the preferred hasher uses 1200000'],
      preferred: 'pbkdf2_sha256',
    })
    expect((await inspect(MD5)).problem).toMatch(/not one of the hashers/)
  })

  it("uses the alias's hashers option, Django class paths included", async () => {
    expect(await inspect(PBKDF2_OLD, 'legacy')).toMatchObject({ preferred: 'argon2', mustUpdate: true, reasons: ['made by pbkdf2_sha256; new passwords are made by argon2'] })
    const md5 = await inspect(MD5, 'legacy')
    expect(md5).toMatchObject({ algorithm: 'md5', mustUpdate: true, reasons: ['made by md5; new passwords are made by argon2'] })
    expect(md5.problem).toBeUndefined()
    expect(await failure(inspect(MD5, 'nowhere'))).toMatchObject({ code: 'E_ALIAS_NOT_FOUND', status: 404 })
  })

  it('answers hostile input with a typed 4xx, fast, never a 500', async () => {
    const hostile = [
      'pbkdf2_sha256$1000$salt$' + 'A'.repeat(9_970),
      '$$$$',
      'pbkdf2_sha256$1000$sa\0lt$abc=',
      `pbkdf2_sha256$999999999999$salt$${'A'.repeat(43)}=`,
      'argon2$argon2id$v=19$m=4194304,t=2,p=8$c2FsdHNhbHRzYWx0$AAAAAAAAAAAAAAAAAAAAAA',
      'bcrypt_sha256$$2b$31$' + 'a'.repeat(53),
      `scrypt$${2 ** 30}$salt$8$5$${'A'.repeat(86)}==`,
      '\0\0\0',
    ]
    const started = performance.now()
    for (const encoded of hostile) {
      const seen = await inspect(encoded)
      expect(seen.mustUpdate, encoded.slice(0, 40)).toBe(false)
      expect(seen.problem, encoded.slice(0, 40)).toBeTruthy()
    }
    expect(performance.now() - started).toBeLessThan(2000) // generous: nothing was hashed
    expect(await failure(inspect('x'.repeat(10_001)))).toMatchObject({ code: 'E_INVALID_INPUT', status: 400 })
    expect(await failure(inspect(''))).toMatchObject({ code: 'E_INVALID_INPUT' })
  })
})

describe('auth.validatePassword', () => {
  it("answers Django's validators' verdict, with each problem", async () => {
    expect(await test.app.call('auth.validatePassword', { password: 'a long and unusual passphrase' })).toEqual({ ok: true, problems: [] })
    const verdict = await test.app.call('auth.validatePassword', { password: 'lovelace', user: { username: 'ada', lastName: 'Lovelace' } })
    expect(verdict.ok).toBe(false)
    expect(verdict.problems.map((p) => p.code)).toEqual(['password_too_similar'])
  })

  it('refuses a password past 4096 characters, and never echoes the password', async () => {
    const error = await failure(test.app.call('auth.validatePassword', { password: 'Sekr3t'.repeat(1000) }))
    expect(error.code).toBe('E_INVALID_INPUT')
    expect(JSON.stringify(error.toPayload())).not.toContain('Sekr3t')
    const verdict = await test.app.call('auth.validatePassword', { password: '12345678' })
    expect(JSON.stringify(verdict)).not.toContain('12345678')
  })
})
