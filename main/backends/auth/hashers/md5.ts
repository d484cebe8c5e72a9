import { createHash } from 'node:crypto'
import { badHash, constantTimeEqual, splitFields } from './encoded-fields'
import type { DecodedHash, PasswordHasher } from './hasher'
import { randomSalt, saltReason } from './salt'

const ALGORITHM = 'md5'

function parse(encoded: string) {
  const [, salt, hash] = splitFields(ALGORITHM, encoded, 3, 'md5$salt$hexdigest')
  if (!salt) throw badHash(ALGORITHM, 'the salt is empty (unsalted MD5 is not supported)')
  if (!/^[0-9a-f]{32}$/.test(hash!)) throw badHash(ALGORITHM, 'the digest is not 32 lowercase hex digits')
  return { salt, hash: hash! }
}

/**
 * Django's MD5PasswordHasher, `md5$salt$md5(salt + password)`: kept so that legacy hashes (and the test
 * settings many projects use for speed) still verify and are upgraded on login. It never makes new hashes.
 */
export function md5Hasher(): PasswordHasher {
  const digest = (password: string, salt: string) => createHash('md5').update(salt + password).digest('hex')
  // Django's MD5 must_update() looks at the salt only; MD5 being weak is why it may never be the preferred hasher.
  const updateReasons = (encoded: string) => saltReason(parse(encoded).salt)
  return {
    algorithm: ALGORITHM,
    encodes: false,
    saltShown: 2,
    // Only for tests and fixtures: makePassword() refuses md5 as the preferred hasher.
    async encode(password, salt = randomSalt()) {
      return `${ALGORITHM}$${salt}$${digest(password, salt)}`
    },
    async verify(password, encoded) {
      const { salt, hash } = parse(encoded)
      return constantTimeEqual(digest(password, salt), hash)
    },
    decode(encoded): DecodedHash {
      const { salt, hash } = parse(encoded)
      return { algorithm: ALGORITHM, salt, hash, parameters: {} }
    },
    updateReasons,
    mustUpdate: (encoded) => updateReasons(encoded).length > 0,
    hardenRuntime: async () => {},
  }
}
