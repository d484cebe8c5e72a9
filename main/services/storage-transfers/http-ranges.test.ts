import { describe, expect, it } from 'vitest'
import { ifRangeHolds, resolveRange, unsatisfiable } from './http-ranges'

describe('Range headers (RFC 9110 §14)', () => {
  it('resolve one range, ignore what is not one, and refuse what lies outside the file', () => {
    const table: [string | undefined, number, unknown][] = [
      [undefined, 10, { kind: 'whole' }],
      ['bytes=0-0', 10, { kind: 'part', range: { start: 0, end: 0 } }],
      ['bytes=3-', 10, { kind: 'part', range: { start: 3, end: 9 } }],
      ['bytes=-4', 10, { kind: 'part', range: { start: 6, end: 9 } }],
      ['bytes=-400', 10, { kind: 'part', range: { start: 0, end: 9 } }],
      ['bytes=-99999999999999999999', 10, { kind: 'part', range: { start: 0, end: 9 } }],
      ['bytes=2-99999999999999999999', 10, { kind: 'part', range: { start: 2, end: 9 } }],
      ['BYTES = 1-2', 10, { kind: 'part', range: { start: 1, end: 2 } }],
      ['bytes=10-', 10, { kind: 'unsatisfiable' }],
      ['bytes=99999999999999999999-', 10, { kind: 'unsatisfiable' }],
      ['bytes=-0', 10, { kind: 'unsatisfiable' }],
      ['bytes=0-', 0, { kind: 'unsatisfiable' }],
      ['bytes=5-1', 10, { kind: 'whole', reason: expect.any(String) }],
      ['bytes=0-1,3-4', 10, { kind: 'whole', reason: expect.stringMatching(/several/) }],
      ['bytes=', 10, { kind: 'whole', reason: expect.any(String) }],
      ['bytes=a-b', 10, { kind: 'whole', reason: expect.any(String) }],
      ['bytes=-', 10, { kind: 'whole', reason: expect.any(String) }],
      ['bytes=1.5-2', 10, { kind: 'whole', reason: expect.any(String) }],
      ['items=0-1', 10, { kind: 'whole', reason: expect.any(String) }],
      // Anchored at both ends: nothing before "bytes", nothing after the numbers.
      ['xbytes=0-1', 10, { kind: 'whole', reason: 'not a byte range' }],
      ['  bytes=0-1', 10, { kind: 'part', range: { start: 0, end: 1 } }],
      ['bytes=0-1x', 10, { kind: 'whole', reason: 'not a byte range' }],
      ['bytes=x0-1', 10, { kind: 'whole', reason: 'not a byte range' }],
      ['bytes=-5x', 10, { kind: 'whole', reason: 'not a byte range' }],
      ['bytes=-x5', 10, { kind: 'whole', reason: 'not a byte range' }],
      ['bytes=1 - 2', 10, { kind: 'part', range: { start: 1, end: 2 } }],
      ['bytes=2-3,', 10, { kind: 'part', range: { start: 2, end: 3 } }],
      ['bytes=,', 10, { kind: 'whole', reason: 'no range' }],
      ['bytes=5', 10, { kind: 'whole', reason: 'not a byte range' }],
      ['bytes=-5', 0, { kind: 'unsatisfiable' }],
      ['bytes=-3', 10, { kind: 'part', range: { start: 7, end: 9 } }],
      ['bytes=0-9', 10, { kind: 'part', range: { start: 0, end: 9 } }],
      ['bytes=0-10', 10, { kind: 'part', range: { start: 0, end: 9 } }],
      ['bytes=9-9', 10, { kind: 'part', range: { start: 9, end: 9 } }],
      ['bytes=0-1234567890123456', 10, { kind: 'part', range: { start: 0, end: 9 } }],
    ]
    for (const [header, size, expected] of table) expect([header, resolveRange(header, size)]).toEqual([header, expected])
  })
})

describe('If-Range (RFC 9110 §13.1.5)', () => {
  it('holds for our strong ETag or our exact Last-Modified, and for nothing else', () => {
    const date = 'Wed, 02 Dec 2026 00:00:00 GMT'
    const table: [string | undefined, boolean][] = [
      [undefined, true],
      ['"abc"', true],
      ['"abd"', false],
      ['W/"abc"', false],
      [date, true],
      ['Wed, 02 Dec 2026 00:00:01 GMT', false],
      ['not a date', false],
      ['  "abc"  ', true],
      ['"abc', false],
    ]
    expect(table.map(([ifRange]) => [ifRange, ifRangeHolds(ifRange, '"abc"', date)])).toEqual(table)
    expect(ifRangeHolds('W/"abc"', 'W/"abc"', date)).toBe(false)
    expect(ifRangeHolds('"abc"', 'W/"abc"', date), 'our ETag is weak').toBe(false)
    expect(ifRangeHolds(date, '"abc"', undefined), 'no Last-Modified of ours').toBe(false)
  })
})

describe('an unsatisfiable range', () => {
  it('is a 416 that says the size, for the Content-Range header', () => {
    const error = unsatisfiable(10)
    expect(error).toMatchObject({ code: 'E_INVALID_INPUT', status: 416, details: { size: 10 } })
    expect(error.message).toContain('10 bytes')
    expect(error.hint).toMatch(/bytes=0-/)
  })
})
