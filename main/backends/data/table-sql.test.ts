import { describe, expect, it } from 'vitest'
import { standardDialect } from './dialect'
import { likePattern, pageSql, planChanges, qualifiedName } from './table-sql'
import type { TableDetail } from './types'

const people: TableDetail = {
  name: 'people',
  type: 'table',
  columns: [
    { name: 'org', type: 'int', nullable: false, default: null, primaryKey: 1 },
    { name: 'id', type: 'int', nullable: false, default: null, primaryKey: 2 },
    { name: 'na"me', type: 'text', nullable: true, default: null, primaryKey: 0 },
  ],
  primaryKey: ['org', 'id'],
  indexes: [],
  foreignKeys: [],
}
const display = (s: { sql: string; params: unknown[] }) => `${s.sql} -- ${JSON.stringify(s.params)}`

describe('pageSql', () => {
  it('pages by the key with a keyset written out for a compound key, reading one row more', () => {
    const page = pageSql(standardDialect, people, { table: { name: 'people' }, limit: 50, after: [7, 3] })
    expect(page.sql).toBe('SELECT "org", "id", "na""me" FROM "people" WHERE ("org" > ? OR ("org" = ? AND "id" > ?)) ORDER BY "org", "id" LIMIT 51')
    expect(page.params).toEqual([7, 7, 3])
    expect(page).toMatchObject({ paging: 'keyset', keyColumns: [0, 1] })
  })

  it('pages backwards by the key when it is sorted descending, and by offset on any other sort', () => {
    const desc = pageSql(standardDialect, people, { table: { name: 'people' }, limit: 10, sort: [{ column: 'org', descending: true }, { column: 'id', descending: true }], after: [1, 2] })
    expect(desc.sql).toContain('WHERE ("org" < ? OR ("org" = ? AND "id" < ?)) ORDER BY "org" DESC, "id" DESC LIMIT 11')
    const other = pageSql(standardDialect, people, { table: { name: 'people' }, limit: 10, offset: 20, sort: [{ column: 'na"me' }], after: [1, 2] })
    expect(other.sql).toBe('SELECT "org", "id", "na""me" FROM "people" ORDER BY "na""me" LIMIT 11 OFFSET 20')
    expect(other.paging).toBe('offset')
  })

  it('binds every filter value and escapes LIKE wildcards', () => {
    const page = pageSql(standardDialect, people, {
      table: { name: 'people' },
      limit: 5,
      filters: [
        { column: 'na"me', op: 'contains', value: '50%_off!' },
        { column: 'id', op: 'in', value: [1, 2] },
        { column: 'org', op: 'null' },
        { column: 'id', op: '>=', value: 3 },
        { column: 'id', op: 'in', value: [] },
      ],
    })
    expect(page.sql).toContain(`WHERE "na""me" LIKE ? ESCAPE '!' AND "id" IN (?, ?) AND "org" IS NULL AND "id" >= ? AND 1 = 0`)
    expect(page.params).toEqual(['%50!%!_off!!%', 1, 2, 3])
    expect(likePattern('a%', 'starts')).toBe('a!%%')
    expect(likePattern('a_', 'ends')).toBe('%a!_')
  })

  it('refuses a column the table does not have, and a keyset of the wrong length', () => {
    expect(() => pageSql(standardDialect, people, { table: { name: 'people' }, limit: 1, sort: [{ column: 'id"; DROP TABLE people; --' }] })).toThrow(/no column/)
    expect(() => pageSql(standardDialect, people, { table: { name: 'people' }, limit: 1, filters: [{ column: 'nope', op: '=', value: 1 }] })).toThrow(/no column/)
    expect(() => pageSql(standardDialect, people, { table: { name: 'people' }, limit: 1, after: [1] })).toThrow(/2 key value/)
  })

  it('qualifies with the schema, each part quoted', () => {
    expect(qualifiedName(standardDialect, { schema: 'a"b', name: 'c' })).toBe('"a""b"."c"')
  })
})

describe('planChanges', () => {
  it('writes updates, inserts and deletes addressed by the whole primary key', () => {
    const plan = planChanges(
      standardDialect,
      people,
      {
        table: { name: 'people' },
        changes: [
          { op: 'update', key: { org: 1, id: 2 }, set: { 'na"me': 'x' } },
          { op: 'insert', values: { org: 1, id: 3 } },
          { op: 'delete', key: { org: 1, id: null } },
          { op: 'insert', values: {} },
        ],
      },
      display,
    )
    expect(plan.map((p) => p.sql)).toEqual([
      'UPDATE "people" SET "na""me" = ? WHERE "org" = ? AND "id" = ?',
      'INSERT INTO "people" ("org", "id") VALUES (?, ?)',
      'DELETE FROM "people" WHERE "org" = ? AND "id" IS NULL',
      'INSERT INTO "people" DEFAULT VALUES',
    ])
    expect(plan[0]!.params).toEqual(['x', 1, 2])
  })

  it('refuses edits of a view, a key that is not the primary key, an empty update', () => {
    expect(() => planChanges(standardDialect, { ...people, type: 'view' }, { table: { name: 'people' }, changes: [{ op: 'delete', key: { org: 1, id: 1 } }] }, display)).toThrow(/view/)
    expect(() => planChanges(standardDialect, people, { table: { name: 'people' }, changes: [{ op: 'delete', key: { org: 1 } }] }, display)).toThrow(/primary key/)
    expect(() => planChanges(standardDialect, people, { table: { name: 'people' }, changes: [{ op: 'update', key: { org: 1, id: 1 }, set: {} }] }, display)).toThrow(/changes no column/)
    expect(() => planChanges(standardDialect, people, { table: { name: 'people' }, changes: [{ op: 'delete', key: {} }] }, display)).toThrow(/empty/)
  })
})
