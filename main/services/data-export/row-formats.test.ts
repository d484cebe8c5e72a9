import { describe, expect, it } from 'vitest'
import { FORMATS, csvField, jsonlCell, uniqueKeys } from './row-formats'

const bytes = (hex: string) => ({ $bytes: Buffer.from(hex, 'hex').toString('base64'), size: hex.length / 2 })

describe('CSV fields', () => {
  it('quote only what needs it, and keep NULL and the empty string apart', () => {
    expect([null, '', 'plain', ' spaced ', 'a,b', 'say "hi"', 'cr\ronly', 'lf\n', 'NULL'].map(csvField)).toEqual(['', '""', 'plain', ' spaced ', '"a,b"', '"say ""hi"""', '"cr\ronly"', '"lf\n"', 'NULL'])
  })

  it('write numbers, booleans, bytes, JSON and arrays as text that loses nothing', () => {
    expect(csvField(42)).toBe('42')
    expect(csvField(0.1)).toBe('0.1')
    expect(csvField('9007199254740993')).toBe('9007199254740993')
    expect(csvField(true)).toBe('true')
    expect(csvField(bytes('00ff'))).toBe('\\x00ff')
    expect(csvField({ $json: { a: [1, null] } })).toBe('"{""a"":[1,null]}"')
    expect(csvField({ $json: null })).toBe('null')
    expect(csvField({ $json: 'text' })).toBe('"""text"""')
    expect(csvField([1, null, 'x,y'])).toBe('"[1,null,""x,y""]"')
    expect(csvField([bytes('01')])).toBe('"[{""$bytes"":""AQ==""}]"')
  })

  it('make a header row and CRLF-ended rows', () => {
    const csv = FORMATS.csv.make()
    expect(csv.header([{ name: 'id' }, { name: 'the "name"' }])).toBe('id,"the ""name"""\r\n')
    expect(csv.rows([[1, 'a'], [2, null]])).toBe('1,a\r\n2,\r\n')
  })
})

describe('JSON lines', () => {
  it('keep tagged cells, bytes in the form the API takes back', () => {
    expect(jsonlCell(bytes('00ff'))).toEqual({ $bytes: 'AP8=' })
    expect(jsonlCell({ $json: null })).toEqual({ $json: null })
    expect(jsonlCell([bytes('01'), null])).toEqual([{ $bytes: 'AQ==' }, null])
    expect(jsonlCell(undefined)).toBeNull()
  })

  it('key rows by column name, a repeated name numbered so that no value is lost', () => {
    expect(uniqueKeys([{ name: 'id' }, { name: 'id' }, { name: 'id_2' }, { name: 'id' }])).toEqual(['id', 'id_2', 'id_2_2', 'id_3'])
    const jsonl = FORMATS.jsonl.make()
    expect(jsonl.header([{ name: 'id' }, { name: 'id' }, { name: 'doc' }])).toBe('')
    expect(jsonl.rows([[1, 2, { $json: [true] }]])).toBe('{"id":1,"id_2":2,"doc":{"$json":[true]}}\n')
    expect(JSON.parse(jsonl.rows([['line\nbreak \u2028', null, 'x']]))).toEqual({ id: 'line\nbreak \u2028', id_2: null, doc: 'x' })
  })
})
