import { createHash, randomBytes } from 'node:crypto'
import { hash as bcryptHash } from '@node-rs/bcrypt'
import { BackplaneError, ErrorCode } from '../../../core/errors'
import { badHash, boundedInt, constantTimeEqual, refusedParameters, splitFields } from './encoded-fields'
import type { DecodedHash, PasswordHasher } from './hasher'
import { onHashingSlot } from './hashing-slots'
import { COST_LIMITS } from './limits'

/** Django's BCryptSHA256PasswordHasher.rounds. */
export const BCRYPT_ROUNDS = 12

// bcrypt's own base64 alphabet.
const ALPHABET = './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'
const DATA = /^[./A-Za-z0-9]{53}$/

/** The 16 salt bytes of bcrypt's 22-character salt (its last 4 bits are padding). */
function saltBytes(salt: string): Buffer {
  let bits = 0
  let value = 0
  const out: number[] = []
  for (const ch of salt) {
    value = (value << 6) | ALPHABET.indexOf(ch)
    bits += 6
    if (bits >= 8) {
      bits -= 8
      out.push((value >> bits) & 0xff)
    }
  }
  return Buffer.from(out.slice(0, 16))
}

/**
 * Django's BCryptSHA256PasswordHasher (`digest`: the password's SHA-256 hexdigest goes to bcrypt, so
 * nothing past 72 bytes is lost) and BCryptPasswordHasher (no digest: bcrypt reads the first 72 bytes).
 * Stored as `algorithm$` + bcrypt's own `$2b$12$<22-char salt><31-char checksum>`; `$2a$` and `$2y$` verify too.
 */
export function bcryptHasher(algorithm: 'bcrypt_sha256' | 'bcrypt', rounds = BCRYPT_ROUNDS): PasswordHasher {
  const sha256 = algorithm === 'bcrypt_sha256'
  const input = (password: string) => (sha256 ? createHash('sha256').update(password).digest('hex') : password)
  const parse = (encoded: string) => {
    const [, empty, prefix, cost, data] = splitFields(algorithm, encoded, 5, `${algorithm}$$2b$rounds$salt+checksum`)
    if (empty !== '' || !['2a', '2b', '2y'].includes(prefix!)) throw badHash(algorithm, 'bcrypt data must start "$2b$" (or $2a$, $2y$)')
    if (!/^\d\d$/.test(cost!)) throw badHash(algorithm, `the work factor "${cost!.slice(0, 20)}" is not two digits`)
    const workFactor = boundedInt(algorithm, 'the work factor', cost, COST_LIMITS.bcryptMinRounds, COST_LIMITS.bcryptRounds)
    if (!DATA.test(data!)) throw badHash(algorithm, 'the salt and checksum are not 53 characters of bcrypt base64')
    return { workFactor, salt: data!.slice(0, 22), checksum: data!.slice(22) }
  }
  // @node-rs/bcrypt hashes on libuv's thread pool, on a hashing slot; the work factor and salt come from the stored hash.
  const checksumOf = async (password: string, workFactor: number, salt: string) => {
    const hashed = await onHashingSlot(() => bcryptHash(input(password), workFactor, saltBytes(salt))).catch(refusedParameters(algorithm))
    return hashed.slice(-31)
  }
  const updateReasons = (encoded: string) => {
    const { workFactor } = parse(encoded)
    return workFactor === rounds ? [] : [`work factor ${workFactor}, the preferred hasher uses ${rounds}`]
  }
  return {
    algorithm,
    encodes: true,
    saltShown: 6,
    async encode(password) {
      // Python's bcrypt, and so Django, refuses these; C bcrypt would stop reading at the NUL.
      if (!sha256 && password.includes('\0')) {
        throw new BackplaneError(ErrorCode.E_INVALID_INPUT, 'bcrypt cannot hash a password that contains a NUL character.', { hint: 'Use bcrypt_sha256, or a password without NUL.' })
      }
      return `${algorithm}$${await onHashingSlot(() => bcryptHash(input(password), rounds, randomBytes(16)))}`
    },
    async verify(password, encoded) {
      const { workFactor, salt, checksum } = parse(encoded)
      if (!sha256 && password.includes('\0')) return false
      return constantTimeEqual(await checksumOf(password, workFactor, salt), checksum)
    },
    decode(encoded): DecodedHash {
      const { workFactor, salt, checksum } = parse(encoded)
      return { algorithm, salt, hash: checksum, parameters: { 'work factor': workFactor } }
    },
    updateReasons,
    mustUpdate: (encoded) => updateReasons(encoded).length > 0,
    async hardenRuntime(password, encoded) {
      const { workFactor, salt } = parse(encoded)
      // The work factor is logarithmic: each step down saved half the work, made up here one hash at a time.
      for (let extra = 2 ** Math.max(0, rounds - workFactor) - 1; extra > 0; extra--) await checksumOf(password, workFactor, salt)
    },
  }
}
