/**
 * The bytes of a pickle and the arguments its opcodes carry (pickletools' ArgumentDescriptors): fixed-size
 * ints, lengths that must fit in what is left, protocol 0's lines of text. Running out is E_CACHE_CORRUPT.
 */
import { VALUE_LIMITS, corrupt, tooLarge } from './limits'
import { decodeStringEscapes, decodeUtf8 } from './pickle-text'

export const TRUNCATED_HINT = 'The stored bytes end before the pickle does: the entry was cut short. Delete it and let the application set it again.'

const INT_LINE = /^\s*[+-]?\d+\s*$/
const FLOAT_LINE = /^\s*[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?|nan|inf|infinity)\s*$/i
/** LONG1/LONG4 bytes that print as more than VALUE_LIMITS.intDigits digits. */
const MAX_LONG_BYTES = Math.ceil((VALUE_LIMITS.intDigits * Math.log2(10)) / 8)

export class PickleInput {
  constructor(
    readonly data: Buffer,
    public pos: number,
  ) {}

  /** Moves past `length` bytes of argument and answers where they start. */
  skip(length: number): number {
    const start = this.pos
    if (start + length > this.data.length) throw corrupt(`The pickle ends inside an opcode (at byte ${this.data.length}, ${start + length - this.data.length} bytes short).`, TRUNCATED_HINT)
    this.pos = start + length
    return start
  }

  take(length: number): Buffer {
    const start = this.skip(length)
    return this.data.subarray(start, start + length)
  }

  u8(): number {
    return this.data[this.skip(1)] as number
  }

  /** A length of 4 or 8 bytes (take() then checks it against what is left). */
  size(width: 4 | 8, opcode: string): number {
    const start = this.skip(width)
    const size = width === 4 ? this.data.readInt32LE(start) : Number(this.data.readBigUInt64LE(start))
    if (size < 0) throw corrupt(`${opcode} has a negative length.`)
    return size
  }

  /** Protocol 0's arguments: text up to a newline. */
  line(): Buffer {
    const end = this.data.indexOf(0x0a, this.pos)
    if (end < 0) throw corrupt('The pickle ends inside a line of text (protocol 0).', TRUNCATED_HINT)
    const line = this.data.subarray(this.pos, end)
    this.pos = end + 1
    return line
  }

  /** `length` bytes of UTF-8 (with Python's surrogatepass), read straight from the input: most pickles are mostly short strings. */
  utf8(length: number, at: number): string {
    const start = this.skip(length)
    const fast = this.data.toString('utf8', start, start + length)
    if (!fast.includes('\uFFFD')) return fast
    const text = decodeUtf8(this.data.subarray(start, start + length))
    if (text === undefined) throw corrupt(`The text at byte ${at} is not UTF-8.`)
    return text
  }

  /** LONG1/LONG4: little-endian two's complement. */
  long(length: number): number | bigint {
    if (length > MAX_LONG_BYTES) throw tooLarge(`The pickle holds an integer of ${length} bytes.`)
    const bytes = this.take(length)
    if (length === 0) return 0
    let hex = ''
    for (let i = length - 1; i >= 0; i--) hex += (bytes[i] as number).toString(16).padStart(2, '0')
    let value = BigInt(`0x${hex}`)
    if ((bytes[length - 1] as number) & 0x80) value -= 1n << BigInt(length * 8)
    return safeInt(value)
  }

  /** FLOAT's line, as Python's float() reads it (repr() writes nan and inf by name). */
  floatLine(at: number): number {
    const line = this.line().toString('latin1')
    if (!FLOAT_LINE.test(line)) throw corrupt(`FLOAT at byte ${at} holds ${JSON.stringify(line.slice(0, 40))}, not a number.`)
    const word = line.trim().toLowerCase().replace(/^\+/, '')
    if (word.endsWith('nan')) return NaN
    if (word.endsWith('inf') || word.endsWith('infinity')) return word.startsWith('-') ? -Infinity : Infinity
    return Number(word)
  }

  memoIndex(at: number): number {
    const text = this.line().toString('latin1')
    if (!/^\d{1,10}$/.test(text)) throw corrupt(`A memo opcode at byte ${at} has the index ${JSON.stringify(text.slice(0, 40))}.`)
    return Number(text)
  }

  className(at: number): string {
    const name = decodeUtf8(this.line())
    if (!name) throw corrupt(`GLOBAL or INST at byte ${at} names no class.`)
    return name
  }

  /** STRING's line: a Python 2 str quoted and escaped as repr() writes it. */
  quoted(at: number): Buffer {
    const line = this.line()
    const quote = line[0]
    const inner = line.length >= 2 && (quote === 0x27 || quote === 0x22) && line[line.length - 1] === quote ? decodeStringEscapes(line.subarray(1, -1)) : undefined
    if (!inner) throw corrupt(`STRING at byte ${at} is not a quoted string.`)
    return inner
  }
}

/** INT and LONG's decimal text. */
export function decimalInt(line: string): number | bigint {
  if (!INT_LINE.test(line)) throw corrupt(`An INT or LONG holds ${JSON.stringify(line.slice(0, 40))}, not an integer.`)
  const digits = line.trim()
  if (digits.length <= 15) return Number(digits)
  if (digits.replace(/^[+-]/, '').length > VALUE_LIMITS.intDigits) throw tooLarge(`The pickle holds an integer of ${digits.length} digits.`)
  return safeInt(BigInt(digits))
}

/** Ints are JS numbers when they are safe integers, bigints beyond. */
function safeInt(value: bigint): number | bigint {
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value
}
