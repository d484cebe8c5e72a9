import { describe, expect, it } from 'vitest'
import { ifRangeHolds, resolveRange } from './http-ranges'

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
    ]
    expect(table.map(([ifRange]) => [ifRange, ifRangeHolds(ifRange, '"abc"', date)])).toEqual(table)
    expect(ifRangeHolds('W/"abc"', 'W/"abc"', date)).toBe(false)
  })
})
