import { describe, expect, it } from 'vitest'
import { readScalarPickle, writeScalarPickle } from './pickle-fast'
import { readPickle } from './pickle-read'

const hex = (text: string) => Buffer.from(text, 'hex')

// pickle.dumps(v, 4) and pickle.dumps(v, 2) by CPython 3.11: FRAME and MEMOIZE (4), BINPUT (2).
const PYTHON: [string, unknown, string][] = [
  ['str', 'abc', '80049507000000000000008c03616263942e'],
  ['str, protocol 2', 'abc', '8002580300000061626371002e'],
  ['non-ASCII str', 'é', '80049506000000000000008c02c3a9942e'],
  ['str of 300 (BINUNICODE)', 'x'.repeat(300), `8004953301000000000000582c010000${'78'.repeat(300)}942e`],
  ['small int', 5, '80044b052e'],
  ['BININT2', 300, '80049504000000000000004d2c012e'],
  ['negative int', -1, '80049506000000000000004affffffff2e'],
  ['float', 1.5, '8004950a00000000000000473ff80000000000002e'],
  ['True', true, '8004882e'],
  ['None', null, '80044e2e'],
]

describe('scalar pickles read without the machine', () => {
  for (const [name, value, bytes] of PYTHON) {
    it(`reads Python's ${name}`, () => {
      expect(readScalarPickle(hex(bytes), 0)).toEqual({ value, end: hex(bytes).length })
      expect(readPickle(hex(bytes))).toEqual({ value, opaque: false, end: hex(bytes).length })
    })
  }

  it('leaves to the machine what it does not read: surrogatepass text, NaN, an int of 64 bits, a list, a damaged length', () => {
    for (const bytes of [
      '80049507000000000000008c03eda080942e', // '\ud800'
      '8004950a00000000000000477ff80000000000002e', // nan
      '80049508000000000000008a0500000080002e', // 2 ** 31
      '80045d942e', // []
      '8004580a000000616263942e', // BINUNICODE longer than the bytes
      '80048c03616263', // no STOP
    ]) {
      expect(readScalarPickle(hex(bytes), 0), bytes).toBeUndefined()
    }
    expect(readPickle(hex('80049507000000000000008c03eda080942e')).value).toBe('\ud800')
    expect(readPickle(hex('8004950a00000000000000477ff80000000000002e')).value).toEqual({ $float: 'nan' })
    expect(() => readPickle(hex('8004580a000000616263942e'))).toThrow(expect.objectContaining({ code: 'E_CACHE_CORRUPT' }))
  })

  it('reads a pickle at an offset and says where it ends, for the file cache that keeps two in a row', () => {
    const two = Buffer.concat([hex('80044b052e'), hex('80049507000000000000008c03616263942e')])
    expect(readPickle(two)).toEqual({ value: 5, opaque: false, end: 5 })
    expect(readPickle(two, 5)).toEqual({ value: 'abc', opaque: false, end: two.length })
  })
})

describe('scalar pickles written in one allocation', () => {
  it('writes the bytes the general writer writes (protocol 4, no frame, no memo)', () => {
    expect(writeScalarPickle('abc')?.toString('hex')).toBe('80048c036162632e')
    expect(writeScalarPickle('é')?.toString('hex')).toBe('80048c02c3a92e')
    expect(writeScalarPickle('x'.repeat(300))?.toString('hex')).toBe(`8004582c010000${'78'.repeat(300)}2e`)
    expect(writeScalarPickle('')?.toString('hex')).toBe('80048c002e')
    expect(writeScalarPickle(5)?.toString('hex')).toBe('80044b052e')
    expect(writeScalarPickle(300)?.toString('hex')).toBe('80044d2c012e')
    expect(writeScalarPickle(-1)?.toString('hex')).toBe('80044affffffff2e')
    expect(writeScalarPickle(1.5)?.toString('hex')).toBe('8004473ff80000000000002e')
    expect(writeScalarPickle(false)?.toString('hex')).toBe('8004892e')
    expect(writeScalarPickle(null)?.toString('hex')).toBe('80044e2e')
  })

  it('leaves text with surrogates, ints beyond 32 bits and containers to the general writer', () => {
    expect(writeScalarPickle('\ud800')).toBeUndefined()
    expect(writeScalarPickle(2 ** 31)).toBeUndefined()
    expect(writeScalarPickle([1])).toBeUndefined()
    expect(writeScalarPickle({ $bytes: '' })).toBeUndefined()
  })
})
