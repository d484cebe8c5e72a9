import { BackplaneError, ErrorCode } from '../../../core/errors'

/**
 * What a stored value may cost to read. Each bound keeps a hostile entry (another app's, or an
 * attacker's on a shared cache) from hanging the app, overflowing the stack or taking memory far
 * beyond its own size; real cache values stay far below all of them.
 */
export const VALUE_LIMITS = {
  /** Bytes of one stored value (and of a decompressed one). */
  inputBytes: 64 * 1024 * 1024,
  /** Containers inside containers, and MARKs inside MARKs. */
  depth: 1000,
  /** Values on the unpickler's stack and in its memo at once. */
  stack: 2_000_000,
  memo: 2_000_000,
  /** Containers and objects an unpickling may build (each costs far more memory than the opcode byte that made it). */
  nodes: 2_000_000,
  /** Python 3.11 will not print an int of more than 4300 digits either (sys.int_info.default_max_str_digits). */
  intDigits: 4300,
  /**
   * About how many characters the value's JSON may take, fixed part plus twice the input: shared
   * references (the memo) cost nothing in memory but are written out in full, so a "billion laughs"
   * pickle of a few hundred bytes would otherwise print exabytes.
   */
  outputChars: 32 * 1024 * 1024,
} as const

export function corrupt(message: string, hint?: string): BackplaneError {
  return new BackplaneError(ErrorCode.E_CACHE_CORRUPT, message, hint === undefined ? {} : { hint })
}

export function tooLarge(message: string, hint = 'Backplane reads values within fixed bounds so that no entry can hang it; read this one with Python.'): BackplaneError {
  return new BackplaneError(ErrorCode.E_TOO_LARGE, message, { hint })
}
