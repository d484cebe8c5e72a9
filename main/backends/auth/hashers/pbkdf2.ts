import { pbkdf2, timingSafeEqual } from 'node:crypto'
import { promisify } from 'node:util'
import type { PasswordHasher } from './hasher'
import { randomString } from './random-string'

const pbkdf2Async = promisify(pbkdf2)
// Django's salt_entropy is 128 bits; 22 characters of a 62-letter alphabet carry that much.
const SALT_LENGTH = 22

export function randomSalt(): string {
  return randomString(SALT_LENGTH)
}

/**
 * Django's PBKDF2PasswordHasher family: `algorithm$iterations$salt$base64(hash)`.
 * crypto.pbkdf2 runs on libuv's thread pool, so hashing never blocks the main thread.
 */
export function pbkdf2Hasher(algorithm: string, digest: 'sha256' | 'sha1', iterations: number): PasswordHasher {
  const keyLength = digest === 'sha256' ? 32 : 20
  const derive = (password: string, salt: string, rounds: number) => pbkdf2Async(password, salt, rounds, keyLength, digest)
  return {
    algorithm,
    async encode(password, salt = randomSalt()) {
      const hash = await derive(password, salt, iterations)
      return `${algorithm}$${iterations}$${salt}$${hash.toString('base64')}`
    },
    async verify(password, encoded) {
      const [alg, rounds, salt, expected] = encoded.split('$')
      if (alg !== algorithm || !rounds || salt === undefined || !expected) return false
      const hash = await derive(password, salt, Number(rounds))
      const want = Buffer.from(expected, 'base64')
      return want.length === hash.length && timingSafeEqual(hash, want)
    },
    mustUpdate(encoded) {
      return Number(encoded.split('$')[1]) !== iterations
    },
    describe(encoded) {
      const [, rounds, salt] = encoded.split('$')
      return { algorithm, iterations: Number(rounds), salt: salt ?? '' }
    },
  }
}
