import { resolveHashers, hasherFor } from './registry'
import { isPasswordUsable } from './unusable'

export type { DecodedHash, PasswordHasher } from './hasher'
export { inspectHash, type HashInspection } from './inspect'
export { COST_LIMITS } from './limits'
export { DEFAULT_HASHERS, HASHER_NAMES, HASHERS, PBKDF2_ITERATIONS, algorithmOf, hasherFor, resolveHashers } from './registry'
export { isPasswordUsable, unusablePassword } from './unusable'

/** Django's make_password() with the preferred (first) hasher of the list. */
export async function makePassword(password: string, hashers?: readonly string[]): Promise<string> {
  return resolveHashers(hashers)[0]!.encode(password)
}

/**
 * Django's check_password(): whether the password matches, and whether the stored hash should be
 * replaced (made by another hasher than the preferred one, or with weaker parameters). A hash of an
 * unknown or unlisted hasher is E_UNKNOWN_HASHER and a malformed one E_BAD_HASH, where Django answers
 * False: the login tester then says why.
 */
export async function checkPassword(password: string, encoded: string | null | undefined, hashers?: readonly string[]): Promise<{ ok: boolean; mustUpdate: boolean }> {
  if (!isPasswordUsable(encoded)) return { ok: false, mustUpdate: false }
  const preferred = resolveHashers(hashers)[0]!
  const hasher = hasherFor(encoded, hashers)
  const hasherChanged = hasher !== preferred
  const mustUpdate = hasherChanged || preferred.mustUpdate(encoded)
  const ok = await hasher.verify(password, encoded)
  // As Django: a wrong password on an outdated hash costs what a current one would.
  if (!ok && !hasherChanged && mustUpdate) await hasher.hardenRuntime(password, encoded)
  return { ok, mustUpdate: ok && mustUpdate }
}
