import { describe, expect, it } from 'vitest'
import { planText, resultText } from './result-text'

const result = {
  columns: [{ name: 'id' }, { name: 'name' }, { name: 'id' }, { name: 'doc' }],
  rows: [
    [1, 'plain', 7, { $json: { a: [1, 2] } }],
    [2, 'with, comma and "quotes"\nand a line', null, { $bytes: 'AAE=', size: 2 }],
  ],
}

describe('copying a result', () => {
  it('as CSV quotes what needs it and leaves NULL empty', () => {
    expect(resultText(result, 'csv')).toBe('id,name,id,doc\n1,plain,7,"{""a"":[1,2]}"\n2,"with, comma and ""quotes""\nand a line",,\\x0001\n')
  })

  it('as TSV separates by tabs', () => {
    expect(resultText({ columns: [{ name: 'a' }, { name: 'b' }], rows: [['x\ty', 1]] }, 'tsv')).toBe('a\tb\n"x\ty"\t1\n')
  })

  it('as JSON keeps every column (a second id becomes id_2) and unwraps JSON values', () => {
    expect(JSON.parse(resultText(result, 'json'))).toEqual([
      { id: 1, name: 'plain', id_2: 7, doc: { a: [1, 2] } },
      { id: 2, name: 'with, comma and "quotes"\nand a line', id_2: null, doc: '\\x0001' },
    ])
  })
})

describe('a plan as text', () => {
  it("draws SQLite's EXPLAIN QUERY PLAN as a tree", () => {
    const plan = { columns: [{ name: 'id' }, { name: 'parent' }, { name: 'notused' }, { name: 'detail' }], rows: [[2, 0, 0, 'SCAN t'], [5, 2, 0, 'USE TEMP B-TREE FOR ORDER BY']] }
    expect(planText(plan)).toBe('SCAN t\n└─ USE TEMP B-TREE FOR ORDER BY')
  })

  it("reads PostgreSQL's QUERY PLAN line by line", () => {
    expect(planText({ columns: [{ name: 'QUERY PLAN' }], rows: [['Seq Scan on t'], ['  Filter: (id = 1)']] })).toBe('Seq Scan on t\n  Filter: (id = 1)')
  })
})
