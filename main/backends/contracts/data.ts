import assert from 'node:assert/strict'
import { ErrorCode } from '../../core/errors'
import type { Database } from '../data/base'
import { assertHealthy } from './health'
import { rejectsWithCode, using, type CaseTools, type ContractSuite } from './harness'

/** The SQL that differs between servers, which each engine's test supplies. Absent hooks skip their cases with the reason. */
export interface DataDialect {
  /** `CREATE TABLE <table> (id integer PRIMARY KEY, name varchar(100))` in the server's words. */
  createTable(table: string): string
  dropTable(table: string): string
  /** One statement that runs about `seconds` at the server: `SELECT pg_sleep(5)`, `SELECT SLEEP(5)`, a long recursive CTE. */
  sleep?(seconds: number): string
  /**
   * A script creating `<p>_author (id PK, name NOT NULL, born date NULL DEFAULT …)`, `<p>_book (id PK,
   * author_id FK → <p>_author(id) ON DELETE CASCADE, title, isbn UNIQUE)` with an index `<p>_book_title_idx`
   * on title, and a view `<p>_book_view` over both; and the script dropping them.
   */
  fixtureSchema?(prefix: string): { create: string; drop: string }
  /**
   * One SELECT returning one row whose columns are named as the keys of `expect`, and the JSON cells the
   * engine must answer for them. Cover at least: an integer beyond 2^53 (as a string), a decimal (string,
   * all digits), bytes ({ $bytes, size }), JSON ({ $json }), a timestamp with zone (ISO text naming the
   * zone or Z), a UUID where the server has one, SQL NULL (null) and the text 'NULL' ('NULL').
   */
  exactValues?(): { sql: string; expect: Record<string, unknown> }
  /** Writes spelled in ways a first-keyword guess would miss (CTE-wrapped DML, comments first, functions with side effects, DO blocks, lower case, parentheses), each of which a read-only alias must refuse. `table` exists. */
  sneakyWrites?(table: string): string[]
}

export interface DataFixture {
  /** A connection; readOnly makes it a read-only alias. */
  make(options?: { readOnly?: boolean }): Promise<Database>
  /** The DDL that differs between servers; standard SQL when absent. */
  dialect?: DataDialect
  afterEach?(): Promise<void>
}

const STANDARD: DataDialect = {
  createTable: (table) => `CREATE TABLE ${table} (id integer PRIMARY KEY, name varchar(100))`,
  dropTable: (table) => `DROP TABLE IF EXISTS ${table}`,
}

const table = `bp_contract_${process.pid}`

/** A case on a fresh table `(id, name)`, dropped afterwards; skipped for an engine that cannot write. */
async function withTable(f: DataFixture, t: CaseTools, run: (db: Database) => Promise<void>): Promise<void> {
  const dialect = f.dialect ?? STANDARD
  await using(f.make(), async (db) => {
    if (db.readOnly) t.skip('the engine is read-only, so the suite cannot create a table to test with')
    await db.query(dialect.dropTable(table))
    await db.query(dialect.createTable(table))
    try {
      await run(db)
    } finally {
      await db.query(dialect.dropTable(table))
    }
  })
}

/** What every database engine must do, whatever its server. */
export const dataSuite: ContractSuite<DataFixture> = {
  kind: 'data',
  cases: [
    {
      name: 'writes with ? parameters and reads rows back with their columns',
      run: (f, t) =>
        withTable(f, t, async (db) => {
          const insert = await db.query(`INSERT INTO ${table} (id, name) VALUES (?, ?), (?, ?)`, [1, 'Ada', 2, 'Zoë'])
          assert.equal(insert.rowCount, 2)
          const result = await db.query(`SELECT id, name FROM ${table} ORDER BY id`)
          assert.deepEqual(result.columns.map((c) => c.name), ['id', 'name'])
          assert.deepEqual(result.rows, [[1, 'Ada'], [2, 'Zoë']])
          assert.equal(result.truncated, false)
        }),
    },
    {
      name: 'stops reading at maxRows and says the result was truncated',
      run: (f, t) =>
        withTable(f, t, async (db) => {
          for (let i = 0; i < 5; i++) await db.query(`INSERT INTO ${table} (id, name) VALUES (?, ?)`, [i, `n${i}`])
          const result = await db.query(`SELECT id FROM ${table} ORDER BY id`, [], { maxRows: 3 })
          assert.equal(result.rows.length, 3)
          assert.equal(result.truncated, true)
        }),
    },
    {
      name: 'lists its tables',
      run: async (f, t) => {
        const readOnly = await using(f.make(), async (db) => {
          const tables = await db.tables()
          assert.ok(Array.isArray(tables) && tables.every((x) => typeof x.name === 'string' && (x.type === 'table' || x.type === 'view')), `tables() returned ${JSON.stringify(tables).slice(0, 200)}`)
          return db.readOnly
        })
        // A read-only engine cannot be given a table to find; that it lists none proves nothing.
        if (readOnly) t.skip('the engine is read-only, so the suite cannot create a table to find in the list')
        await withTable(f, t, async (db) => assert.ok((await db.tables()).some((x) => x.name === table), `the table ${table} just created is not listed`))
      },
    },
    {
      name: "explains a bad statement with the server's own words",
      run: (f) => using(f.make(), async (db) => void (await rejectsWithCode(db.query('SELEC nonsense'), ErrorCode.E_SQL, 'a statement that is not SQL'))),
    },
    {
      name: 'refuses writes on a read-only alias, however they are spelled',
      run: async (f) => {
        const refuses = (ro: Database) =>
          using(ro, async () => {
            await rejectsWithCode(ro.query(`INSERT INTO ${table} (id, name) VALUES (9, 'x')`), ErrorCode.E_READ_ONLY, 'INSERT on a read-only alias')
            await rejectsWithCode(ro.query(`DROP TABLE ${table}`), ErrorCode.E_READ_ONLY, 'DROP TABLE on a read-only alias')
          })
        // On a server that can write, the statements name a table that exists, so only read-only-ness refuses them.
        if (await using(f.make(), async (db) => Boolean(db.readOnly))) return refuses(await f.make({ readOnly: true }))
        const dialect = f.dialect ?? STANDARD
        await using(f.make(), async (db) => {
          await db.query(dialect.dropTable(table))
          await db.query(dialect.createTable(table))
          try {
            await refuses(await f.make({ readOnly: true }))
          } finally {
            await db.query(dialect.dropTable(table))
          }
        })
      },
    },
    {
      name: 'still reads on a read-only alias',
      run: (f, t) =>
        withTable(f, t, async () => {
          await using(f.make({ readOnly: true }), async (ro) => assert.equal((await ro.query(`SELECT count(*) FROM ${table}`)).rows.length, 1))
        }),
    },
    {
      name: 'reports itself healthy with its server version',
      run: (f) =>
        using(f.make(), async (db) => {
          const report = assertHealthy(await db.check())
          assert.ok(report.version, 'the health report names no server version')
        }),
    },
  ],
}
