import { deflateSync } from 'node:zlib'
import { beforeAll, describe, expect, it } from 'vitest'
import { BackplaneError } from '../../../core/errors'
import type { CacheValue } from '../base'
import { MEMCACHED_FLAGS, inspectValue, serializerOption, valueCodec } from './codecs'
import { fromBase64, havePython, python } from './fixtures/python'
import { writePickle } from './pickle-write'

/** Values as a Django app caches them, with their value model. */
const APP_VALUES: Record<string, [expr: string, model: CacheValue]> = {
  int: ['42', 42],
  negativeInt: ['-7', -7],
  bigInt: ['2**70', { $int: '1180591620717411303424' }],
  bool: ['True', true],
  text: ["'héllo'", 'héllo'],
  digitsText: ["'42'", '42'],
  float: ['1.5', 1.5],
  none: ['None', null],
  bytes: ["b'\\x00raw'", { $bytes: 'AHJhdw==' }],
  list: ["[1, 'a']", [1, 'a']],
  dict: ["{'views': 3, 'at': datetime.date(2024, 1, 2)}", { views: 3, at: { $date: '2024-01-02' } }],
}

const redis = valueCodec('redis', 'django')
const memcached = valueCodec('memcached', 'django')
const withPython = havePython() ? describe : describe.skip

withPython("Redis values as django-redis's DefaultClient stores them", () => {
  let stored: Record<string, string>
  beforeAll(() => {
    stored = python('redis', Object.fromEntries(Object.entries(APP_VALUES).map(([name, [expr]]) => [name, expr])))
  })

  it('keeps an int (and only an int: not a bool, not digits in a str) as its digits', () => {
    expect(fromBase64(stored.int ?? '').toString()).toBe('42')
    expect(fromBase64(stored.bigInt ?? '').toString()).toBe('1180591620717411303424')
    expect(fromBase64(stored.bool ?? '')[0]).toBe(0x80)
    expect(fromBase64(stored.digitsText ?? '')[0]).toBe(0x80)
  })

  for (const [name, [expr, model]] of Object.entries(APP_VALUES)) {
    it(`reads ${expr} as django-redis wrote it`, () => {
      const decoded = redis.decode({ bytes: fromBase64(stored[name] ?? '') })
      expect(decoded.value).toEqual(model)
      expect(decoded.encoding).toBe(name === 'int' || name === 'negativeInt' || name === 'bigInt' ? 'int' : 'pickle')
    })
  }

  it('writes ints byte for byte as django-redis does', () => {
    for (const name of ['int', 'negativeInt', 'bigInt']) {
      expect(redis.encode((APP_VALUES[name] as [string, CacheValue])[1]).bytes.toString('base64')).toBe(stored[name])
    }
  })

  it('writes every value so that DefaultClient.decode() returns the equal Python value', () => {
    const verdicts = python<{ ok: boolean; repr: string }>(
      'redis-load',
      Object.fromEntries(Object.entries(APP_VALUES).map(([name, [expr, model]]) => [name, [expr, redis.encode(model).bytes.toString('base64')]])),
    )
    for (const [name, verdict] of Object.entries(verdicts)) expect(verdict.ok, `${name}: ${verdict.repr}`).toBe(true)
  })
})

describe('Redis values no Django app wrote', () => {
  it('reads digits as Python int() does, whitespace and underscores included', () => {
    expect(redis.decode({ bytes: Buffer.from(' -1_000\n') })).toEqual({ value: -1000, encoding: 'int' })
    expect(redis.decode({ bytes: Buffer.from('12a') })).toEqual({ value: '12a', encoding: 'text' })
  })

  it('reads other text as text and other bytes as bytes', () => {
    expect(redis.decode({ bytes: Buffer.from('{"a": 1}') })).toEqual({ value: '{"a": 1}', encoding: 'text' })
    expect(redis.decode({ bytes: Buffer.from([0xff, 0xfe]) })).toEqual({ value: { $bytes: '//4=' }, encoding: 'bytes' })
    expect(redis.decode({ bytes: Buffer.from('The end.') })).toEqual({ value: 'The end.', encoding: 'text' })
  })

  it("reads a pickle django-redis's ZlibCompressor compressed", () => {
    expect(redis.decode({ bytes: deflateSync(writePickle(['x'.repeat(100)])) })).toEqual({ value: ['x'.repeat(100)], encoding: 'pickle' })
  })

  it('reads a protocol 0 pickle (PICKLE_VERSION = 0) that is the whole value', () => {
    expect(redis.decode({ bytes: Buffer.from("(lp0\nI1\naVx\np1\na.", 'latin1') })).toEqual({ value: [1, 'x'], encoding: 'pickle' })
  })

  it('refuses a damaged pickle with E_CACHE_CORRUPT, and the key browser shows its bytes and why', () => {
    const damaged = writePickle({ a: [1, 2, 3] }).subarray(0, 10)
    expect(() => redis.decode({ bytes: damaged })).toThrow(expect.objectContaining({ code: 'E_CACHE_CORRUPT' }))
    const shown = inspectValue(redis, { bytes: damaged })
    expect(shown).toMatchObject({ value: { $bytes: damaged.toString('base64') }, encoding: 'bytes', problem: { code: 'E_CACHE_CORRUPT' } })
  })

  it('marks a value holding a Python object as opaque', () => {
    // django.utils.Odd.__new__(Odd): STACK_GLOBAL, EMPTY_TUPLE, NEWOBJ.
    const bytes = Buffer.concat([Buffer.from([0x80, 4, 0x8c, 12]), Buffer.from('django.utils'), Buffer.from([0x8c, 3]), Buffer.from('Odd'), Buffer.from([0x93, 0x29, 0x81, 0x2e])])
    expect(redis.decode({ bytes })).toEqual({ value: { $class: 'django.utils.Odd' }, encoding: 'pickle', opaque: true })
  })
})

withPython("Memcached values as pymemcache's pickle_serde stores them (Django's PyMemcacheCache)", () => {
  let stored: Record<string, [string, number]>
  beforeAll(() => {
    stored = python('memcached', Object.fromEntries(Object.entries(APP_VALUES).map(([name, [expr]]) => [name, expr])))
  })

  it('flags each type as pymemcache does', () => {
    const flags = Object.fromEntries(Object.entries(stored).map(([name, [, flag]]) => [name, flag]))
    expect(flags).toEqual({ int: 2, negativeInt: 2, bigInt: 2, bool: 1, text: 16, digitsText: 16, float: 1, none: 1, bytes: 0, list: 1, dict: 1 })
  })

  for (const [name, [expr, model]] of Object.entries(APP_VALUES)) {
    it(`reads ${expr} with its flags`, () => {
      const [data, flags] = stored[name] ?? ['', 0]
      expect(memcached.decode({ bytes: fromBase64(data), flags }).value).toEqual(model)
    })

    it(`writes ${expr} with the flags pymemcache would`, () => {
      expect(memcached.encode(model).flags).toBe(stored[name]?.[1])
    })
  }

  it('writes every value so that pickle_serde.deserialize() returns the equal Python value', () => {
    const verdicts = python<{ ok: boolean; repr: string }>(
      'memcached-load',
      Object.fromEntries(
        Object.entries(APP_VALUES).map(([name, [expr, model]]) => {
          const { bytes, flags } = memcached.encode(model)
          return [name, [expr, bytes.toString('base64'), flags]]
        }),
      ),
    )
    for (const [name, verdict] of Object.entries(verdicts)) expect(verdict.ok, `${name}: ${verdict.repr}`).toBe(true)
  })
})

describe('Memcached flags beyond what pymemcache writes', () => {
  it("inflates python-memcached's zlib flag before reading the rest", () => {
    const bytes = deflateSync(writePickle({ a: 'x'.repeat(1000) }))
    expect(memcached.decode({ bytes, flags: MEMCACHED_FLAGS.PICKLE | MEMCACHED_FLAGS.COMPRESSED }).value).toEqual({ a: 'x'.repeat(1000) })
  })

  it('reads the LONG flag (Python 2 longs) as an int', () => {
    expect(memcached.decode({ bytes: Buffer.from('123'), flags: MEMCACHED_FLAGS.LONG })).toEqual({ value: 123, encoding: 'int' })
  })

  it('reads flags 0 as bytes, as pymemcache returns them', () => {
    expect(memcached.decode({ bytes: Buffer.from('hi'), flags: 0 })).toEqual({ value: { $bytes: 'aGk=' }, encoding: 'bytes' })
  })

  it('refuses values whose bytes contradict their flags with E_CACHE_CORRUPT', () => {
    for (const stored of [
      { bytes: Buffer.from('x1'), flags: MEMCACHED_FLAGS.INTEGER },
      { bytes: Buffer.from([0xff]), flags: MEMCACHED_FLAGS.TEXT },
      { bytes: Buffer.from('not zlib'), flags: MEMCACHED_FLAGS.COMPRESSED | MEMCACHED_FLAGS.TEXT },
      { bytes: Buffer.from('garbage'), flags: MEMCACHED_FLAGS.PICKLE },
    ]) {
      expect(() => memcached.decode(stored)).toThrow(expect.objectContaining({ code: 'E_CACHE_CORRUPT' }))
    }
  })

  it('refuses a value that inflates beyond 64 MiB with E_TOO_LARGE', () => {
    const bomb = deflateSync(Buffer.alloc(65 * 1024 * 1024))
    expect(() => memcached.decode({ bytes: bomb, flags: MEMCACHED_FLAGS.COMPRESSED })).toThrow(expect.objectContaining({ code: 'E_TOO_LARGE' }))
  })
})

describe('the pickle-only codec of the file and database caches', () => {
  const pickleOnly = valueCodec('pickle', 'django')

  it('pickles ints too, as Django does there', () => {
    expect(pickleOnly.encode(5).bytes[0]).toBe(0x80)
    expect(pickleOnly.decode(pickleOnly.encode(5))).toEqual({ value: 5, encoding: 'pickle' })
  })

  it('refuses bytes that are not a pickle with E_CACHE_CORRUPT', () => {
    expect(() => pickleOnly.decode({ bytes: Buffer.from('42') })).toThrow(BackplaneError)
  })
})

describe('the json serializer, for apps that are not Django', () => {
  it('stores JSON text, on Memcached with flags 0', () => {
    expect(valueCodec('redis', 'json').encode({ a: [1, 'é'] }).bytes.toString()).toBe('{"a":[1,"é"]}')
    expect(valueCodec('memcached', 'json').encode(5)).toEqual({ bytes: Buffer.from('5'), flags: 0 })
  })

  for (const family of ['redis', 'memcached', 'pickle'] as const) {
    it(`reads JSON, else text, else bytes (${family})`, () => {
      const codec = valueCodec(family, 'json')
      expect(codec.decode(codec.encode({ a: [1, null] }))).toEqual({ value: { a: [1, null] }, encoding: 'json' })
      expect(codec.decode({ bytes: Buffer.from('plain words') })).toEqual({ value: 'plain words', encoding: 'text' })
      expect(codec.decode({ bytes: Buffer.from([0x80, 0x04, 0xff]) })).toEqual({ value: { $bytes: 'gAT/' }, encoding: 'bytes' })
    })
  }

  it('keeps a long integer exact instead of rounding it', () => {
    expect(valueCodec('redis', 'json').decode({ bytes: Buffer.from('12345678901234567890') }).value).toEqual({ $int: '12345678901234567890' })
  })

  it('shows JSON nested deeper than 1000 levels as text, which the API can still answer with', () => {
    const deep = '['.repeat(5000) + ']'.repeat(5000)
    expect(valueCodec('redis', 'json').decode({ bytes: Buffer.from(deep) }).encoding).toBe('text')
  })

  it('reads a Memcached value with flags as pymemcache wrote it, even on a json alias', () => {
    expect(valueCodec('memcached', 'json').decode({ bytes: writePickle([1]), flags: MEMCACHED_FLAGS.PICKLE }).value).toEqual([1])
  })

  it('refuses a value JSON cannot hold with E_INVALID_INPUT', () => {
    expect(() => valueCodec('redis', 'json').encode(10n)).toThrow(expect.objectContaining({ code: 'E_INVALID_INPUT' }))
  })
})

describe('the serializer option', () => {
  it('defaults to django and takes only django or json', () => {
    expect(serializerOption.parse(undefined)).toBe('django')
    expect(serializerOption.parse('json')).toBe('json')
    expect(serializerOption.safeParse('yaml').success).toBe(false)
    expect(serializerOption.description).toMatch(/pickled/)
  })
})
