import { pbkdf2 } from 'node:crypto'
import { promisify } from 'node:util'
import { badHash, boundedInt, constantTimeEqual, refusedParameters, splitFields, strictBase64 } from './encoded-fields'
import type { DecodedHash, PasswordHasher } from './hasher'
import { onHashingSlot } from './hashing-slots'
import { COST_LIMITS } from './limits'
import { randomSalt, saltReason } from './salt'

// crypto.pbkdf2 runs on libuv's thread pool (on a hashing slot), so hashing never blocks the main thread.
const pbkdf2Async = promisify(pbkdf2)

/** Django's PBKDF2PasswordHasher family: `algorithm$iterations$salt$base64(hash)`, the digest's own length. */
export function pbkdf2Hasher(algorithm: string, digest: 'sha256' | 'sha1', iterations: number): PasswordHasher {
  const keyLength = digest === 'sha256' ? 32 : 20
  const derive = (password: string, salt: string, rounds: number) => onHashingSlot(() => pbkdf2Async(password, salt, rounds, keyLength, digest))
  const parse = (encoded: string) => {
    const [, rounds, salt, hash] = splitFields(algorithm, encoded, 4, `${algorithm}$iterations$salt$hash`)
    const count = boundedInt(algorithm, 'the iteration count', rounds, 1, COST_LIMITS.pbkdf2Iterations)
    if (!salt) throw badHash(algorithm, 'the salt is empty')
    const digestBytes = strictBase64(algorithm, 'hash', hash!)
    if (digestBytes.length !== keyLength) throw badHash(algorithm, `the hash is ${digestBytes.length} bytes, ${algorithm} makes ${keyLength}`)
    return { iterations: count, salt, hash: hash!, digestBytes }
  }
  const updateReasons = (encoded: string) => {
    const decoded = parse(encoded)
    const reasons = decoded.iterations === iterations ? [] : [`${decoded.iterations} iterations, the preferred hasher uses ${iterations}`]
    return [...reasons, ...saltReason(decoded.salt)]
  }
  return {
    algorithm,
    encodes: true,
    saltShown: 6,
    async encode(password, salt = randomSalt()) {
      const hash = await derive(password, salt, iterations)
      return `${algorithm}$${iterations}$${salt}$${hash.toString('base64')}`
    },
    async verify(password, encoded) {
      const { iterations: rounds, salt, digestBytes } = parse(encoded)
      return constantTimeEqual(await derive(password, salt, rounds).catch(refusedParameters(algorithm)), digestBytes)
    },
    decode(encoded): DecodedHash {
      const { iterations: rounds, salt, hash } = parse(encoded)
      return { algorithm, salt, hash, parameters: { iterations: rounds } }
    },
    updateReasons,
    mustUpdate: (encoded) => updateReasons(encoded).length > 0,
    async hardenRuntime(password, encoded) {
      const { iterations: rounds, salt } = parse(encoded)
      if (iterations > rounds) await derive(password, salt, iterations - rounds)
    },
  }
}
