/**
 * The commonest cache values without the pickle machine: a str, a small int, a float, a bool or None,
 * alone. Django pickles each string it caches as PROTO, FRAME (protocol 4 and up), SHORT_BINUNICODE
 * (or BINUNICODE), MEMOIZE, STOP; reading that through the general VM and the value model costs
 * microseconds, which on a Redis round trip of tens of microseconds is most of our overhead. Anything
 * else, and anything odd about these (a lone surrogate, a length past the end, bytes after the value),
 * answers undefined and goes the general way, which also words the errors.
 */
import type { CacheValue } from '../base'

/** The value and where the pickle ended, when it is one of the shapes read here. */
export interface FastPickle {
  value: CacheValue
  end: number
}

/** PROTO n, FRAME?, one scalar, MEMOIZE or BINPUT?, STOP; undefined for any other pickle. */
export function readScalarPickle(data: Buffer, offset: number): FastPickle | undefined {
  const length = data.length
  let pos = offset
  if (pos + 3 > length || data[pos] !== 0x80 || (data[pos + 1] as number) > 5) return undefined
  pos += 2
  if (data[pos] === 0x95) pos += 9 // FRAME and its 8-byte size: only a hint for buffered readers.
  if (pos >= length) return undefined
  const op = data[pos++] as number
  let value: CacheValue
  switch (op) {
    case 0x8c: // SHORT_BINUNICODE
    case 0x58: {
      // BINUNICODE
      let size: number
      if (op === 0x8c) {
        if (pos + 1 > length) return undefined
        size = data[pos++] as number
      } else {
        if (pos + 4 > length) return undefined
        size = data.readInt32LE(pos)
        pos += 4
      }
      if (size < 0 || pos + size > length) return undefined
      const text = data.toString('utf8', pos, pos + size)
      // U+FFFD: malformed UTF-8, or Python's surrogatepass; the VM tells which.
      if (text.includes('\uFFFD')) return undefined
      value = text
      pos += size
      if (data[pos] === 0x94) pos += 1 // MEMOIZE
      else if (data[pos] === 0x71) pos += 2 // BINPUT n
      break
    }
    case 0x4b: // BININT1
      if (pos + 1 > length) return undefined
      value = data[pos++] as number
      break
    case 0x4d: // BININT2
      if (pos + 2 > length) return undefined
      value = data.readUInt16LE(pos)
      pos += 2
      break
    case 0x4a: // BININT
      if (pos + 4 > length) return undefined
      value = data.readInt32LE(pos)
      pos += 4
      break
    case 0x47: {
      // BINFLOAT: NaN and the infinities are tagged in the value model.
      if (pos + 8 > length) return undefined
      const n = data.readDoubleBE(pos)
      if (!Number.isFinite(n)) return undefined
      value = n
      pos += 8
      break
    }
    case 0x88: // NEWTRUE
      value = true
      break
    case 0x89: // NEWFALSE
      value = false
      break
    case 0x4e: // NONE
      value = null
      break
    default:
      return undefined
  }
  if (pos >= length || data[pos] !== 0x2e) return undefined
  return { value, end: pos + 1 }
}

const SURROGATE = /[\uD800-\uDFFF]/

/** A protocol 4 pickle of `body` bytes between PROTO 4 and STOP, the body left for the caller to fill from offset 2. */
function framed(body: number): Buffer {
  const out = Buffer.allocUnsafe(2 + body + 1)
  out[0] = 0x80
  out[1] = 4
  out[out.length - 1] = 0x2e
  return out
}

/**
 * A str, bool, None, small int or float as the general writer (pickle-write.ts) writes it, byte for
 * byte, in one allocation; undefined for every other value. Text with surrogates (which Python writes
 * with surrogatepass) and ints beyond 32 bits go the general way.
 */
export function writeScalarPickle(value: CacheValue): Buffer | undefined {
  switch (typeof value) {
    case 'string': {
      if (SURROGATE.test(value)) return undefined
      const size = Buffer.byteLength(value)
      if (size >= 2 ** 31) return undefined
      // The opcode and its length: 1 byte of it (SHORT_BINUNICODE) or 4 (BINUNICODE).
      const head = size < 256 ? 2 : 5
      const out = framed(head + size)
      if (size < 256) {
        out[2] = 0x8c
        out[3] = size
      } else {
        out[2] = 0x58
        out.writeUInt32LE(size, 3)
      }
      out.write(value, 2 + head, 'utf8')
      return out
    }
    case 'number': {
      if (Number.isInteger(value) && Number.isSafeInteger(value)) {
        if (value >= 0 && value < 256) return Buffer.from([0x80, 4, 0x4b, value, 0x2e])
        if (value >= 0 && value < 65536) return Buffer.from([0x80, 4, 0x4d, value & 0xff, value >> 8, 0x2e])
        if (value < -(2 ** 31) || value >= 2 ** 31) return undefined
        const out = framed(5)
        out[2] = 0x4a
        out.writeInt32LE(value, 3)
        return out
      }
      const out = framed(9)
      out[2] = 0x47
      out.writeDoubleBE(value, 3)
      return out
    }
    case 'boolean':
      return Buffer.from([0x80, 4, value ? 0x88 : 0x89, 0x2e])
    default:
      return value === null ? Buffer.from([0x80, 4, 0x4e, 0x2e]) : undefined
  }
}
