import { BackplaneError, ErrorCode } from '../../../core/errors'
import { argon2Hasher } from './argon2'
import { bcryptHasher } from './bcrypt'
import type { PasswordHasher } from './hasher'
import { md5Hasher } from './md5'
import { pbkdf2Hasher } from './pbkdf2'
import { scryptHasher } from './scrypt'

/** Django 6.0's iteration count for PBKDF2 (it grows every release; older hashes verify and are upgraded). */
export const PBKDF2_ITERATIONS = 1_200_000

/** Every hasher Backplane has, each with Django's current parameters. */
export const HASHERS: readonly PasswordHasher[] = [
  pbkdf2Hasher('pbkdf2_sha256', 'sha256', PBKDF2_ITERATIONS),
  pbkdf2Hasher('pbkdf2_sha1', 'sha1', PBKDF2_ITERATIONS),
  argon2Hasher(),
  bcryptHasher('bcrypt_sha256'),
  bcryptHasher('bcrypt'),
  scryptHasher(),
  md5Hasher(),
]

/** Names of every hasher Backplane has, for an alias's `hashers` option (Django's PASSWORD_HASHERS). */
export const HASHER_NAMES: readonly string[] = HASHERS.map((h) => h.algorithm)

/**
 * Django's default PASSWORD_HASHERS, by algorithm name: the first makes new hashes, all of them verify.
 * bcrypt and md5 are not in it, as in Django: a project whose users have such hashes lists them in its
 * settings, and its alias's `hashers` option says the same.
 */
export const DEFAULT_HASHERS: readonly string[] = ['pbkdf2_sha256', 'pbkdf2_sha1', 'argon2', 'bcrypt_sha256', 'scrypt']

const byName = new Map(HASHERS.map((h) => [h.algorithm, h]))
const known = () => `Known: ${HASHER_NAMES.join(', ')}.`

/** A name fit to repeat in a message: an identifier. Anything else may be a plain-text password stored as a "hash". */
export function quotable(name: string): string | undefined {
  return /^[a-z][a-z0-9_]{0,39}$/.test(name) ? name : undefined
}

/**
 * The hashers named, in order (Django's PASSWORD_HASHERS), checked as an alias's `hashers` option is:
 * an unknown name is E_UNKNOWN_HASHER, an empty list or a verify-only hasher (md5) first is E_INVALID_INPUT.
 */
export function resolveHashers(names: readonly string[] = DEFAULT_HASHERS): PasswordHasher[] {
  if (names.length === 0) throw new BackplaneError(ErrorCode.E_INVALID_INPUT, 'The hashers list is empty.', { hint: `Name at least one; the first makes new hashes. ${known()}` })
  const hashers = names.map((name) => {
    const hasher = byName.get(name)
    if (!hasher) {
      const shown = quotable(name)
      throw new BackplaneError(ErrorCode.E_UNKNOWN_HASHER, shown ? `Unknown password hasher "${shown}".` : 'Unknown password hasher in the list.', { hint: known() })
    }
    return hasher
  })
  const first = hashers[0]!
  if (!first.encodes) {
    throw new BackplaneError(ErrorCode.E_INVALID_INPUT, `${first.algorithm} can only verify legacy hashes; it cannot be the first (preferred) hasher.`, {
      hint: `Put a hasher for new passwords first (pbkdf2_sha256, as Django), and keep ${first.algorithm} after it so that old hashes still verify and are upgraded on login.`,
    })
  }
  return hashers
}

/** The algorithm a hash names, as Django's identify_hasher() reads it (including its two unsalted legacy forms). */
export function algorithmOf(encoded: string): string {
  if ((encoded.length === 32 && !encoded.includes('$')) || (encoded.length === 37 && encoded.startsWith('md5$$'))) return 'unsalted_md5'
  if (encoded.length === 46 && encoded.startsWith('sha1$$')) return 'unsalted_sha1'
  return encoded.split('$', 1)[0] ?? ''
}

/** The hasher of a hash among those listed; E_UNKNOWN_HASHER, saying why, when there is none. */
export function hasherFor(encoded: string, hashers: readonly string[] = DEFAULT_HASHERS): PasswordHasher {
  const listed = resolveHashers(hashers)
  const algorithm = algorithmOf(encoded)
  const hasher = listed.find((h) => h.algorithm === algorithm)
  if (hasher) return hasher
  const shown = quotable(algorithm)
  if (byName.has(algorithm)) {
    throw new BackplaneError(ErrorCode.E_UNKNOWN_HASHER, `The hash was made by ${algorithm}, which is not one of this alias's hashers (${hashers.join(', ')}).`, {
      hint: `Django refuses such a login too. Add "${algorithm}" to the alias's hashers option (Django's PASSWORD_HASHERS), after the preferred one.`,
    })
  }
  if (!encoded.includes('$') && algorithm !== 'unsalted_md5') {
    throw new BackplaneError(ErrorCode.E_UNKNOWN_HASHER, 'The stored password is not a Django hash (it has no "algorithm$" prefix).', {
      hint: 'Set the password again; a plain-text value in the password column is never accepted, as in Django.',
    })
  }
  throw new BackplaneError(ErrorCode.E_UNKNOWN_HASHER, shown ? `Unknown password hash algorithm "${shown}".` : 'Unknown password hash algorithm.', {
    hint: `${shown?.startsWith('unsalted_') || shown === 'sha1' || shown === 'crypt' ? 'Django 5.1 removed this hasher and Backplane does not verify it: set the password again. ' : ''}${known()}`,
  })
}
