import { BackplaneError, ErrorCode } from '../../../core/errors'
import type { PasswordHasher } from './hasher'
import { pbkdf2Hasher } from './pbkdf2'
import { randomString } from './random-string'

export type { PasswordHasher } from './hasher'

// Django 5.2's iteration count for PBKDF2-SHA256 (it grows every release; older hashes still verify
// and are reported as needing an update).
export const PBKDF2_ITERATIONS = 1_000_000

/** Django's PASSWORD_HASHERS order: the first encodes new passwords, all of them verify. */
export const HASHERS: readonly PasswordHasher[] = [
  pbkdf2Hasher('pbkdf2_sha256', 'sha256', PBKDF2_ITERATIONS),
  pbkdf2Hasher('pbkdf2_sha1', 'sha1', PBKDF2_ITERATIONS),
]

/** Django's UNUSABLE_PASSWORD_PREFIX: set_unusable_password() stores "!" and 40 random characters. */
const UNUSABLE_PREFIX = '!'

/** Django's set_unusable_password(). */
export function unusablePassword(): string {
  return UNUSABLE_PREFIX + randomString(40)
}

export function isPasswordUsable(encoded: string | null | undefined): boolean {
  return !!encoded && !encoded.startsWith(UNUSABLE_PREFIX)
}

export function hasherFor(encoded: string): PasswordHasher {
  const algorithm = encoded.split('$', 1)[0] ?? ''
  const hasher = HASHERS.find((h) => h.algorithm === algorithm)
  if (!hasher) {
    throw new BackplaneError(ErrorCode.E_UNKNOWN_HASHER, `Unknown password hash algorithm "${algorithm}".`, {
      hint: `Known: ${HASHERS.map((h) => h.algorithm).join(', ')}.`,
    })
  }
  return hasher
}

/** Names of every hasher Backplane has, for an alias's `hashers` option (Django's PASSWORD_HASHERS). */
export const HASHER_NAMES: readonly string[] = HASHERS.map((h) => h.algorithm)
/** Django's default PASSWORD_HASHERS, by algorithm name: the first makes new hashes. */
export const DEFAULT_HASHERS: readonly string[] = HASHER_NAMES

/** The hashers named, in order (Django's PASSWORD_HASHERS); unknown names are refused. */
function hashersNamed(names: readonly string[] = DEFAULT_HASHERS): PasswordHasher[] {
  return names.map((name) => {
    const h = HASHERS.find((x) => x.algorithm === name)
    if (!h) throw new BackplaneError(ErrorCode.E_UNKNOWN_HASHER, `Unknown password hasher "${name}".`, { hint: `Known: ${HASHER_NAMES.join(', ')}.` })
    return h
  })
}

/** Django's make_password() with the preferred (first) hasher of the list. */
export function makePassword(password: string, hashers?: readonly string[]): Promise<string> {
  return hashersNamed(hashers)[0]!.encode(password)
}

/** Django's check_password(): whether it matches, and whether the stored hash should be replaced. */
export async function checkPassword(password: string, encoded: string | null | undefined, hashers?: readonly string[]): Promise<{ ok: boolean; mustUpdate: boolean }> {
  if (!isPasswordUsable(encoded)) return { ok: false, mustUpdate: false }
  const hasher = hasherFor(encoded!)
  const ok = await hasher.verify(password, encoded!)
  const preferred = hashersNamed(hashers)[0]!
  return { ok, mustUpdate: ok && (hasher !== preferred || preferred.mustUpdate(encoded!)) }
}
