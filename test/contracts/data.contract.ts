import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Database } from '../../main/backends/data/base'

/**
 * What every database engine must do. `dialect` gives the DDL that differs between servers.
 * @param make builds a connection; readOnly makes it a read-only alias.
 */
export function dataContract(
  name: string,
  make: (options?: { readOnly?: boolean }) => Promise<Database>,
  dialect: { createTable: (table: string) => string; dropTable: (table: string) => string },
): void {
  describe(`${name} implements the data contract`, () => {
    let db: Database
    const table = `bp_contract_${process.pid}`
    beforeEach(async () => {
      db = await make()
      await db.query(dialect.dropTable(table))
      await db.query(dialect.createTable(table))
    })
    afterEach(async () => {
      await db.query(dialect.dropTable(table))
      await db.close()
    })

    it('writes with ? parameters and reads rows back with their columns', async () => {
      const insert = await db.query(`INSERT INTO ${table} (id, name) VALUES (?, ?), (?, ?)`, [1, 'Ada', 2, 'Zoë'])
      expect(insert.rowCount).toBe(2)
      const result = await db.query(`SELECT id, name FROM ${table} ORDER BY id`)
      expect(result.columns.map((c) => c.name)).toEqual(['id', 'name'])
      expect(result.rows).toEqual([[1, 'Ada'], [2, 'Zoë']])
      expect(result.truncated).toBe(false)
    })

    it('stops reading at maxRows and says the result was truncated', async () => {
      for (let i = 0; i < 5; i++) await db.query(`INSERT INTO ${table} (id, name) VALUES (?, ?)`, [i, `n${i}`])
      const result = await db.query(`SELECT id FROM ${table} ORDER BY id`, [], { maxRows: 3 })
      expect(result.rows).toHaveLength(3)
      expect(result.truncated).toBe(true)
    })

    it('lists its tables', async () => {
      expect((await db.tables()).map((t) => t.name)).toContain(table)
    })

    it('explains a bad statement with the server\'s own words', async () => {
      await expect(db.query('SELEC nonsense')).rejects.toMatchObject({ code: 'E_SQL' })
    })

    it('refuses writes on a read-only alias but still reads', async () => {
      const ro = await make({ readOnly: true })
      try {
        await expect(ro.query(`INSERT INTO ${table} (id, name) VALUES (9, 'x')`)).rejects.toMatchObject({ code: 'E_READ_ONLY' })
        await expect(ro.query(`DROP TABLE ${table}`)).rejects.toMatchObject({ code: 'E_READ_ONLY' })
        expect((await ro.query(`SELECT count(*) FROM ${table}`)).rows).toHaveLength(1)
      } finally {
        await ro.close()
      }
    })

    it('reports itself healthy with its server version', async () => {
      const report = await db.check()
      expect(report.state, JSON.stringify(report.error)).toBe('ok')
      expect(report.version).toBeTruthy()
    })
  })
}
