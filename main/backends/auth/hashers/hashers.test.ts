import { sampleLoopLag } from '../../../../test/support/loop-lag'
import { scrypt } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { hashRaw } from '@node-rs/argon2'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { failure } from '../../../../test/support/failures'
import { checkPassword, DEFAULT_HASHERS, HASHER_NAMES, HASHERS, hasherFor, inspectHash, isPasswordUsable, makePassword, PBKDF2_ITERATIONS, resolveHashers, unusablePassword } from '.'
import type { BackplaneError } from '../../../core/errors'
import { refusedParameters } from './encoded-fields'
import { pbkdf2Hasher } from './pbkdf2'
import { maskHash } from './salt'

interface FixtureHash {
  hasher: string
  note: string
  password: string
  encoded: string
  mustUpdate32: boolean
  mustUpdate: boolean
  summary: Record<string, string | number>
}
// Made by Django 3.2 itself: see test/fixtures/auth-hashes/make.py for the command.
const fixture = JSON.parse(readFileSync(join(import.meta.dirname, '../../../../test/fixtures/auth-hashes/django-3.2.json'), 'utf8')) as { wrongPassword: string; hashes: FixtureHash[] }
const byName = (name: string) => HASHERS.find((h) => h.algorithm === name)!
/** A hasher list with `first` preferred and every other one after it, as a project listing them all would have. */
const preferring = (first: string) => [first, ...HASHER_NAMES.filter((n) => n !== first)]

describe('password hashing, as Django', () => {
  it('encodes pbkdf2_sha256$1200000$salt$hash with a 22-character salt by default', async () => {
    expect(PBKDF2_ITERATIONS).toBe(1_200_000)
    const encoded = await makePassword('s3cret')
    expect(encoded).toMatch(/^pbkdf2_sha256\$1200000\$[A-Za-z0-9]{22}\$[A-Za-z0-9+/]{43}=$/)
    expect(await checkPassword('s3cret', encoded)).toEqual({ ok: true, mustUpdate: false })
    expect((await checkPassword('S3cret', encoded)).ok).toBe(false)
  })

  it.each([
    ['pbkdf2_sha1', /^pbkdf2_sha1\$1200000\$[A-Za-z0-9]{22}\$[A-Za-z0-9+/]{27}=$/],
    ['argon2', /^argon2\$argon2id\$v=19\$m=102400,t=2,p=8\$[A-Za-z0-9+/]{30}\$[A-Za-z0-9+/]{22}$/],
    ['bcrypt_sha256', /^bcrypt_sha256\$\$2b\$12\$[./A-Za-z0-9]{53}$/],
    ['bcrypt', /^bcrypt\$\$2b\$12\$[./A-Za-z0-9]{53}$/],
    ['scrypt', /^scrypt\$16384\$[A-Za-z0-9]{22}\$8\$5\$[A-Za-z0-9+/]{86}==$/],
  ])('makes %s hashes in Django\'s format, which verify and are current', async (name, shape) => {
    const encoded = await makePassword('pässwörd 🔑', [name])
    expect(encoded).toMatch(shape)
    expect(await checkPassword('pässwörd 🔑', encoded, [name])).toEqual({ ok: true, mustUpdate: false })
    expect(await checkPassword('pässwörd', encoded, [name])).toEqual({ ok: false, mustUpdate: false })
    // Verified by the default list too, and flagged for re-hashing with pbkdf2_sha256 (bcrypt is not in it).
    if (DEFAULT_HASHERS.includes(name)) expect(await checkPassword('pässwörd 🔑', encoded)).toEqual({ ok: true, mustUpdate: name !== 'pbkdf2_sha256' })
  })

  it('keeps bcrypt\'s 72-byte limit for plain bcrypt, and lifts it for bcrypt_sha256', async () => {
    const long = 'x'.repeat(72)
    const plain = await makePassword(long + 'tail', ['bcrypt'])
    expect((await checkPassword(long + 'other', plain, ['bcrypt'])).ok).toBe(true)
    const sha = await makePassword(long + 'tail', ['bcrypt_sha256'])
    expect((await checkPassword(long + 'other', sha, ['bcrypt_sha256'])).ok).toBe(false)
  })

  it('refuses to make a plain bcrypt hash of a password with NUL, as Python\'s bcrypt does', async () => {
    expect((await failure(makePassword('a\0b', ['bcrypt']))).code).toBe('E_INVALID_INPUT')
    expect((await checkPassword('a\0b', await makePassword('a\0b', ['bcrypt_sha256']), ['bcrypt_sha256'])).ok).toBe(true)
  })

  it('stores unusable passwords as "!" and 40 characters, which never verify', async () => {
    const unusable = unusablePassword()
    expect(unusable).toMatch(/^![A-Za-z0-9]{40}$/)
    expect(isPasswordUsable(unusable)).toBe(false)
    expect(isPasswordUsable(null)).toBe(false)
    expect(await checkPassword('', unusable)).toEqual({ ok: false, mustUpdate: false })
  })
})

describe('the hasher list (an alias\'s hashers option, Django\'s PASSWORD_HASHERS)', () => {
  it('defaults to Django\'s default PASSWORD_HASHERS, in order', () => {
    expect(DEFAULT_HASHERS).toEqual(['pbkdf2_sha256', 'pbkdf2_sha1', 'argon2', 'bcrypt_sha256', 'scrypt'])
    expect(HASHER_NAMES).toEqual(['pbkdf2_sha256', 'pbkdf2_sha1', 'argon2', 'bcrypt_sha256', 'bcrypt', 'scrypt', 'md5'])
  })

  it('refuses an unknown name, an empty list, and md5 as the preferred hasher', async () => {
    expect(() => resolveHashers(['pbkdf2_sha256', 'sha512'])).toThrow(expect.objectContaining({ code: 'E_UNKNOWN_HASHER', message: 'Unknown password hasher "sha512".' }))
    expect(() => resolveHashers([])).toThrow(expect.objectContaining({ code: 'E_INVALID_INPUT' }))
    expect(() => resolveHashers(['md5', 'pbkdf2_sha256'])).toThrow(expect.objectContaining({ code: 'E_INVALID_INPUT', message: expect.stringContaining('cannot be the first') }))
    expect((await failure(makePassword('pw', ['md5']))).code).toBe('E_INVALID_INPUT')
    expect(resolveHashers(['pbkdf2_sha256', 'md5']).map((h) => h.algorithm)).toEqual(['pbkdf2_sha256', 'md5'])
  })

  it('names the algorithm of an unknown or unlisted hash, and never repeats a plain-text value', async () => {
    expect(() => hasherFor('sha1$salt$abc')).toThrow(/Unknown password hash algorithm "sha1"/)
    expect(() => hasherFor('md5$salt$0123456789abcdef0123456789abcdef')).toThrow(expect.objectContaining({ code: 'E_UNKNOWN_HASHER', message: expect.stringContaining('not one of this alias\'s hashers') }))
    const plain = await failure(checkPassword('Hunter2!', 'Hunter2!'))
    expect(plain.code).toBe('E_UNKNOWN_HASHER')
    expect(JSON.stringify(plain.toPayload())).not.toContain('Hunter2')
    const odd = await failure(checkPassword('x', 'My Secret Pass$word'))
    expect(JSON.stringify(odd.toPayload())).not.toContain('My Secret')
  })

  it("spends the preferred hasher's work after a wrong password on an outdated hash, as Django's harden_runtime", async () => {
    const pbkdf2 = byName('pbkdf2_sha256')
    const harden = vi.spyOn(pbkdf2, 'hardenRuntime')
    try {
      const old = fixture.hashes.find((h) => h.encoded.startsWith('pbkdf2_sha256$260000$'))!
      await checkPassword(fixture.wrongPassword, old.encoded)
      expect(harden).toHaveBeenCalledTimes(1)
      await checkPassword(old.password, old.encoded)
      await checkPassword(fixture.wrongPassword, await makePassword('current'))
      expect(harden).toHaveBeenCalledTimes(1) // not for a right password, nor for a current hash
    } finally {
      harden.mockRestore()
    }
  })

  it('counts a hash of another listed hasher as needing an update, even with current parameters', async () => {
    const argon = await makePassword('pw', ['argon2'])
    expect(await checkPassword('pw', argon, ['argon2', 'pbkdf2_sha256'])).toEqual({ ok: true, mustUpdate: false })
    expect(await checkPassword('pw', argon, ['pbkdf2_sha256', 'argon2'])).toEqual({ ok: true, mustUpdate: true })
  })
})

describe('hashes made by Django 3.2 (test/fixtures/auth-hashes/django-3.2.json)', () => {
  it('covers every hasher Backplane has', () => {
    expect(new Set(fixture.hashes.map((h) => h.hasher))).toEqual(new Set(HASHER_NAMES))
  })

  it.each(fixture.hashes.map((h) => [`${h.hasher}: ${h.note} (${JSON.stringify(h.password.slice(0, 12))})`, h] as const))('%s verifies; a wrong password does not', async (_title, h) => {
    const list = h.hasher === 'md5' ? ['pbkdf2_sha256', 'md5'] : preferring(h.hasher)
    const [right, wrong] = await Promise.all([checkPassword(h.password, h.encoded, list), checkPassword(fixture.wrongPassword, h.encoded, list)])
    expect(right.ok).toBe(true)
    expect(wrong).toEqual({ ok: false, mustUpdate: false })
    // Django's must_update() with Backplane's (Django 6.0's) parameters, as Django computed it.
    expect(byName(h.hasher).mustUpdate(h.encoded)).toBe(h.mustUpdate)
    expect(right.mustUpdate).toBe(h.hasher === 'md5' || h.mustUpdate)
  })

  it('agrees with Django 3.2\'s must_update() when configured with 3.2\'s iterations', () => {
    const at32 = { pbkdf2_sha256: pbkdf2Hasher('pbkdf2_sha256', 'sha256', 260_000), pbkdf2_sha1: pbkdf2Hasher('pbkdf2_sha1', 'sha1', 260_000) }
    for (const h of fixture.hashes) {
      const hasher = at32[h.hasher as keyof typeof at32] ?? byName(h.hasher)
      expect(hasher.mustUpdate(h.encoded), `${h.hasher}: ${h.note}`).toBe(h.mustUpdate32)
    }
  })

  it('reads each as Django\'s safe_summary() shows it', () => {
    for (const h of fixture.hashes) {
      const seen = inspectHash(h.encoded, h.hasher === 'md5' ? ['pbkdf2_sha256', 'md5'] : preferring(h.hasher))
      const { algorithm, salt, hash, checksum, ...parameters } = h.summary
      // argon2-cffi reports a hash without "v=" as version 18; libargon2 hashes it, and so does Backplane, as 16.
      if (!h.encoded.includes('$v=') && h.hasher === 'argon2') parameters.version = 16
      expect(seen, h.note).toMatchObject({ algorithm, known: true, usable: true, parameters, hashMasked: hash ?? checksum, mustUpdate: h.hasher === 'md5' || h.mustUpdate })
      expect(maskHash(seen.salt!, byName(h.hasher).saltShown)).toBe(salt)
      expect(seen.problem).toBeUndefined()
      expect(seen.mustUpdate).toBe(seen.reasons.length > 0)
    }
  })
})

describe('the hash inspector', () => {
  it('explains why a login would upgrade a hash', () => {
    const old = fixture.hashes.find((h) => h.encoded.startsWith('pbkdf2_sha256$260000$'))!.encoded
    expect(inspectHash(old)).toMatchObject({ algorithm: 'pbkdf2_sha256', parameters: { iterations: 260000 }, mustUpdate: true, reasons: ['260000 iterations, the preferred hasher uses 1200000'], preferred: 'pbkdf2_sha256' })
    const salty = fixture.hashes.find((h) => h.encoded.includes('$seasalt$') && h.hasher === 'pbkdf2_sha256')!.encoded
    expect(inspectHash(salty).reasons).toEqual(['the salt has 7 characters, fewer than the 22 Django makes (128 bits)'])
    const argon2i = fixture.hashes.find((h) => h.encoded.startsWith('argon2$argon2i$v=19'))!.encoded
    expect(inspectHash(argon2i, ['argon2']).reasons).toEqual([
      'variety argon2i, the preferred hasher uses argon2id',
      'memory cost (KiB) 512, the preferred hasher uses 102400',
      'parallelism 2, the preferred hasher uses 8',
    ])
    expect(inspectHash(argon2i).reasons).toEqual(['made by argon2; new passwords are made by pbkdf2_sha256'])
  })

  it('shows unusable, unknown and unlisted hashes without failing', () => {
    expect(inspectHash(unusablePassword())).toMatchObject({ algorithm: 'unusable', usable: false, mustUpdate: false })
    expect(inspectHash('sha1$abcdef$0123456789abcdef')).toMatchObject({ algorithm: 'sha1', known: false, hashMasked: '012345**********', problem: expect.stringContaining('no hasher named "sha1"') })
    expect(inspectHash('5f4dcc3b5aa765d61d8327deb882cf99')).toMatchObject({ algorithm: 'unsalted_md5', known: false })
    expect(inspectHash('just my password')).toMatchObject({ algorithm: '(none)', known: false, hashMasked: null, problem: expect.stringContaining('not a Django hash') })
    const md5 = fixture.hashes.find((h) => h.hasher === 'md5')!.encoded
    expect(inspectHash(md5)).toMatchObject({ algorithm: 'md5', known: true, mustUpdate: false, problem: expect.stringContaining('is not one of the hashers') })
  })
})

/** Hashes no Django would make, and hashes that would cost minutes of CPU or gigabytes: refused before hashing. */
const HOSTILE: [string, string, RegExp][] = [
  ['10,000 characters', 'pbkdf2_sha256$1000$salt$' + 'A'.repeat(10_000), /longer than any Django hash/],
  ['only separators', 'pbkdf2_sha256$$$$', /expected 4/],
  ['NUL bytes', 'pbkdf2_sha256$1000$sa\0lt$abc=', /NUL/],
  ['a trillion iterations', `pbkdf2_sha256$999999999999$salt$${'A'.repeat(43)}=`, /above 5000000/],
  ['an iteration count past 2**53', `pbkdf2_sha256$${'9'.repeat(40)}$salt$${'A'.repeat(43)}=`, /not a whole number/],
  ['a negative iteration count', `pbkdf2_sha256$-5$salt$${'A'.repeat(43)}=`, /not a whole number/],
  ['a digest of the wrong length', 'pbkdf2_sha256$1000$salt$AAAA', /3 bytes/],
  ['a digest that is not base64', `pbkdf2_sha256$1000$salt$${'*'.repeat(44)}`, /not base64/],
  ['argon2 asking for 4 GiB', 'argon2$argon2id$v=19$m=4194304,t=2,p=8$c2FsdHNhbHRzYWx0$AAAAAAAAAAAAAAAAAAAAAA', /above 262144/],
  ['argon2 asking for 512 MiB', 'argon2$argon2id$v=19$m=524288,t=1,p=8$c2FsdHNhbHRzYWx0$AAAAAAAAAAAAAAAAAAAAAA', /above 262144/],
  ['argon2 asking for 256 MiB × 9 passes', 'argon2$argon2id$v=19$m=262144,t=9,p=8$c2FsdHNhbHRzYWx0$AAAAAAAAAAAAAAAAAAAAAA', /memory × time/],
  ['argon2 with 10,000 lanes', 'argon2$argon2id$v=19$m=102400,t=2,p=10000$c2FsdHNhbHRzYWx0$AAAAAAAAAAAAAAAAAAAAAA', /parallelism 10000 is above/],
  ['argon2 of version 20', 'argon2$argon2id$v=20$m=512,t=2,p=2$c2FsdHNhbHRzYWx0$AAAAAAAAAAAAAAAAAAAAAA', /version/],
  ['argon2 with costs in another order', 'argon2$argon2id$v=19$t=2,m=512,p=2$c2FsdHNhbHRzYWx0$AAAAAAAAAAAAAAAAAAAAAA', /m=…,t=…,p=…/],
  ['argon2 of an unknown variety', 'argon2$argon2x$v=19$m=512,t=2,p=2$c2FsdHNhbHRzYWx0$AAAAAAAAAAAAAAAAAAAAAA', /variety/],
  ['bcrypt at cost 31', 'bcrypt_sha256$$2b$31$' + 'a'.repeat(53), /above 14/],
  ['bcrypt at cost 15', 'bcrypt$$2b$15$' + 'a'.repeat(53), /above 14/],
  ['bcrypt with a short checksum', 'bcrypt$$2b$12$' + 'a'.repeat(40), /53 characters/],
  ['scrypt with N = 2**30', `scrypt$${2 ** 30}$salt$8$5$${'A'.repeat(86)}==`, /above 1048576/],
  ['scrypt with N not a power of 2', `scrypt$1000$salt$8$5$${'A'.repeat(86)}==`, /power of 2/],
  ['scrypt needing 1 GiB', `scrypt$${2 ** 20}$salt$8$1$${'A'.repeat(86)}==`, /MiB/],
  ['scrypt with p = 1000', `scrypt$16384$salt$8$1000$${'A'.repeat(86)}==`, /N × r × p/],
  ['scrypt with N × r × p = 2**23', `scrypt$16384$salt$8$64$${'A'.repeat(86)}==`, /N × r × p/],
  ['scrypt with N not below 2**(16·r)', `scrypt$${2 ** 16}$salt$1$1$${'A'.repeat(86)}==`, /not below 2\^\(16 × block size 1\)/],
  ['md5 with an uppercase digest', 'md5$salt$' + 'A'.repeat(32), /hex/],
]

describe('malformed and hostile hashes', () => {
  it.each(HOSTILE)('refuses %s as E_BAD_HASH at once, in checkPassword and the inspector', async (_title, encoded, message) => {
    const list = preferring(encoded.split('$', 1)[0]!)
    const started = performance.now()
    const error = await failure(checkPassword('Tr0ub4dor&3', encoded, list.includes('md5') && list[0] === 'md5' ? ['pbkdf2_sha256', 'md5'] : list))
    expect(performance.now() - started).toBeLessThan(1000) // generous: hashing did not start
    expect(error.code).toBe('E_BAD_HASH')
    expect(error.message).toMatch(message)
    expect(JSON.stringify(error.toPayload())).not.toContain('Tr0ub4dor')
    expect(inspectHash(encoded, ['pbkdf2_sha256', ...HASHER_NAMES.slice(1)])).toMatchObject({ known: true, problem: expect.stringMatching(message), mustUpdate: false })
  })
})

describe('the cost bounds (limits.ts)', () => {
  it('accepts a hash exactly at each bound', () => {
    const salt = 'c2FsdHNhbHRzYWx0'
    for (const encoded of [
      `pbkdf2_sha256$5000000$salt$${'A'.repeat(43)}=`,
      'bcrypt_sha256$$2b$14$' + 'a'.repeat(53),
      `argon2$argon2id$v=19$m=262144,t=8,p=8$${salt}$AAAAAAAAAAAAAAAAAAAAAA`,
      `argon2$argon2id$v=19$m=65536,t=32,p=8$${salt}$AAAAAAAAAAAAAAAAAAAAAA`,
      `scrypt$65536$salt$8$8$${'A'.repeat(86)}==`,
      `scrypt$32768$salt$1$1$${'A'.repeat(86)}==`,
    ]) {
      expect(inspectHash(encoded, preferring(encoded.split('$', 1)[0]!)).problem, encoded).toBeUndefined()
    }
  })

  it('calls a parameter the hashing library refuses the hash\'s fault (E_BAD_HASH), and passes other errors through', async () => {
    // Real refusals: scrypt's N ≥ 2^(16·r) (which OpenSSL calls "memory limit exceeded"), argon2's short salt.
    const fromScrypt = await new Promise<unknown>((resolve) => {
      try {
        scrypt('pw', 'salt', 64, { N: 2 ** 16, r: 1, p: 1 }, resolve)
      } catch (err) {
        resolve(err)
      }
    })
    const fromArgon2 = await hashRaw('pw', { salt: Buffer.alloc(4) }).catch((err: unknown) => err)
    for (const err of [fromScrypt, fromArgon2]) {
      const mapped = (() => {
        try {
          return refusedParameters('scrypt')(err)
        } catch (thrown) {
          return thrown as BackplaneError
        }
      })()
      expect(mapped).toMatchObject({ code: 'E_BAD_HASH', message: expect.stringContaining('refuses its parameters') })
    }
    const other = Object.assign(new Error('out of memory'), { code: 'ENOMEM' })
    expect(() => refusedParameters('argon2')(other)).toThrow(other)
  })
})

describe('hashing off the main thread', () => {
  it('leaves the event loop free while 20 PBKDF2 passwords are hashed at once', async () => {
    const { result: hashes, worstLagMs, elapsedMs } = await sampleLoopLag(() => Promise.all(Array.from({ length: 20 }, (_, i) => makePassword(`password ${i}`))))
    expect(new Set(hashes).size).toBe(20)
    // Hashing on the main thread would stall the timer for the whole batch (seconds). On a loaded
    // 2-core machine the scheduler alone can delay a tick by ~100 ms, hence a bound relative to the batch too.
    expect(worstLagMs).toBeLessThan(Math.max(200, elapsedMs / 5))
  })
})
