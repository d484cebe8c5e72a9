/**
 * How each engine family stores values, for each serializer:
 * - Redis as Django 4's RedisCache (RedisSerializer) and django-redis's DefaultClient do: `type(v) is int`
 *   as its digits, everything else pickled (django-redis: pickle.DEFAULT_PROTOCOL, 4; Django: HIGHEST, 5);
 * - Memcached as pymemcache's serde (Django's PyMemcacheCache uses pymemcache.serde.pickle_serde): bytes
 *   as they are, str as UTF-8, int as digits, the rest pickled, each with its flag;
 * - pickle only, as Django's file and database caches (their framing, zlib and base64, is the engine's);
 * - `json`, for apps that are not Django: the value's JSON as UTF-8 text.
 */
import { inflateSync } from 'node:zlib'
import { z } from 'zod'
import { BackplaneError, ErrorCode } from '../../../core/errors'
import { MAX_RAW_BYTES, type CacheEntryDetail, type CacheValue } from '../base'
import { VALUE_LIMITS, corrupt, tooLarge } from './limits'
import { hasPickleHeader, readPickle } from './pickle-read'
import { writePickle } from './pickle-write'
import { parsePythonInt, pythonIntDigits } from './python-int'
import type { DecodedValue, SerializerName, StoredValue, ValueCodec } from './types'
import { base64Bytes, invalid, isPlainObject } from './value-tags'

export const serializerOption = z
  .enum(['django', 'json'])
  .default('django')
  .describe(
    'How values are stored. "django": as a Django app stores them, so both can read each other\'s entries (integers as digits, everything else pickled; on Memcached with pymemcache\'s flags). "json": as JSON text, for apps that are not Django.',
  )

/** pymemcache/serde.py; FLAG_COMPRESSED is python-memcached's zlib flag, which pymemcache only reserves. */
export const MEMCACHED_FLAGS = { BYTES: 0, PICKLE: 1 << 0, INTEGER: 1 << 1, LONG: 1 << 2, COMPRESSED: 1 << 3, TEXT: 1 << 4 } as const

export type CodecFamily = 'redis' | 'memcached' | 'pickle'

export function valueCodec(family: CodecFamily, serializer: SerializerName): ValueCodec {
  if (serializer === 'json') return family === 'memcached' ? memcachedJsonCodec : jsonCodec
  return { redis: redisCodec, memcached: memcachedCodec, pickle: pickleCodec }[family]
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true })

function utf8(bytes: Uint8Array): string | undefined {
  try {
    return strictUtf8.decode(bytes)
  } catch {
    return undefined
  }
}

/** What a server holds that no serializer wrote: text when it is UTF-8, else bytes. */
function textOrBytes(bytes: Uint8Array): DecodedValue {
  const text = utf8(bytes)
  if (text !== undefined) return { value: text, encoding: 'text' }
  return { value: { $bytes: Buffer.from(bytes).toString('base64') }, encoding: 'bytes' }
}

function pickled(read: { value: CacheValue; opaque: boolean }): DecodedValue {
  return read.opaque ? { value: read.value, encoding: 'pickle', opaque: true } : { value: read.value, encoding: 'pickle' }
}

/** The bytes of a `{ $bytes }`, which pymemcache stores as they are (flags 0). */
function bytesOf(value: CacheValue): Buffer | undefined {
  if (!isPlainObject(value) || Object.keys(value).length !== 1 || !('$bytes' in value)) return undefined
  const bytes = base64Bytes(value.$bytes)
  if (!bytes) throw invalid(`{"$bytes": …} takes base64 text.`)
  return bytes
}

export const pickleCodec: ValueCodec = {
  serializer: 'django',
  encode: (value) => ({ bytes: writePickle(value) }),
  /** Every value is a pickle here, so bytes that are not one are E_CACHE_CORRUPT. */
  decode: (stored) => pickled(readPickle(stored.bytes)),
}

export const redisCodec: ValueCodec = {
  serializer: 'django',
  encode(value) {
    const digits = pythonIntDigits(value)
    return { bytes: digits === undefined ? writePickle(value) : Buffer.from(digits, 'latin1') }
  },
  /** As Django: int() first, then a pickle; what is neither is another app's text or bytes. A damaged pickle is E_CACHE_CORRUPT. */
  decode({ bytes }) {
    // A pickle first: its 0x80 is never the start of int() text, and most entries are pickles.
    if (hasPickleHeader(bytes)) return pickled(readPickle(bytes))
    const int = parsePythonInt(bytes)
    if (int !== undefined) return { value: int, encoding: 'int' }
    const inflated = zlibPickle(bytes)
    if (inflated) return pickled(readPickle(inflated))
    // Protocols 0 and 1 have no header (PICKLE_VERSION can ask for them): a value that is exactly one pickle is one.
    if (bytes[bytes.length - 1] === 0x2e) {
      try {
        const read = readPickle(bytes)
        if (read.end === bytes.length) return pickled(read)
      } catch (error) {
        if (!(error instanceof BackplaneError)) throw error
      }
    }
    return textOrBytes(bytes)
  },
}

/** django-redis's COMPRESSOR = ZlibCompressor: a zlib stream (0x78 …) around the pickle. Its other compressors (lzma, lz4, zstd) are not read. */
function zlibPickle(bytes: Uint8Array): Buffer | undefined {
  if (bytes[0] !== 0x78 || ((bytes[0] << 8) | (bytes[1] ?? 0)) % 31 !== 0) return undefined
  try {
    const inflated = inflate(bytes)
    return hasPickleHeader(inflated) ? inflated : undefined
  } catch (error) {
    if (error instanceof BackplaneError && error.code === ErrorCode.E_CACHE_CORRUPT) return undefined
    throw error
  }
}

/** zlib.decompress within VALUE_LIMITS.inputBytes (a zlib bomb is E_TOO_LARGE, a broken stream E_CACHE_CORRUPT); the file cache needs it too. */
export function inflate(bytes: Uint8Array): Buffer {
  try {
    return inflateSync(bytes, { maxOutputLength: VALUE_LIMITS.inputBytes })
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge(`The value inflates to more than ${VALUE_LIMITS.inputBytes} bytes.`)
    throw corrupt('The value should be zlib-compressed but does not inflate.', 'It is damaged or cut short (on Memcached, another client may use flag 8 for its own purposes).')
  }
}

/** pymemcache's python_memcache_deserializer, flag by flag and in its order. */
function decodeByFlags(stored: StoredValue): DecodedValue {
  let flags = stored.flags ?? 0
  let bytes: Uint8Array = stored.bytes
  if (flags & MEMCACHED_FLAGS.COMPRESSED) {
    bytes = inflate(bytes)
    flags &= ~MEMCACHED_FLAGS.COMPRESSED
  }
  if (flags === 0) return { value: { $bytes: Buffer.from(bytes).toString('base64') }, encoding: 'bytes' }
  if (flags & MEMCACHED_FLAGS.TEXT) {
    const text = utf8(bytes)
    if (text === undefined) throw corrupt('The value is flagged as text (16) but is not UTF-8.')
    return { value: text, encoding: 'text' }
  }
  if (flags & (MEMCACHED_FLAGS.INTEGER | MEMCACHED_FLAGS.LONG)) {
    const int = parsePythonInt(bytes)
    if (int === undefined) throw corrupt(`The value is flagged as an integer (${flags}) but holds ${JSON.stringify(Buffer.from(bytes.subarray(0, 40)).toString('latin1'))}.`)
    return { value: int, encoding: 'int' }
  }
  if (flags & MEMCACHED_FLAGS.PICKLE) return pickled(readPickle(bytes))
  // Flags pymemcache does not know: it answers the bytes as they are.
  return { value: { $bytes: Buffer.from(bytes).toString('base64') }, encoding: 'bytes' }
}

export const memcachedCodec: ValueCodec = {
  serializer: 'django',
  /** pymemcache's python_memcache_serializer: by exact type, so bool is pickled. */
  encode(value) {
    const raw = bytesOf(value)
    if (raw) return { bytes: raw, flags: MEMCACHED_FLAGS.BYTES }
    if (typeof value === 'string') return { bytes: Buffer.from(value, 'utf8'), flags: MEMCACHED_FLAGS.TEXT }
    const digits = pythonIntDigits(value)
    if (digits !== undefined) return { bytes: Buffer.from(digits, 'latin1'), flags: MEMCACHED_FLAGS.INTEGER }
    return { bytes: writePickle(value), flags: MEMCACHED_FLAGS.PICKLE }
  },
  decode: decodeByFlags,
}

function jsonText(value: CacheValue): Buffer {
  let text: string | undefined
  try {
    text = JSON.stringify(value)
  } catch (error) {
    throw invalid(`The value cannot be written as JSON: ${error instanceof Error ? error.message : String(error)}.`)
  }
  if (text === undefined) throw invalid('The value cannot be written as JSON.')
  return Buffer.from(text, 'utf8')
}

/** How deep JSON text nests, counted without parsing it; JSON.stringify, which the API answers with, recurses that deep. */
function nestsWithin(text: string, max: number): boolean {
  let depth = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 0x5c) i++
      else if (c === 0x22) inString = false
    } else if (c === 0x22) inString = true
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return false
    } else if (c === 0x5d || c === 0x7d) depth--
  }
  return true
}

const BIG_INT_JSON = /^\s*-?\d{16,}\s*$/

function decodeJson(bytes: Uint8Array): DecodedValue {
  const text = utf8(bytes)
  if (text === undefined) return textOrBytes(bytes)
  if (nestsWithin(text, VALUE_LIMITS.depth)) {
    try {
      const value: unknown = JSON.parse(text)
      // JSON.parse would round a long integer to the nearest double.
      if (typeof value === 'number' && !Number.isSafeInteger(value) && BIG_INT_JSON.test(text)) return { value: { $int: BigInt(text.trim()).toString() }, encoding: 'json' }
      return { value, encoding: 'json' }
    } catch {
      // Not JSON: text.
    }
  }
  return { value: text, encoding: 'text' }
}

export const jsonCodec: ValueCodec = {
  serializer: 'json',
  encode: (value) => ({ bytes: jsonText(value) }),
  decode: ({ bytes }) => decodeJson(bytes),
}

export const memcachedJsonCodec: ValueCodec = {
  serializer: 'json',
  encode: (value) => ({ bytes: jsonText(value), flags: 0 }),
  /** Flags 0 is ours (JSON); a value with flags was set by a pymemcache client, and is read as it says. */
  decode: (stored) => (stored.flags ? decodeByFlags(stored) : decodeJson(stored.bytes)),
}

/** A decoded value for the key browser, which shows what it can: a damaged or oversized entry is its bytes (when few) and the reason. */
export interface InspectedValue extends DecodedValue {
  problem?: { code: string; message: string; hint?: string }
}

export function inspectValue(codec: ValueCodec, stored: StoredValue): InspectedValue {
  try {
    return codec.decode(stored)
  } catch (error) {
    return unreadable(error, stored.bytes)
  }
}

function unreadable(error: unknown, bytes: Buffer): InspectedValue {
  if (!(error instanceof BackplaneError) || (error.code !== ErrorCode.E_CACHE_CORRUPT && error.code !== ErrorCode.E_TOO_LARGE)) throw error
  const problem = error.hint === undefined ? { code: error.code, message: error.message } : { code: error.code, message: error.message, hint: error.hint }
  const value = bytes.length <= MAX_RAW_BYTES ? { $bytes: bytes.toString('base64') } : undefined
  return { value, encoding: 'bytes', problem }
}

/** What the key browser shows of an entry's bytes, however the engine reads them. */
export type StoredDetail = Pick<CacheEntryDetail, 'encoding' | 'value' | 'opaque' | 'problem' | 'raw' | 'rawTruncated'>

/**
 * The stored bytes (at most MAX_RAW_BYTES) beside the value `read` makes of them; a damaged or oversized
 * entry is shown as its bytes with the reason, so it can still be looked at and deleted.
 */
export async function storedDetail(bytes: Buffer, read: () => DecodedValue | Promise<DecodedValue>): Promise<StoredDetail> {
  let decoded: InspectedValue
  try {
    decoded = await read()
  } catch (error) {
    decoded = unreadable(error, bytes)
  }
  return {
    encoding: decoded.encoding,
    ...(decoded.value === undefined ? {} : { value: decoded.value }),
    ...(decoded.opaque ? { opaque: true } : {}),
    ...(decoded.problem ? { problem: decoded.problem } : {}),
    raw: bytes.subarray(0, MAX_RAW_BYTES).toString('base64'),
    ...(bytes.length > MAX_RAW_BYTES ? { rawTruncated: true } : {}),
  }
}
