import { describe, expect, it } from 'vitest'
import { bytesRepr, hasOpaque, hasTags, readableValue } from './readable-value'

describe('readableValue', () => {
  it('reads tagged Python values as Python shows them', () => {
    expect(readableValue({ $bytes: btoa('ab\x00\'') })).toBe("b'ab\\x00\\''")
    expect(readableValue({ $tuple: [1] })).toBe('(1,)')
    expect(readableValue({ $set: [] })).toBe('set()')
    expect(readableValue({ $int: '123456789012345678901' })).toBe('123456789012345678901')
    expect(readableValue({ $dict: [[1, 'one']] })).toBe('{1: "one"}')
    expect(readableValue({ when: { $datetime: '2024-05-01T10:00:00+00:00' } })).toBe('{"when": datetime(2024-05-01T10:00:00+00:00)}')
    expect(readableValue({ $timedelta: 90061.5 })).toBe('timedelta(1 day, 1:01:01.5)')
    expect(readableValue({ $decimal: '1.10' })).toBe("Decimal('1.10')")
  })

  it('names a Python object by its class with its state, without running anything', () => {
    expect(readableValue({ $class: 'shop.models.Cart', $state: { items: 2 } })).toBe('shop.models.Cart(state: {"items": 2})')
  })

  it('breaks a wide value over indented lines', () => {
    const text = readableValue({ a: 'x'.repeat(50), b: ['y'.repeat(40)] })
    expect(text.split('\n')).toEqual(['{', `  "a": "${'x'.repeat(50)}",`, `  "b": ["${'y'.repeat(40)}"]`, '}'])
  })

  it('cuts a long bytes value and says how long it was', () => {
    expect(bytesRepr(new Uint8Array(300).fill(0x41))).toBe(`b'${'A'.repeat(256)}'… (300 bytes)`)
  })
})

describe('hasTags and hasOpaque', () => {
  it('finds tags and Python objects at any depth', () => {
    expect(hasTags({ a: [{ b: 1 }] })).toBe(false)
    expect(hasTags({ a: [{ $uuid: 'x' }] })).toBe(true)
    expect(hasOpaque({ a: [{ $uuid: 'x' }] })).toBe(false)
    expect(hasOpaque([{ nested: { $class: 'x.Y' } }])).toBe(true)
  })
})
