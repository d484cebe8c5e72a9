/**
 * The value model → a protocol 4 pickle (Python 3.4 and later load it) that pickle.loads turns into the
 * equal Python value. Objects reached twice are written once and referred to by the memo, as Python's
 * pickler does, so a value with shared parts stays its size. `$class` objects are refused: Backplane
 * never makes an object it only showed.
 */
import type { CacheValue } from '../base'
import { VALUE_LIMITS } from './limits'
import { writeScalarPickle } from './pickle-fast'
import { encodeUtf8 } from './pickle-text'
import { clockToState, dayToState, parseClock, parseDateTime, parseDay, splitTimedelta } from './python-time'
import { base64Bytes, invalid, isPlainObject, tagOf, type ValueTag } from './value-tags'

export function writePickle(value: CacheValue): Buffer {
  // A lone str or number (most cache entries): the same bytes, in one allocation.
  const scalar = writeScalarPickle(value)
  if (scalar) return scalar
  const writer = new PickleWriter()
  writer.op(0x80, 4) // PROTO 4
  writer.value(value, 0)
  writer.op(0x2e) // STOP
  return writer.bytes()
}

/** Python batches APPENDS and SETITEMS by 1000 (pickle._BATCHSIZE) so that the stack stays small on loading. */
const BATCH = 1000
const DIGITS = /^[+-]?\d+$/
const DECIMAL = /^[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?|inf(?:inity)?|s?nan\d*)$/i
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const MAX_TIMEDELTA_SECONDS = 999_999_999 * 86400

const HASHABLE_TAGS: ReadonlySet<ValueTag> = new Set(['$int', '$float', '$bytes', '$frozenset', '$datetime', '$date', '$time', '$timedelta', '$decimal', '$uuid'])

class PickleWriter {
  private buffer = Buffer.alloc(256)
  private length = 0
  private memoSize = 0
  private readonly memo = new Map<object, number>()
  private readonly globals = new Map<string, number>()

  bytes(): Buffer {
    return this.buffer.subarray(0, this.length)
  }

  op(...bytes: number[]): void {
    this.room(bytes.length)
    for (const byte of bytes) this.buffer[this.length++] = byte
  }

  private raw(data: Uint8Array): void {
    this.room(data.length)
    this.buffer.set(data, this.length)
    this.length += data.length
  }

  private room(extra: number): void {
    if (this.length + extra <= this.buffer.length) return
    const grown = Buffer.alloc(Math.max(this.buffer.length * 2, this.length + extra))
    this.buffer.copy(grown, 0, 0, this.length)
    this.buffer = grown
  }

  private sized(short: number, long: number, huge: number, data: Uint8Array): void {
    if (data.length < 256) this.op(short, data.length)
    else if (data.length < 2 ** 32) {
      this.op(long)
      this.u32(data.length)
    } else {
      this.op(huge)
      const size = Buffer.alloc(8)
      size.writeBigUInt64LE(BigInt(data.length))
      this.raw(size)
    }
    this.raw(data)
  }

  private u32(n: number): void {
    const bytes = Buffer.alloc(4)
    bytes.writeUInt32LE(n)
    this.raw(bytes)
  }

  value(value: CacheValue, depth: number): void {
    if (depth > VALUE_LIMITS.depth) throw invalid(`The value nests deeper than ${VALUE_LIMITS.depth} levels (or holds itself).`)
    if (value === null) return this.op(0x4e)
    if (value === true) return this.op(0x88)
    if (value === false) return this.op(0x89)
    if (typeof value === 'number') return Number.isSafeInteger(value) ? this.int(BigInt(value)) : this.float(value)
    if (typeof value === 'bigint') return this.int(value)
    if (typeof value === 'string') return this.sized(0x8c, 0x58, 0x8d, encodeUtf8(value))
    if (typeof value !== 'object') throw invalid(`A ${typeof value} is not a value the cache can hold.`)
    const seen = this.memo.get(value)
    if (seen !== undefined) return this.get(seen)
    if (Array.isArray(value)) return this.list(value, depth)
    if (!isPlainObject(value)) throw invalid(`A ${value.constructor?.name ?? 'non-JSON object'} is not a value the cache can hold.`, 'Send JSON, with tagged objects ({"$bytes": base64}, {"$datetime": ISO 8601}, …) for other Python types.')
    const tagged = tagOf(value)
    if (!tagged) return this.dict(Object.entries(value), value, depth)
    this.tagged(tagged.tag, tagged.value, value, depth)
    // dict() remembers its dict itself, before the items, so that they may refer to it.
    if (tagged.tag !== '$dict') this.remember(value)
  }

  private get(index: number): void {
    if (index < 256) this.op(0x68, index)
    else {
      this.op(0x6a)
      this.u32(index)
    }
  }

  private remember(object: object): void {
    this.op(0x94) // MEMOIZE
    this.memo.set(object, this.memoSize++)
  }

  private int(n: bigint): void {
    if (n >= 0n && n < 256n) return this.op(0x4b, Number(n))
    if (n >= 0n && n < 65536n) return this.op(0x4d, Number(n & 0xffn), Number(n >> 8n))
    if (n >= -(2n ** 31n) && n < 2n ** 31n) {
      const bytes = Buffer.alloc(4)
      bytes.writeInt32LE(Number(n))
      this.op(0x4a)
      return this.raw(bytes)
    }
    // LONG1/LONG4: little-endian two's complement in as few bytes as hold the sign (pickle.encode_long).
    const size = Math.floor((n < 0n ? -n - 1n : n).toString(2).length / 8) + 1
    const hex = (n < 0n ? (1n << BigInt(size * 8)) + n : n).toString(16).padStart(size * 2, '0')
    const bytes = Buffer.from(hex, 'hex').reverse()
    if (size < 256) this.op(0x8a, size)
    else {
      this.op(0x8b)
      this.u32(size)
    }
    this.raw(bytes)
  }

  private float(n: number): void {
    const bytes = Buffer.alloc(8)
    bytes.writeDoubleBE(n)
    this.op(0x47)
    this.raw(bytes)
  }

  private list(items: readonly CacheValue[], depth: number): void {
    this.op(0x5d) // EMPTY_LIST
    this.remember(items)
    this.batched(items.length, 0x61, 0x65, (i) => this.value(items[i], depth + 1))
  }

  private dict(entries: readonly (readonly [CacheValue, CacheValue])[], self: object, depth: number): void {
    this.op(0x7d) // EMPTY_DICT
    this.remember(self)
    this.batched(entries.length, 0x73, 0x75, (i) => {
      const [key, value] = entries[i] as readonly [CacheValue, CacheValue]
      this.key(key, 'A dict key', depth + 1)
      this.value(value, depth + 1)
    })
  }

  /** One item with `single` (APPEND, SETITEM), more between MARK and `many` (APPENDS, SETITEMS, ADDITEMS), a batch at a time. */
  private batched(count: number, single: number | undefined, many: number, write: (i: number) => void): void {
    for (let start = 0; start < count; start += BATCH) {
      const end = Math.min(count, start + BATCH)
      if (end - start === 1 && single !== undefined) {
        write(start)
        this.op(single)
        continue
      }
      this.op(0x28)
      for (let i = start; i < end; i++) write(i)
      this.op(many)
    }
  }

  /** A set member or dict key: Python only takes hashable ones, so a list there would fail in the app's pickle.loads. */
  private key(value: CacheValue, what: string, depth: number): void {
    if (!hashable(value, depth)) throw invalid(`${what} must be hashable in Python (str, number, bool, None, a tuple of those, …); ${JSON.stringify(value)?.slice(0, 60)} is not.`)
    this.value(value, depth)
  }

  private global(module: string, name: string): void {
    const id = `${module}.${name}`
    const seen = this.globals.get(id)
    if (seen !== undefined) return this.get(seen)
    this.value(module, 0)
    this.value(name, 0)
    this.op(0x93, 0x94) // STACK_GLOBAL, MEMOIZE
    this.globals.set(id, this.memoSize++)
  }

  /** `module.name(*args)`, as Python's own types pickle themselves (__reduce__): the callable, the arguments as a tuple, REDUCE. */
  private call(module: string, name: string, ...args: (() => void)[]): void {
    this.global(module, name)
    for (const arg of args) arg()
    this.op(args.length === 0 ? 0x29 : 0x84 + args.length, 0x52) // EMPTY_TUPLE or TUPLE1..3, REDUCE
  }

  private items(value: unknown, tag: string): readonly CacheValue[] {
    if (!Array.isArray(value)) throw invalid(`{"${tag}": …} takes an array.`)
    return value
  }

  /** Writes one tag's Python value; `self` is the tag object, for the memo. */
  private tagged(tag: ValueTag, value: unknown, self: object, depth: number): void {
    const text = typeof value === 'string' ? value : undefined
    const wrong = (what: string) => invalid(`{"${tag}": ${JSON.stringify(value)?.slice(0, 60)}} is not ${what}.`)
    switch (tag) {
      case '$int':
        if (typeof value === 'number' && Number.isSafeInteger(value)) return this.int(BigInt(value))
        if (!text || !DIGITS.test(text) || text.length > VALUE_LIMITS.intDigits) throw wrong('an integer in decimal digits')
        return this.int(BigInt(text))
      case '$float':
        if (text === 'nan') return this.float(NaN)
        if (text === 'inf' || text === '+inf') return this.float(Infinity)
        if (text === '-inf') return this.float(-Infinity)
        if (typeof value === 'number') return this.float(value)
        throw wrong('"nan", "inf" or "-inf"')
      case '$bytes':
      case '$bytearray': {
        const data = base64Bytes(text)
        if (!data) throw wrong('base64')
        if (tag === '$bytes') return this.sized(0x43, 0x42, 0x8e, data)
        return this.call('builtins', 'bytearray', () => this.sized(0x43, 0x42, 0x8e, data))
      }
      case '$tuple': {
        const items = this.items(value, tag)
        if (items.length <= 3) {
          for (const item of items) this.value(item, depth + 1)
          return this.op(items.length === 0 ? 0x29 : 0x84 + items.length)
        }
        this.op(0x28)
        for (const item of items) this.value(item, depth + 1)
        return this.op(0x74)
      }
      case '$set': {
        const items = this.items(value, tag)
        this.op(0x8f) // EMPTY_SET
        return this.batched(items.length, undefined, 0x90, (i) => this.key(items[i], 'A set member', depth + 1))
      }
      case '$frozenset': {
        this.op(0x28)
        for (const item of this.items(value, tag)) this.key(item, 'A frozenset member', depth + 1)
        return this.op(0x91)
      }
      case '$dict': {
        const pairs = this.items(value, tag)
        for (const pair of pairs) if (!Array.isArray(pair) || pair.length !== 2) throw invalid('{"$dict": …} takes an array of [key, value] pairs.')
        return this.dict(pairs as [CacheValue, CacheValue][], self, depth)
      }
      case '$datetime': {
        const parsed = text === undefined ? undefined : parseDateTime(text)
        if (!parsed) throw wrong('an ISO 8601 date and time (2024-05-01T12:30:00, with an offset such as +02:00 or Z when aware)')
        const { day, clock, offsetMicroseconds } = parsed
        const state = () => this.sized(0x43, 0x42, 0x8e, Buffer.concat([dayToState(day), clockToState(clock)]))
        if (offsetMicroseconds === undefined) return this.call('datetime', 'datetime', state)
        return this.call('datetime', 'datetime', state, () => this.timezone(offsetMicroseconds))
      }
      case '$date': {
        const day = text === undefined ? undefined : parseDay(text)
        if (!day) throw wrong('an ISO 8601 date (2024-05-01)')
        return this.call('datetime', 'date', () => this.sized(0x43, 0x42, 0x8e, dayToState(day)))
      }
      case '$time': {
        const parsed = text === undefined ? undefined : parseClock(text)
        if (!parsed) throw wrong('an ISO 8601 time of day (12:30:00, with an offset when aware)')
        const state = () => this.sized(0x43, 0x42, 0x8e, clockToState(parsed.clock))
        const offset = parsed.offsetMicroseconds
        if (offset === undefined) return this.call('datetime', 'time', state)
        return this.call('datetime', 'time', state, () => this.timezone(offset))
      }
      case '$timedelta':
        if (typeof value !== 'number' || !Number.isFinite(value) || Math.abs(value) > MAX_TIMEDELTA_SECONDS) throw wrong('a number of seconds (within timedelta.max)')
        return this.timedelta(value)
      case '$decimal':
        if (text === undefined || !DECIMAL.test(text)) throw wrong('a decimal number as text ("12.50")')
        return this.call('decimal', 'Decimal', () => this.value(text, 0))
      case '$uuid':
        if (text === undefined || !UUID.test(text)) throw wrong('a UUID (8-4-4-4-12 hex digits)')
        return this.call('uuid', 'UUID', () => this.value(text.toLowerCase(), 0))
    }
  }

  private timedelta(seconds: number): void {
    const parts = splitTimedelta(seconds)
    this.call(
      'datetime',
      'timedelta',
      () => this.int(parts.days),
      () => this.int(BigInt(parts.seconds)),
      () => this.int(BigInt(parts.microseconds)),
    )
  }

  /** datetime.timezone(timedelta(offset)); an offset of 0 loads as timezone.utc itself. */
  private timezone(offsetMicroseconds: number): void {
    this.call('datetime', 'timezone', () => this.timedelta(offsetMicroseconds / 1_000_000))
  }
}

function hashable(value: CacheValue, depth: number): boolean {
  if (value === null || typeof value !== 'object') return true
  if (Array.isArray(value) || !isPlainObject(value) || depth > VALUE_LIMITS.depth) return false
  const tagged = tagOf(value)
  if (!tagged) return false
  if (tagged.tag === '$tuple') return Array.isArray(tagged.value) && tagged.value.every((item) => hashable(item as CacheValue, depth + 1))
  return HASHABLE_TAGS.has(tagged.tag)
}
