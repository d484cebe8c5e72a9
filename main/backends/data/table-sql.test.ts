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

describe('pageSql, the choices it makes', () => {
  const noKey: TableDetail = { ...people, columns: people.columns.map((c) => ({ ...c, primaryKey: 0 })), primaryKey: [] }

  it('pages by key only when the order is the whole key in one direction', () => {
    const mixed = pageSql(standardDialect, people, { table: { name: 'people' }, limit: 5, sort: [{ column: 'org', descending: true }, { column: 'id' }] })
    expect(mixed.paging).toBe('offset')
    expect(mixed.sql).toContain('ORDER BY "org" DESC, "id" LIMIT 6')
    expect(pageSql(standardDialect, people, { table: { name: 'people' }, limit: 5, sort: [{ column: 'org' }] }).paging).toBe('offset')
    expect(pageSql(standardDialect, people, { table: { name: 'people' }, limit: 5, sort: [{ column: 'id' }, { column: 'org' }] }).paging).toBe('offset')
    expect(pageSql(standardDialect, people, { table: { name: 'people' }, limit: 5, sort: [{ column: 'org' }, { column: 'id' }] }).paging).toBe('keyset')
  })

  it('orders a table without a key by its first column, so pages do not shuffle, and skips an offset given with a keyset', () => {
    const page = pageSql(standardDialect, noKey, { table: { name: 'people' }, limit: 5, offset: 10 })
    expect(page).toMatchObject({ paging: 'offset', keyColumns: [] })
    expect(page.sql).toBe('SELECT "org", "id", "na""me" FROM "people" ORDER BY "org" LIMIT 6 OFFSET 10')
    const keyset = pageSql(standardDialect, people, { table: { name: 'people' }, limit: 5, offset: 10, after: [1, 1] })
    expect(keyset.sql).not.toContain('OFFSET')
  })

  it('writes each filter operator', () => {
    const one = (filter: Parameters<typeof pageSql>[2]['filters'] extends (infer F)[] | undefined ? F : never) => {
      const built = pageSql(standardDialect, people, { table: { name: 'people' }, limit: 1, filters: [filter] })
      return { where: built.sql.slice(built.sql.indexOf('WHERE') + 6, built.sql.indexOf(' ORDER BY')), params: built.params }
    }
    expect(one({ column: 'id', op: 'not null' })).toEqual({ where: '"id" IS NOT NULL', params: [] })
    expect(one({ column: 'na"me', op: 'starts', value: 'a_' })).toEqual({ where: `"na""me" LIKE ? ESCAPE '!'`, params: ['a!_%'] })
    expect(one({ column: 'na"me', op: 'ends', value: 'z' })).toEqual({ where: `"na""me" LIKE ? ESCAPE '!'`, params: ['%z'] })
    expect(one({ column: 'id', op: 'in', value: 7 })).toEqual({ where: '"id" IN (?)', params: [7] })
    expect(one({ column: 'id', op: '<>', value: 3 })).toEqual({ where: '"id" <> ?', params: [3] })
  })
})

describe('planChanges, the parameters it binds', () => {
  it('binds an insert’s values in column order, and addresses a keyless table by the columns given', () => {
    const noKey: TableDetail = { ...people, columns: people.columns.map((c) => ({ ...c, primaryKey: 0 })), primaryKey: [] }
    const [insert] = planChanges(standardDialect, people, { table: { name: 'people' }, changes: [{ op: 'insert', values: { id: 5, org: 9 } }] }, display)
    expect(insert).toMatchObject({ sql: 'INSERT INTO "people" ("id", "org") VALUES (?, ?)', params: [5, 9] })
    const [del] = planChanges(standardDialect, noKey, { table: { name: 'people' }, changes: [{ op: 'delete', key: { 'na"me': 'x' } }] }, display)
    expect(del).toMatchObject({ sql: 'DELETE FROM "people" WHERE "na""me" = ?', params: ['x'] })
    const emptyInsert = planChanges({ ...standardDialect, emptyInsert: (t, c) => `INSERT INTO ${t} (${c}) VALUES (DEFAULT)` }, people, { table: { name: 'people' }, changes: [{ op: 'insert', values: {} }] }, display)
    expect(emptyInsert[0]!.sql).toBe('INSERT INTO "people" ("org") VALUES (DEFAULT)')
  })
})

describe('the statements shown for review', () => {
  it('write each parameter as a literal, and leave a $1 inside a quoted name alone', async () => {
    const { BaseDatabase } = await import('./base')
    const { testContext } = await import('../../../test/support/engine-context')
    const odd: TableDetail = { ...people, columns: [...people.columns, { name: 'a$1', type: 'text', nullable: true, default: null, primaryKey: 0 }] }
    class Fixed extends BaseDatabase {
      readonly vendor = 'test'
      readonly dialect = standardDialect
      openSession(): never { throw new Error('no server') }
      async serverVersion() { return 'test' }
      async schemas() { return [] }
      async listTables() { return [] }
      async describe() { return odd }
      async close() {}
    }
    const ctx = testContext('data')
    const planned = await new Fixed({ readOnly: false }, ctx).planChanges({ table: { name: 'people' }, changes: [{ op: 'update', key: { org: 1, id: 2 }, set: { 'a$1': "it's" } }] })
    ctx.cleanup()
    expect(planned[0]!.display).toBe(`UPDATE "people" SET "a$1" = 'it''s' WHERE "org" = 1 AND "id" = 2`)
  })
})
