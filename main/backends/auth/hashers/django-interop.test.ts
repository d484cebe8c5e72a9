import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { requirePythonModule, SYSTEM_PYTHON } from '../../../../test/support/services'
import { HASHERS } from '.'

/**
 * Hashes Backplane makes, checked by Django's own check_password() (Debian's Django 3.2 with argon2-cffi
 * and bcrypt). Django 3.2 has no scrypt hasher: scrypt hashes are checked by recomputing them with
 * Python's hashlib.scrypt as Django 4.0+'s ScryptPasswordHasher does.
 */
const CHECK = `
import base64, hashlib, json, sys
from django.conf import settings
settings.configure(PASSWORD_HASHERS=['django.contrib.auth.hashers.' + n for n in (
    'PBKDF2PasswordHasher', 'PBKDF2SHA1PasswordHasher', 'Argon2PasswordHasher',
    'BCryptSHA256PasswordHasher', 'BCryptPasswordHasher', 'MD5PasswordHasher')])
from django.contrib.auth.hashers import check_password, constant_time_compare

def scrypt_check(password, encoded):
    _, n, salt, r, p, _ = encoded.split('$')
    key = hashlib.scrypt(password.encode(), salt=salt.encode(), n=int(n), r=int(r), p=int(p), maxmem=0, dklen=64)
    return constant_time_compare(encoded, '$'.join(['scrypt', n, salt, r, p, base64.b64encode(key).decode()]))

check = lambda password, encoded: scrypt_check(password, encoded) if encoded.startswith('scrypt$') else check_password(password, encoded)
print(json.dumps([[check(c['password'], c['encoded']), check(c['wrong'], c['encoded'])] for c in json.load(sys.stdin)]))
`

function djangoChecks(cases: { password: string; wrong: string; encoded: string }[]): [boolean, boolean][] {
  const run = spawnSync(SYSTEM_PYTHON, ['-c', CHECK], { input: JSON.stringify(cases), encoding: 'utf8', timeout: 120_000 })
  if (run.status !== 0) throw new Error(`Django did not run: ${run.stderr}`)
  return JSON.parse(run.stdout) as [boolean, boolean][]
}

const withDjango = ['django', 'argon2', 'bcrypt'].every((m) => requirePythonModule(m, `python3-${m === 'argon2' ? 'argon2' : m}`, 'Django hasher interop')) ? describe : describe.skip

withDjango('hashes Backplane makes, as Django checks them', () => {
  it('verify in Django\'s check_password for every hasher, and the wrong password does not', async () => {
    // Non-ASCII, empty, and past bcrypt's 72 bytes (the wrong one differs at the start, where bcrypt still reads).
    const passwords = ['pässwörd', '', '日本語のパスワード 🔑 ' + 'y'.repeat(80)]
    // Each hasher's encode(), md5's too: makePassword() refuses md5 as preferred, Django still verifies it.
    const cases = await Promise.all(
      HASHERS.flatMap((hasher) => passwords.map(async (password) => ({ hasher: hasher.algorithm, password, wrong: '!' + password, encoded: await hasher.encode(password) }))),
    )
    const verdicts = djangoChecks(cases)
    expect(verdicts.length).toBe(cases.length)
    cases.forEach((c, i) => expect(verdicts[i], `${c.hasher} ${JSON.stringify(c.password.slice(0, 10))}`).toEqual([true, false]))
  })
})
