import { execFileSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { checkPassword, hasherFor, makePassword, PBKDF2_ITERATIONS } from '.'

/** Django 3.2 from Debian (python3-django), the real thing our hashes must agree with. */
function django(script: string): string | undefined {
  try {
    return execFileSync('/usr/bin/python3', ['-c', `from django.conf import settings; settings.configure()\n${script}`], { encoding: 'utf8' }).trim()
  } catch {
    return undefined
  }
}

const djangoVersion = django('import django; print(django.get_version())')
const requireServices = process.env.BACKPLANE_REQUIRE_SERVICES === '1'
if (!djangoVersion && !requireServices) process.stderr.write('skipped Django hasher interop: python3-django not installed (apt-get install python3-django)\n')
const withDjango = djangoVersion || requireServices ? describe : describe.skip

describe('password hashing, as Django', () => {
  it('encodes pbkdf2_sha256$iterations$salt$hash with a 22-character salt', async () => {
    const encoded = await makePassword('s3cret')
    expect(encoded).toMatch(new RegExp(`^pbkdf2_sha256\\$${PBKDF2_ITERATIONS}\\$[A-Za-z0-9]{22}\\$[A-Za-z0-9+/]{43}=$`))
    expect(await checkPassword('s3cret', encoded)).toEqual({ ok: true, mustUpdate: false })
    expect((await checkPassword('S3cret', encoded)).ok).toBe(false)
  })

  it('names an unknown algorithm instead of failing silently', () => {
    expect(() => hasherFor('md5$abc$def')).toThrow(/Unknown password hash algorithm "md5"/)
  })
})

withDjango('password hashes interoperate with Django itself', () => {
  it('verifies a hash Django made, and flags it for an update to today\'s iterations', async () => {
    const encoded = django("from django.contrib.auth.hashers import make_password; print(make_password('pässwörd'))")
    expect(encoded, 'Django did not run').toMatch(/^pbkdf2_sha256\$\d+\$/)
    expect(await checkPassword('pässwörd', encoded)).toEqual({ ok: true, mustUpdate: true })
    expect((await checkPassword('passwörd', encoded)).ok).toBe(false)
  })

  it('makes hashes that Django accepts', async () => {
    const encoded = await makePassword('pässwörd')
    const verdict = django(`from django.contrib.auth.hashers import check_password; print(check_password('pässwörd', '${encoded}'), check_password('wrong', '${encoded}'))`)
    expect(verdict).toBe('True False')
  })

  it('verifies pbkdf2_sha1 hashes from Django too', async () => {
    const encoded = django("from django.contrib.auth.hashers import PBKDF2SHA1PasswordHasher as H; print(H().encode('pw', H().salt()))")
    expect(encoded).toMatch(/^pbkdf2_sha1\$/)
    expect(await checkPassword('pw', encoded)).toEqual({ ok: true, mustUpdate: true })
  })
})
