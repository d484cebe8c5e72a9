import { describe, expect, it } from 'vitest'
import { editModeOf, parseTyped, toCellInput } from './cell-input'
import { formatCell, hexDump, isNumericCell, isNumericType, plainCell } from './cell-value'

describe('cells', () => {
  it('reads NULL apart from the text NULL, and bytes, JSON and cut text in their own forms', () => {
    expect(formatCell(null)).toBe('NULL')
    expect(formatCell('NULL')).toBe('NULL')
    expect(plainCell(null)).toBeNull()
    expect(formatCell({ $bytes: btoa('\x00\xffA'), size: 3 })).toBe('\\x00ff41')
    expect(formatCell({ $json: { a: [1, null] } })).toBe('{"a":[1,null]}')
    expect(formatCell({ $json: null })).toBe('null')
    expect(formatCell({ $text: 'abc', size: 10, truncated: true })).toBe('abc')
  })

  it('dumps bytes as xxd does', () => {
    expect(hexDump(new TextEncoder().encode('Hello, world! 0123'))).toBe(
      `00000000: 4865 6c6c 6f2c 2077 6f72 6c64 2120 3031  Hello, world! 01\n00000010: 3233${' '.repeat(37)}23`,
    )
  })

  it('knows numeric types without mistaking interval or point for them', () => {
    expect(['INTEGER', 'bigint', 'numeric(10,2)', 'double precision', 'NUMBER(5)', 'int unsigned'].every(isNumericType)).toBe(true)
    expect(['interval', 'point', 'text', 'varchar(20)'].some(isNumericType)).toBe(false)
    expect(isNumericCell('12345678901234567890', 'bigint')).toBe(true)
    expect(isNumericCell('12a', 'bigint')).toBe(false)
  })

  it('sends cells back in the forms the contract takes', () => {
    expect(toCellInput({ $bytes: 'AAE=', size: 2 })).toEqual({ $bytes: 'AAE=' })
    expect(toCellInput({ $text: 'abc', size: 10, truncated: true })).toBe('abc')
    expect(toCellInput([1, { $json: 2 }])).toEqual([1, { $json: 2 }])
  })

  it('parses typed text by the column: numbers, exact decimals, big integers, booleans and JSON', () => {
    expect(parseTyped('42', 'number', 'INTEGER')).toEqual({ ok: true, value: 42 })
    expect(parseTyped('12345678901234567890', 'number', 'bigint')).toEqual({ ok: true, value: '12345678901234567890' })
    expect(parseTyped('1.10', 'number', 'numeric(10,2)')).toEqual({ ok: true, value: '1.10' })
    expect(parseTyped('1.5', 'number', 'REAL')).toEqual({ ok: true, value: 1.5 })
    expect(parseTyped('abc', 'number', 'INTEGER').ok).toBe(false)
    expect(parseTyped('yes', 'boolean')).toEqual({ ok: true, value: true })
    expect(parseTyped('{"a":1}', 'json')).toEqual({ ok: true, value: { $json: { a: 1 } } })
    expect(parseTyped('{a', 'json').ok).toBe(false)
    expect(parseTyped('NULL', 'text')).toEqual({ ok: true, value: 'NULL' })
  })

  it('edits text in an INTEGER column of SQLite as text', () => {
    expect(editModeOf('abc', 'INTEGER')).toBe('text')
    expect(editModeOf('12', 'INTEGER')).toBe('number')
    expect(editModeOf(null, 'jsonb')).toBe('json')
    expect(editModeOf({ $bytes: '', size: 0 }, 'BLOB')).toBe('bytes')
  })
})
