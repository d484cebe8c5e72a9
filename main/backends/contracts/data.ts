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
  /** The statement that starts a transaction in a script, when not `BEGIN`. */
  begin?: string
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
      name: 'translates ? only where it is code, not in strings, quoted names or comments',
      run: (f) =>
        using(f.make(), async (db) => {
          const result = await db.query(`SELECT ? AS a, '?' AS b /* ? */ -- ?\n`, [5])
          // A parameter of unknown type may come back as text (PostgreSQL infers text): the value is what counts.
          assert.equal(result.rows.length, 1)
          assert.equal(String(result.rows[0]![0]), '5')
          assert.equal(result.rows[0]![1], '?')
          assert.equal(result.kind, 'rows')
        }),
    },
    {
      name: 'answers a write with the rows it changed, not with a result set',
      run: (f, t) =>
        withTable(f, t, async (db) => {
          const insert = await db.query(`INSERT INTO ${table} (id, name) VALUES (1, 'a'), (2, 'b'), (3, 'c')`)
          assert.equal(insert.kind, 'write')
          assert.equal(insert.rowCount, 3)
          assert.deepEqual(insert.columns, [])
        }),
    },
    {
      name: 'runs a script on one connection, a result per statement, so a transaction spans it',
      run: (f, t) =>
        withTable(f, t, async (db) => {
          if (!db.script) t.skip('the engine has no script()')
          const begin = f.dialect?.begin ?? 'BEGIN'
          const run = await db.script!(`${begin}; INSERT INTO ${table} (id, name) VALUES (1, 'x'); ROLLBACK; SELECT count(*) AS n FROM ${table}`)
          assert.equal(run.failure, undefined, `the script failed: ${run.failure?.error.message}`)
          assert.equal(run.results.length, 4)
          assert.equal(run.results[1]!.kind, 'write')
          assert.equal(Number(run.results[3]!.rows[0]![0]), 0, 'the INSERT inside the rolled-back transaction was stored')
          const failing = await db.script!(`INSERT INTO ${table} (id, name) VALUES (5, 'y'); SELEC nonsense; INSERT INTO ${table} (id, name) VALUES (6, 'z')`)
          assert.equal(failing.failure?.statementIndex, 1)
          assert.equal(failing.failure?.error.code, ErrorCode.E_SQL)
          assert.equal(failing.results.length, 1, 'statements after the failing one ran')
        }),
    },
    {
      name: 'streams every row in batches, waiting for the consumer',
      run: (f, t) =>
        withTable(f, t, async (db) => {
          if (!db.stream) t.skip('the engine has no stream()')
          const values = Array.from({ length: 5000 }, (_, i) => `(${i}, 'n${i}')`)
          for (let i = 0; i < values.length; i += 300) await db.query(`INSERT INTO ${table} (id, name) VALUES ${values.slice(i, i + 300).join(', ')}`)
          let seen = 0
          let batches = 0
          const { rowCount } = await db.stream!(`SELECT id, name FROM ${table} ORDER BY id`, [], {
            columns: (c) => assert.deepEqual(c.map((x) => x.name.toLowerCase()), ['id', 'name']),
            rows: async (batch) => {
              batches++
              for (const row of batch) assert.equal(Number(row[0]), seen++)
              await new Promise((resolve) => setTimeout(resolve, 1))
            },
          })
          assert.equal(rowCount, 5000)
          assert.equal(seen, 5000)
          assert.ok(batches > 1, 'all 5,000 rows came in one batch: the engine read the whole result at once')
        }),
    },
    {
      name: 'cancels a slow statement at the server and answers E_CANCELLED within a second',
      run: (f, t) =>
        using(f.make(), async (db) => {
          if (!f.dialect?.sleep || !db.cancel) t.skip('no slow statement for this server (DataDialect.sleep)')
          const queryId = `contract-cancel-${process.pid}`
          const running = db.query(f.dialect!.sleep!(20), [], { queryId })
          running.catch(() => undefined)
          await new Promise((resolve) => setTimeout(resolve, 300))
          const t0 = Date.now()
          assert.equal(await db.cancel!(queryId), true, 'cancel() did not find the running query')
          await rejectsWithCode(running, ErrorCode.E_CANCELLED, 'the cancelled query')
          const took = Date.now() - t0
          assert.ok(took < 1000, `the cancelled call answered after ${took} ms`)
          assert.equal(await db.cancel!(queryId), false, 'a finished query can still be cancelled')
          assert.equal((await db.query('SELECT 1 AS one')).rows.length, 1, 'the alias does not answer after a cancel')
        }),
    },
    {
      name: 'keeps values exact: big integers, decimals, bytes, JSON, times with zone, NULL apart from the text NULL',
      run: (f, t) =>
        using(f.make(), async (db) => {
          if (!f.dialect?.exactValues) t.skip('no exact-values statement for this server (DataDialect.exactValues)')
          const { sql, expect } = f.dialect!.exactValues!()
          const result = await db.query(sql)
          const names = result.columns.map((c) => c.name.toLowerCase())
          for (const [name, value] of Object.entries(expect)) {
            const index = names.indexOf(name.toLowerCase())
            assert.ok(index >= 0, `the result has no column ${name}`)
            assert.deepEqual(result.rows[0]![index], value, `column ${name}`)
          }
        }),
    },
    {
      name: 'refuses writes spelled to slip past a keyword check, and stores nothing',
      run: async (f, t) => {
        if (!f.dialect?.sneakyWrites) t.skip('no unusual writes listed for this server (DataDialect.sneakyWrites)')
        await withTable(f, t, async (db) => {
          await db.query(`INSERT INTO ${table} (id, name) VALUES (1, 'kept')`)
          await using(f.make({ readOnly: true }), async (ro) => {
            for (const sql of f.dialect!.sneakyWrites!(table)) {
              let error: unknown
              try {
                await (ro.script ? ro.script(sql).then((r) => { if (r.failure) throw r.failure.error }) : ro.query(sql))
              } catch (err) {
                error = err
              }
              assert.ok(error, `a read-only alias ran: ${sql}`)
              assert.equal((error as { code?: string }).code, ErrorCode.E_READ_ONLY, `${sql} failed with ${(error as Error).message}, not as read-only`)
            }
          })
          const rows = (await db.query(`SELECT id, name FROM ${table} ORDER BY id`)).rows
          assert.deepEqual(rows, [[1, 'kept']], 'a refused statement changed the table')
        })
      },
    },
    {
      name: 'introspects tables, views, columns, keys, indexes and foreign keys',
      run: async (f, t) => {
        if (!f.dialect?.fixtureSchema) t.skip('no fixture schema for this server (DataDialect.fixtureSchema)')
        const p = `bp_fx${process.pid}`
        const { create, drop } = f.dialect!.fixtureSchema!(p)
        await using(f.make(), async (db) => {
          if (db.readOnly || !db.script || !db.describe) t.skip('the engine cannot create the fixture or describe tables')
          await db.script!(drop)
          const made = await db.script!(create)
          assert.equal(made.failure, undefined, `the fixture failed: ${made.failure?.error.message}`)
          try {
            const tables = await db.tables()
            const find = (name: string) => tables.find((x) => x.name.toLowerCase() === name)
            assert.equal(find(`${p}_author`)?.type, 'table')
            assert.equal(find(`${p}_book_view`)?.type, 'view')
            const book = await db.describe!({ ...(find(`${p}_book`)?.schema ? { schema: find(`${p}_book`)!.schema! } : {}), name: find(`${p}_book`)!.name })
            assert.deepEqual(book.primaryKey.map((c) => c.toLowerCase()), ['id'])
            assert.deepEqual(book.columns.map((c) => c.name.toLowerCase()).slice(0, 4), ['id', 'author_id', 'title', 'isbn'])
            const fk = book.foreignKeys.find((k) => k.columns.map((c) => c.toLowerCase()).join() === 'author_id')
            assert.ok(fk, 'the foreign key author_id is missing')
            assert.equal(fk.references.name.toLowerCase(), `${p}_author`)
            assert.deepEqual(fk.references.columns.map((c) => c.toLowerCase()), ['id'])
            assert.match(fk.onDelete ?? '', /cascade/i)
            assert.ok(book.indexes.some((i) => i.name.toLowerCase() === `${p}_book_title_idx` && i.columns.map((c) => c.toLowerCase()).join() === 'title' && !i.unique), 'the title index is missing')
            assert.ok(book.indexes.some((i) => i.unique && i.columns.map((c) => c.toLowerCase()).join() === 'isbn'), 'the unique isbn index is missing')
            const author = await db.describe!({ ...(find(`${p}_author`)?.schema ? { schema: find(`${p}_author`)!.schema! } : {}), name: find(`${p}_author`)!.name })
            const name = author.columns.find((c) => c.name.toLowerCase() === 'name')!
            const born = author.columns.find((c) => c.name.toLowerCase() === 'born')!
            assert.equal(name.nullable, false)
            assert.equal(born.nullable, true)
            assert.notEqual(born.default, null, 'the default of born is missing')
            assert.equal(author.columns.find((c) => c.name.toLowerCase() === 'id')!.primaryKey, 1)
          } finally {
            await db.script!(drop)
          }
        })
      },
    },
    {
      name: 'pages through a table by its key, with sort and filters bound as parameters',
      run: (f, t) =>
        withTable(f, t, async (db) => {
          if (!db.page) t.skip('the engine has no page()')
          await db.query(`INSERT INTO ${table} (id, name) VALUES (1, 'ann'), (2, 'bob'), (3, 'cy'), (4, 'dee'), (5, '100%'), (6, 'eve'), (7, 'fay')`)
          const ids: number[] = []
          let after: unknown[] | undefined
          for (let pages = 0; pages < 10; pages++) {
            const page = await db.page!({ table: { name: table }, limit: 3, ...(after ? { after } : {}) })
            assert.equal(page.paging, 'keyset')
            ids.push(...page.rows.map((r) => Number(r[page.keyColumns[0]!])))
            if (!page.truncated) break
            after = page.keyColumns.map((k) => page.rows.at(-1)![k])
          }
          assert.deepEqual(ids, [1, 2, 3, 4, 5, 6, 7])
          const filtered = await db.page!({ table: { name: table }, limit: 10, filters: [{ column: 'name', op: 'contains', value: '%' }] })
          assert.deepEqual(filtered.rows.map((r) => r[1]), ['100%'], 'LIKE wildcards in a filter value were not escaped')
          const sorted = await db.page!({ table: { name: table }, limit: 2, offset: 1, sort: [{ column: 'name', descending: true }] })
          assert.equal(sorted.paging, 'offset')
          assert.deepEqual(sorted.rows.map((r) => r[1]), ['eve', 'dee'])
          await rejectsWithCode(db.page!({ table: { name: table }, limit: 1, sort: [{ column: 'name; DROP TABLE x', descending: false }] }), ErrorCode.E_INVALID_INPUT, 'a sort by a column that does not exist')
        }),
    },
    {
      name: 'applies grid edits in one transaction, and none of them when a row has changed',
      run: (f, t) =>
        withTable(f, t, async (db) => {
          if (!db.applyChanges || !db.planChanges) t.skip('the engine has no change sets')
          await db.query(`INSERT INTO ${table} (id, name) VALUES (1, 'ann'), (2, 'bob')`)
          const plan = await db.planChanges!({ table: { name: table }, changes: [{ op: 'update', key: { id: 1 }, set: { name: "o'neil" } }] })
          assert.equal(plan.length, 1)
          assert.match(plan[0]!.display, /o''neil/, 'the displayed statement does not show the value as a literal')
          const applied = await db.applyChanges!({
            table: { name: table },
            changes: [
              { op: 'update', key: { id: 1 }, set: { name: 'ada' } },
              { op: 'insert', values: { id: 3, name: 'cy' } },
              { op: 'delete', key: { id: 2 } },
            ],
          })
          assert.equal(applied.rowsAffected, 3)
          assert.deepEqual((await db.query(`SELECT id, name FROM ${table} ORDER BY id`)).rows, [[1, 'ada'], [3, 'cy']])
          await rejectsWithCode(
            db.applyChanges!({ table: { name: table }, changes: [{ op: 'update', key: { id: 1 }, set: { name: 'lost' } }, { op: 'delete', key: { id: 99 } }] }),
            ErrorCode.E_CONFLICT,
            'a change set whose delete matches no row',
          )
          assert.deepEqual((await db.query(`SELECT id, name FROM ${table} ORDER BY id`)).rows, [[1, 'ada'], [3, 'cy']], 'part of a failed change set was committed')
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
