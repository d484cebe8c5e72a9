/**
 * The value model's tags: objects of exactly one `$` key that stand for the Python types JSON lacks
 * (docs/cache.md, "Values"). `$class` is the reader's: an object shown, never written.
 */
import { BackplaneError, ErrorCode } from '../../../core/errors'

export const VALUE_TAGS = [
  '$int',
  '$float',
  '$bytes',
  '$bytearray',
  '$tuple',
  '$set',
  '$frozenset',
  '$dict',
  '$datetime',
  '$date',
  '$time',
  '$timedelta',
  '$decimal',
  '$uuid',
] as const
export type ValueTag = (typeof VALUE_TAGS)[number]

const TAG_SET: ReadonlySet<string> = new Set(VALUE_TAGS)

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false
  const proto = Object.getPrototypeOf(value) as unknown
  return proto === Object.prototype || proto === null
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/

/** The bytes of a `$bytes`/`$bytearray` text; Buffer.from alone would skip what is not base64 without a word. */
export function base64Bytes(text: unknown): Buffer | undefined {
  return typeof text === 'string' && BASE64.test(text) ? Buffer.from(text, 'base64') : undefined
}

export function invalid(message: string, hint?: string): BackplaneError {
  return new BackplaneError(ErrorCode.E_INVALID_INPUT, message, hint === undefined ? {} : { hint })
}

/**
 * The tag of an object that is one, undefined for a plain dict (no key starts with `$`); anything
 * between (a `$class`, an unknown `$` key, a tag beside other keys) is refused.
 */
export function tagOf(object: Record<string, unknown>): { tag: ValueTag; value: unknown } | undefined {
  const keys = Object.keys(object)
  if (!keys.some((key) => key.startsWith('$'))) return undefined
  if ('$class' in object) {
    throw invalid(`A Python object (${String(object.$class)}) cannot be written: Backplane shows such objects but never makes them.`, 'Write the value as JSON and tagged types only, or let the application set it.')
  }
  const [tag] = keys
  if (keys.length === 1 && tag !== undefined && TAG_SET.has(tag)) return { tag: tag as ValueTag, value: object[tag] }
  throw invalid(
    `${JSON.stringify(keys.slice(0, 5))} is neither a dict nor one of the tags ${VALUE_TAGS.join(', ')}.`,
    'A tag is an object with exactly one key. For a dict with keys starting with "$", use {"$dict": [[k, v]]}.',
  )
}
