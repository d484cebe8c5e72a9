/**
 * Ints kept as text: Django's Redis backends and pymemcache store `type(v) is int` as its digits (so
 * that the server's INCR works on them) and read them back with Python's int().
 */
import type { CacheValue } from '../base'
import { VALUE_LIMITS } from './limits'
import { isPlainObject } from './value-tags'

// int(b' -1_000\n'): ASCII whitespace around, a sign, underscores between digits.
const INT_TEXT = /^[ \t\n\r\v\f]*([+-]?\d+(?:_\d+)*)[ \t\n\r\v\f]*$/

/** What Python's int() makes of these bytes, or undefined where it raises ValueError (or would print more than 4300 digits). */
export function parsePythonInt(bytes: Uint8Array): CacheValue | undefined {
  if (bytes.length > VALUE_LIMITS.intDigits + 64) return undefined
  const match = INT_TEXT.exec(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1'))
  if (!match?.[1]) return undefined
  const digits = match[1].replaceAll('_', '')
  if (digits.replace(/^[+-]/, '').length > VALUE_LIMITS.intDigits) return undefined
  const value = BigInt(digits)
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : { $int: value.toString() }
}

/**
 * The digits of a value that is a Python int in the value model (a safe integer, or `{ $int }`), as
 * "%d" writes them; undefined for anything else, bool included (Django pickles bools).
 */
export function pythonIntDigits(value: CacheValue): string | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? String(value) : undefined
  if (typeof value === 'bigint') return value.toString()
  if (!isPlainObject(value)) return undefined
  const keys = Object.keys(value)
  const digits = value.$int
  if (keys.length !== 1 || typeof digits !== 'string' || !/^[+-]?\d+$/.test(digits) || digits.length > VALUE_LIMITS.intDigits + 1) return undefined
  return BigInt(digits).toString()
}
