import { beforeAll, describe, expect, it } from 'vitest'
import { BackplaneError } from '../../../core/errors'
import type { CacheValue } from '../base'
import { VALUE_CASES } from './fixtures/cases'
import { havePython, python } from './fixtures/python'
import { readPickle } from './pickle-read'
import { writePickle } from './pickle-write'

const WRITABLE = Object.entries(VALUE_CASES).filter(([, c]) => c.only !== 'read')

const withPython = havePython() ? describe : describe.skip

withPython('pickles Python loads as the equal value', () => {
  let verdicts: Record<string, { ok: boolean; repr: string }>
  beforeAll(() => {
    verdicts = python('load', Object.fromEntries(WRITABLE.map(([name, c]) => [name, [c.expr, writePickle(c.model).toString('base64')]])))
  })

  for (const [name, { expr }] of WRITABLE) {
    it(`writes ${expr.slice(0, 70)}`, () => {
      const verdict = verdicts[name]
      expect(verdict?.ok, `Python loaded ${verdict?.repr.slice(0, 300)}`).toBe(true)
    })
  }
})

describe('writing and reading back', () => {
  for (const [name, { model }] of WRITABLE) {
    it(`reads back ${name} as written`, () => {
      expect(readPickle(writePickle(model)).value).toEqual(model)
    })
  }

  it('writes protocol 4, which every Python 3 that Django supports loads', () => {
    expect([...writePickle(null).subarray(0, 2)]).toEqual([0x80, 4])
  })

  it('writes a part the value holds twice once, and reads it back shared', () => {
    const part = Array.from({ length: 100 }, (_, i) => `item ${i}`)
    const once = writePickle([part]).length
    const twice = writePickle([part, part])
    expect(twice.length).toBeLessThan(once + 10)
    const [first, second] = readPickle(twice).value as unknown[]
    expect(first).toBe(second)
  })

  it('writes a number beyond the safe integers as a float, and {$int} as an int', () => {
    expect(readPickle(writePickle(2 ** 60)).value).toBe(2 ** 60)
    expect(writePickle(2 ** 60)[2]).toBe(0x47) // BINFLOAT
    expect(writePickle({ $int: String(2n ** 60n) })[2]).toBe(0x8a) // LONG1
    expect(writePickle({ $float: 2 })[2]).toBe(0x47)
  })
})

describe('refusing what it cannot write', () => {
  function refusal(value: unknown): BackplaneError {
    try {
      writePickle(value as CacheValue)
    } catch (error) {
      if (error instanceof BackplaneError) return error
      throw new Error(`writePickle threw ${String(error)}, not a BackplaneError`, { cause: error })
    }
    throw new Error('writePickle wrote a value it should have refused')
  }

  it('refuses a Python object it only showed', () => {
    const error = refusal({ $class: 'posix.system', $args: ['true'] })
    expect(error.code).toBe('E_INVALID_INPUT')
    expect(error.message).toMatch(/posix\.system/)
  })

  it('refuses an object with "$" keys that is not exactly one tag, pointing to $dict', () => {
    for (const value of [{ $bytes: 'AA==', other: 1 }, { $nope: 1 }, { a: 1, $b: 2 }]) {
      const error = refusal(value)
      expect(error.code).toBe('E_INVALID_INPUT')
      expect(error.hint).toContain('{"$dict": [[k, v]]}')
    }
  })

  const bad: [string, unknown][] = [
    ['a list in a set', { $set: [[1]] }],
    ['a dict as a dict key', { $dict: [[{ a: 1 }, 1]] }],
    ['a set in a frozenset', { $frozenset: [{ $set: [] }] }],
    ['a tuple holding a list as a key', { $dict: [[{ $tuple: [1, [2]] }, 1]] }],
    ['a $dict that is not pairs', { $dict: [[1, 2, 3]] }],
    ['$int with a fraction', { $int: '1.5' }],
    ['$bytes that is not base64', { $bytes: 'not base64!' }],
    ['$float that is a word', { $float: 'lots' }],
    ['a datetime on 30 February', { $datetime: '2024-02-30T00:00:00' }],
    ['a datetime offset of 24 hours', { $datetime: '2024-01-01T00:00:00+24:00' }],
    ['a time at 25 o’clock', { $time: '25:00' }],
    ['a date that is not ISO', { $date: '01/02/2024' }],
    ['a timedelta as text', { $timedelta: '5' }],
    ['a Decimal that is not a number', { $decimal: '12,50' }],
    ['a UUID too short', { $uuid: '1234' }],
    ['a $tuple that is not an array', { $tuple: 'ab' }],
    ['undefined', undefined],
    ['a function', () => 1],
    ['a Date object', new Date(0)],
  ]
  for (const [what, value] of bad) {
    it(`refuses ${what} with E_INVALID_INPUT`, () => {
      expect(refusal(value).code).toBe('E_INVALID_INPUT')
    })
  }

  it('refuses nesting deeper than 1000 levels without a stack overflow', () => {
    let deep: unknown = 1
    for (let i = 0; i < 100_000; i++) deep = [deep]
    expect(refusal(deep).code).toBe('E_INVALID_INPUT')
  })
})
