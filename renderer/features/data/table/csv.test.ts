import { describe, expect, it } from 'vitest'
import { CsvParser, detectDelimiter, parseCsv, toCsv } from './csv'

const fields = (text: string, delimiter?: string) => parseCsv(text, delimiter).map((r) => r.fields)

describe('CSV', () => {
  it('reads quoted fields with doubled quotes, delimiters and line breaks inside them', () => {
    expect(fields('id,name\r\n1,"Smith, ""Jo"""\r\n2,"two\nlines"\n')).toEqual([
      ['id', 'name'],
      ['1', 'Smith, "Jo"'],
      ['2', 'two\nlines'],
    ])
  })

  it('keeps empty fields, skips blank lines, reads a last line without a newline and ignores a BOM', () => {
    expect(fields('\uFEFFa,b,c\n\n1,,3\n,,\nx,y,z')).toEqual([
      ['a', 'b', 'c'],
      ['1', '', '3'],
      ['', '', ''],
      ['x', 'y', 'z'],
    ])
  })

  it('gives the same records however the text is cut into chunks, with the line each starts on', () => {
    const text = 'a,b\r\n"x\r\ny",2\r\n"q""",3\r\n'
    const whole = parseCsv(text, ',')
    for (let size = 1; size < 6; size += 1) {
      const parser = new CsvParser(',')
      const records = []
      for (let i = 0; i < text.length; i += size) records.push(...parser.push(text.slice(i, i + size)))
      records.push(...parser.end())
      expect(records).toEqual(whole)
    }
    expect(whole.map((r) => r.line)).toEqual([1, 2, 4])
  })

  it('finds semicolons and tabs as delimiters, not those inside quotes', () => {
    expect(detectDelimiter('a;b;c\n1;2;3')).toBe(';')
    expect(detectDelimiter('a\tb\n')).toBe('\t')
    expect(detectDelimiter('"a;b;c",d\n')).toBe(',')
  })

  it('writes fields back so that they read the same', () => {
    const rows = [
      ['id', 'note'],
      ['1', 'comma, "quote"\nline'],
      ['2', ' padded '],
    ]
    expect(fields(toCsv(rows), ',')).toEqual(rows)
  })
})
