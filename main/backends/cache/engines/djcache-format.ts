import { createHash } from 'node:crypto'
import { promisify } from 'node:util'
import { deflate, inflate } from 'node:zlib'
import { BackplaneError, ErrorCode } from '../../../core/errors'
import { VALUE_LIMITS } from '../codec'

/**
 * The bytes of one Django FileBasedCache entry: pickle.dumps(expiry) — epoch seconds as a float, or
 * None — followed by zlib.compress(pickle.dumps(value)) (django/core/cache/backends/filebased.py,
 * _write_content). The expiry is read here, without the value codec: Django reads it first, alone,
 * to decide whether the entry is expired before it decompresses anything.
 */

export const DJCACHE_SUFFIX = '.djcache'

/** The names Django gives entries, `md5(stored key).djcache`: the only files this engine lists, culls or deletes. */
export const DJCACHE_NAME = /^[0-9a-f]{32}\.djcache$/

/** Django's _key_to_file(): md5 of the stored key's UTF-8, in hex, with the suffix. */
export function djcacheName(storedKey: string): string {
  return createHash('md5').update(storedKey, 'utf8').digest('hex') + DJCACHE_SUFFIX
}

/** A file whose bytes are not an entry; `reason` says what is wrong, for the error's message. */
export class DjcacheDamaged extends Error {
  constructor(readonly reason: string) {
    super(reason)
    this.name = 'DjcacheDamaged'
  }
}

// Pickle opcodes an expiry can be written with (Lib/pickle.py): Django writes a float or None with
// HIGHEST_PROTOCOL, which frames the float; the integer forms are read too, in case another writer used one.
const PROTO = 0x80
const FRAME = 0x95
const BINFLOAT = 0x47 // 'G'
const NONE = 0x4e // 'N'
const BININT = 0x4a // 'J'
const BININT1 = 0x4b // 'K'
const BININT2 = 0x4d // 'M'
const STOP = 0x2e // '.'

/** Bytes identical to Python's pickle.dumps(expiry, 5), as Django 3.2 on Python 3.8+ writes them. */
export function encodeExpiry(expiry: number | null): Buffer {
  if (expiry === null) return Buffer.from([PROTO, 5, NONE, STOP])
  const bytes = Buffer.alloc(21)
  bytes[0] = PROTO
  bytes[1] = 5
  bytes[2] = FRAME
  bytes.writeBigUInt64LE(10n, 3) // the frame: 'G', 8 bytes, '.'
  bytes[11] = BINFLOAT
  bytes.writeDoubleBE(expiry, 12)
  bytes[20] = STOP
  return bytes
}

export interface DjcacheHeader {
  /** Epoch seconds, or null when the entry never expires. */
  expiry: number | null
  /** Where the compressed value starts. */
  payloadOffset: number
}

/** Bytes enough for any expiry header Django writes (21) with room to spare: what a header-only read asks for. */
export const HEADER_BYTES = 64

/**
 * The expiry at the start of a file, or undefined for an empty file (which Django counts as expired).
 * Throws DjcacheDamaged for anything else that is not a pickled number or None.
 */
export function readHeader(bytes: Uint8Array): DjcacheHeader | undefined {
  if (bytes.length === 0) return undefined
  const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  let at = 0
  const need = (n: number) => {
    if (at + n > data.length) throw new DjcacheDamaged('the file ends inside its expiry (truncated)')
  }
  need(1)
  if (data[at] === PROTO) at += 2
  need(1)
  if (data[at] === FRAME) at += 9
  need(1)
  let expiry: number | null
  const opcode = data[at++]
  switch (opcode) {
    case BINFLOAT:
      need(8)
      expiry = data.readDoubleBE(at)
      at += 8
      break
    case NONE:
      expiry = null
      break
    case BININT:
      need(4)
      expiry = data.readInt32LE(at)
      at += 4
      break
    case BININT1:
      need(1)
      expiry = data[at]!
      at += 1
      break
    case BININT2:
      need(2)
      expiry = data.readUInt16LE(at)
      at += 2
      break
    default:
      throw new DjcacheDamaged(`it does not start with a pickled expiry (opcode 0x${(opcode ?? 0).toString(16).padStart(2, '0')})`)
  }
  need(1)
  if (data[at] !== STOP) throw new DjcacheDamaged('its expiry pickle does not end where it should')
  return { expiry, payloadOffset: at + 1 }
}

/** Django's _is_expired(): an expiry in the past (None never expires). */
export function isExpired(header: DjcacheHeader | undefined, nowMs = Date.now()): boolean {
  if (!header) return true
  return header.expiry !== null && header.expiry < nowMs / 1000
}

const deflateAsync = promisify(deflate)
const inflateAsync = promisify(inflate)

/**
 * A decompressed value larger than this is refused rather than held in memory (a "zip bomb" in a shared
 * folder): the codec's own bound, so inflating stops there instead of going on to hundreds of megabytes
 * (seconds, and their memory) that the codec would refuse anyway.
 */
export const MAX_VALUE_BYTES = VALUE_LIMITS.inputBytes

/** The whole file: the expiry, then the pickled value compressed in zlib's format (Python's zlib.compress, level 6). */
export async function encodeDjcache(expiry: number | null, pickled: Uint8Array): Promise<Buffer> {
  return Buffer.concat([encodeExpiry(expiry), await deflateAsync(pickled)])
}

/** The pickled value of a file whose header was read; DjcacheDamaged when the compressed part is not whole. */
export async function inflatePayload(bytes: Uint8Array, header: DjcacheHeader): Promise<Buffer> {
  try {
    return await inflateAsync(bytes.subarray(header.payloadOffset), { maxOutputLength: MAX_VALUE_BYTES })
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'ERR_BUFFER_TOO_LARGE') {
      // Not damaged: too large to read here, as the codec says of any value past its bound.
      throw new BackplaneError(ErrorCode.E_TOO_LARGE, `The value is larger than ${MAX_VALUE_BYTES} bytes uncompressed; Backplane reads at most that.`, {
        hint: 'Read it with Python, or delete the key and let the application set it again.',
      })
    }
    throw new DjcacheDamaged(code === 'Z_BUF_ERROR' ? 'its compressed value is cut short (truncated)' : `its compressed value is damaged (${(err as Error).message})`)
  }
}

/** The compressed value with a new expiry in front: touch() rewrites the header and keeps the value's bytes. */
export function withExpiry(bytes: Uint8Array, header: DjcacheHeader, expiry: number | null): Buffer {
  return Buffer.concat([encodeExpiry(expiry), bytes.subarray(header.payloadOffset)])
}
