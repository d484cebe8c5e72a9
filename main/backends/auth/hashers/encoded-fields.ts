import { timingSafeEqual } from 'node:crypto'
import { BackplaneError, ErrorCode } from '../../../core/errors'

/** Django's password column is varchar(128); a hash ten times that long is not one. */
export const MAX_ENCODED_LENGTH = 1024

/** E_BAD_HASH naming what is wrong; the hash itself is never quoted (it may be pasted from a real database). */
export function badHash(algorithm: string, problem: string): BackplaneError {
  return new BackplaneError(ErrorCode.E_BAD_HASH, `Malformed ${algorithm} hash: ${problem}.`, {
    hint: 'The stored hash is not one Django would make or accept: set the password again (or paste the whole hash).',
    details: { algorithm, problem },
  })
}

/** Error codes of node:crypto and @node-rs (napi) when they refuse a hashing parameter. */
const PARAMETER_ERROR = /^(ERR_CRYPTO_|ERR_OUT_OF_RANGE$|ERR_INVALID_ARG_|InvalidArg$)/

/**
 * For `.catch()` on a hash of a stored hash's parameters: when the hashing library refuses them (a
 * combination the parser let through, such as scrypt's N ≥ 2^(16·r)), the hash is at fault, not the
 * server: E_BAD_HASH rather than E_INTERNAL. Any other error passes through unchanged.
 */
export function refusedParameters(algorithm: string): (err: unknown) => never {
  return (err) => {
    const code = (err as { code?: unknown } | null)?.code
    if (typeof code === 'string' && PARAMETER_ERROR.test(code)) {
      // The library's message names the parameter, never the password (which is not part of any check).
      throw badHash(algorithm, `the hashing library refuses its parameters (${String((err as Error).message).slice(0, 120)})`)
    }
    throw err
  }
}

/** The `$`-separated fields of a hash, exactly `count` of them (Django's split with a maxsplit, then unpacking). */
export function splitFields(algorithm: string, encoded: string, count: number, shape: string): string[] {
  if (encoded.length > MAX_ENCODED_LENGTH) throw badHash(algorithm, `${encoded.length} characters, longer than any Django hash (at most ${MAX_ENCODED_LENGTH} are read)`)
  if (encoded.includes('\0')) throw badHash(algorithm, 'it contains a NUL character')
  const fields = encoded.split('$')
  if (fields.length !== count) throw badHash(algorithm, `expected ${count} "$"-separated fields (${shape}), found ${fields.length}`)
  if (fields[0] !== algorithm) throw badHash(algorithm, `it starts with "${fields[0]!.slice(0, 40)}", not "${algorithm}"`)
  return fields
}

/** A decimal cost parameter within [min, max]: the bound keeps a pasted hash from costing minutes of CPU. */
export function boundedInt(algorithm: string, name: string, text: string | undefined, min: number, max: number): number {
  if (text === undefined || !/^\d{1,16}$/.test(text)) throw badHash(algorithm, `${name} "${(text ?? '').slice(0, 20)}" is not a whole number`)
  const value = Number(text)
  if (value < min) throw badHash(algorithm, `${name} ${value} is below ${min}`)
  if (value > max) throw badHash(algorithm, `${name} ${value} is above ${max}, the most Backplane will spend on one check`)
  return value
}

/** Base64 (standard alphabet, padding optional) decoded strictly: Buffer.from() would skip bad characters silently. */
export function strictBase64(algorithm: string, name: string, text: string): Buffer {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.replace(/=+$/, '').length % 4 === 1) throw badHash(algorithm, `the ${name} is not base64`)
  return Buffer.from(text, 'base64')
}

/** Constant-time equality of two strings (Django's constant_time_compare). */
export function constantTimeEqual(a: string | Buffer, b: string | Buffer): boolean {
  const x = Buffer.isBuffer(a) ? a : Buffer.from(a)
  const y = Buffer.isBuffer(b) ? b : Buffer.from(b)
  // timingSafeEqual needs equal lengths; comparing x with itself keeps the time independent of where they differ.
  if (x.length !== y.length) return timingSafeEqual(x, x) && false
  return timingSafeEqual(x, y)
}
