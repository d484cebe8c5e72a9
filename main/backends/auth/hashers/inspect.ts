import { BackplaneError, ErrorCode } from '../../../core/errors'
import { isPasswordUsable } from './unusable'
import { algorithmOf, HASHER_NAMES, HASHERS, quotable, resolveHashers } from './registry'
import { maskHash } from './salt'

/** What the hash inspector shows (the API's HashInspectionView). */
export interface HashInspection {
  algorithm: string
  known: boolean
  usable: boolean
  parameters: Record<string, string | number>
  salt: string | null
  hashMasked: string | null
  mustUpdate: boolean
  reasons: string[]
  preferred: string
  problem?: string
}

/**
 * Reads a Django password hash without verifying anything: its algorithm, parameters and salt, its
 * digest masked as Django's safe_summary() does, and whether logging in would re-hash it (Django's
 * check_password: another hasher than the preferred one, or the preferred one's must_update()).
 */
export function inspectHash(encoded: string, hashers?: readonly string[]): HashInspection {
  const listed = resolveHashers(hashers)
  const preferred = listed[0]!.algorithm
  const blank = { parameters: {}, salt: null, hashMasked: null, mustUpdate: false, reasons: [], preferred }
  if (!isPasswordUsable(encoded)) return { ...blank, algorithm: 'unusable', known: true, usable: false }

  const algorithm = algorithmOf(encoded)
  const shown = quotable(algorithm) ?? '(none)'
  const hasher = HASHERS.find((h) => h.algorithm === algorithm)
  if (!hasher) {
    const fields = encoded.includes('$') ? encoded.split('$').slice(1) : []
    const problem = !encoded.includes('$') && algorithm !== 'unsalted_md5'
      ? 'not a Django hash: it has no "algorithm$" prefix'
      : quotable(algorithm)
        ? `no hasher named "${algorithm}"; Backplane knows ${HASHER_NAMES.join(', ')}`
        : 'no algorithm name before the first "$"'
    return { ...blank, algorithm: shown, known: false, usable: true, hashMasked: fields.length ? maskHash(fields.at(-1)!) : null, problem }
  }

  let decoded
  try {
    decoded = hasher.decode(encoded)
  } catch (err) {
    if (!(err instanceof BackplaneError) || err.code !== ErrorCode.E_BAD_HASH) throw err
    return { ...blank, algorithm, known: true, usable: true, problem: err.message }
  }
  const view = {
    ...blank,
    algorithm,
    known: true,
    usable: true,
    parameters: decoded.parameters,
    salt: decoded.salt,
    hashMasked: maskHash(decoded.hash),
  }
  if (!listed.includes(hasher)) {
    return { ...view, problem: `${algorithm} is not one of the hashers (${listed.map((h) => h.algorithm).join(', ')}): Django refuses this login until it is added to PASSWORD_HASHERS` }
  }
  const reasons = hasher.algorithm !== preferred ? [`made by ${algorithm}; new passwords are made by ${preferred}`] : hasher.updateReasons(encoded)
  return { ...view, mustUpdate: reasons.length > 0, reasons }
}
