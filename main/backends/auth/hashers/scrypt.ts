import { scrypt, type ScryptOptions } from 'node:crypto'
import { badHash, boundedInt, constantTimeEqual, refusedParameters, splitFields, strictBase64 } from './encoded-fields'
import type { DecodedHash, PasswordHasher } from './hasher'
import { onHashingSlot } from './hashing-slots'
import { COST_LIMITS } from './limits'
import { randomSalt } from './salt'

/** Django 4.0+'s ScryptPasswordHasher defaults. */
export const SCRYPT_DEFAULTS = { workFactor: 2 ** 14, blockSize: 8, parallelism: 5 }
const KEY_LENGTH = 64
const ALGORITHM = 'scrypt'

// crypto.scrypt runs on libuv's thread pool, on a hashing slot. Its maxmem (32 MiB by default) must cover
// 128·N·r; it is raised to the bound so every hash the parser lets through can be checked. A parameter
// it refuses throws synchronously, inside the executor: the promise rejects.
function derive(password: string, salt: string, N: number, r: number, p: number): Promise<Buffer> {
  const options: ScryptOptions = { N, r, p, maxmem: COST_LIMITS.scryptMemoryBytes + 128 * r * (p + 2) }
  return onHashingSlot(() => new Promise((resolve, reject) => scrypt(password, salt, KEY_LENGTH, options, (err, key) => (err ? reject(err) : resolve(key)))))
}

function parse(encoded: string) {
  const [, n, salt, r, p, hash] = splitFields(ALGORITHM, encoded, 6, 'scrypt$work_factor$salt$block_size$parallelism$hash')
  const workFactor = boundedInt(ALGORITHM, 'the work factor', n, 2, COST_LIMITS.scryptWorkFactor)
  if ((workFactor & (workFactor - 1)) !== 0) throw badHash(ALGORITHM, `the work factor ${workFactor} is not a power of 2`)
  const blockSize = boundedInt(ALGORITHM, 'the block size', r, 1, 1024)
  const parallelism = boundedInt(ALGORITHM, 'parallelism', p, 1, 1024)
  // RFC 7914 (and OpenSSL, which says "memory limit exceeded"): N must be below 2^(16·r).
  if (workFactor >= 2 ** (16 * blockSize)) throw badHash(ALGORITHM, `the work factor ${workFactor} is not below 2^(16 × block size ${blockSize}), as scrypt requires`)
  if (128 * workFactor * blockSize > COST_LIMITS.scryptMemoryBytes) throw badHash(ALGORITHM, `it needs ${(128 * workFactor * blockSize) / 2 ** 20} MiB, above the ${COST_LIMITS.scryptMemoryBytes / 2 ** 20} MiB Backplane allows`)
  if (workFactor * blockSize * parallelism > COST_LIMITS.scryptWork) throw badHash(ALGORITHM, `N × r × p is above ${COST_LIMITS.scryptWork}, the most Backplane will spend on one check`)
  if (!salt) throw badHash(ALGORITHM, 'the salt is empty')
  const digest = strictBase64(ALGORITHM, 'hash', hash!)
  if (digest.length !== KEY_LENGTH) throw badHash(ALGORITHM, `the hash is ${digest.length} bytes, Django makes ${KEY_LENGTH}`)
  return { workFactor, blockSize, parallelism, salt, hash: hash!, digest }
}

/** Django 4.0+'s ScryptPasswordHasher: `scrypt$N$salt$r$p$base64(key)`, a 64-byte key. */
export function scryptHasher(defaults = SCRYPT_DEFAULTS): PasswordHasher {
  const { workFactor: N, blockSize: r, parallelism: p } = defaults
  const updateReasons = (encoded: string) => {
    const h = parse(encoded)
    const reasons: string[] = []
    if (h.workFactor !== N) reasons.push(`work factor ${h.workFactor}, the preferred hasher uses ${N}`)
    if (h.blockSize !== r) reasons.push(`block size ${h.blockSize}, the preferred hasher uses ${r}`)
    if (h.parallelism !== p) reasons.push(`parallelism ${h.parallelism}, the preferred hasher uses ${p}`)
    // Django's scrypt must_update() does not look at the salt (pbkdf2, argon2 and md5 do).
    return reasons
  }
  return {
    algorithm: ALGORITHM,
    encodes: true,
    saltShown: 6,
    async encode(password, salt = randomSalt()) {
      return `${ALGORITHM}$${N}$${salt}$${r}$${p}$${(await derive(password, salt, N, r, p)).toString('base64')}`
    },
    async verify(password, encoded) {
      const h = parse(encoded)
      const key = await derive(password, h.salt, h.workFactor, h.blockSize, h.parallelism).catch(refusedParameters(ALGORITHM))
      return constantTimeEqual(key, h.digest)
    },
    decode(encoded): DecodedHash {
      const h = parse(encoded)
      return { algorithm: ALGORITHM, salt: h.salt, hash: h.hash, parameters: { 'work factor': h.workFactor, 'block size': h.blockSize, parallelism: h.parallelism } }
    },
    updateReasons,
    mustUpdate: (encoded) => updateReasons(encoded).length > 0,
    // As Django's: no harden_runtime for scrypt.
    hardenRuntime: async () => {},
  }
}
