import { sampleLoopLag } from '../../../../test/support/loop-lag'
import { existsSync, readFileSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { dataContract } from '../../../../test/contracts/data.contract'
import { createBackend, testContext } from '../../../../test/support/engine-context'
import type { Database } from '../base'
import { sqliteEngine } from './sqlite'

const ctx = testContext('data')
afterAll(() => ctx.cleanup())

/** A statement that runs for a long while inside one step of SQLite: the hardest kind to stop. */
const countTo = (n: number) => `WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < ${n}) SELECT count(*) FROM c`

dataContract('sqlite', (options = {}) => createBackend<Database>(sqliteEngine, { name: 'contract.sqlite3', ...options }, ctx), {
  createTable: (t) => `CREATE TABLE ${t} (id INTEGER PRIMARY KEY, name TEXT)`,
  dropTable: (t) => `DROP TABLE IF EXISTS ${t}`,
  sleep: (seconds) => countTo(seconds * 20_000_000),
  fixtureSchema: (p) => ({
    create: `CREATE TABLE ${p}_author (id INTEGER PRIMARY KEY, name TEXT NOT NULL, born DATE DEFAULT '1900-01-01');
      CREATE TABLE ${p}_book (id INTEGER PRIMARY KEY, author_id INTEGER NOT NULL REFERENCES ${p}_author (id) ON DELETE CASCADE, title TEXT, isbn TEXT UNIQUE);
      CREATE INDEX ${p}_book_title_idx ON ${p}_book (title);
      CREATE VIEW ${p}_book_view AS SELECT b.title, a.name FROM ${p}_book b JOIN ${p}_author a ON a.id = b.author_id;`,
    drop: `DROP VIEW IF EXISTS ${p}_book_view; DROP TABLE IF EXISTS ${p}_book; DROP TABLE IF EXISTS ${p}_author;`,
  }),
  exactValues: () => ({
    sql: "SELECT 9007199254740993 AS big, -9223372036854775808 AS min64, 1.5 AS real_number, x'00ff' AS bytes, json_object('a', json_array(1, NULL)) AS doc, NULL AS no_value, 'NULL' AS null_text",
    // SQLite has no JSON type: json_object() answers text, shown as the text it is.
    expect: { big: '9007199254740993', min64: '-9223372036854775808', real_number: 1.5, bytes: { $bytes: 'AP8=', size: 2 }, doc: '{"a":[1,null]}', no_value: null, null_text: 'NULL' },
  }),
  sneakyWrites: (t) => [
    `insert into ${t} (id, name) values (2, 'x')`,
    `/* just a comment */ DELETE FROM ${t}`,
    `WITH x AS (SELECT 1) UPDATE ${t} SET name = 'changed'`,
    `-- a line comment\nDROP TABLE ${t}`,
    `REPLACE INTO ${t} (id, name) VALUES (1, 'replaced')`,
    `PRAGMA query_only = OFF; DELETE FROM ${t}`,
    `CREATE TABLE ${t}_new (x)`,
    `ALTER TABLE ${t} ADD COLUMN y`,
  ],
})

describe('sqlite engine', () => {
  it('keeps a relative database file in the data directory', async () => {
    const db = await createBackend<Database>(sqliteEngine, { name: 'sub/dir/app.sqlite3' }, ctx)
    await db.query('CREATE TABLE t (x)')
    await db.close()
    expect(existsSync(join(ctx.dataDir, 'sub/dir/app.sqlite3'))).toBe(true)
  })

  it('asks for a script when given several statements', async () => {
    const db = await createBackend<Database>(sqliteEngine, { name: ':memory:' }, ctx)
    await expect(db.query('SELECT 1; SELECT 2')).rejects.toMatchObject({ code: 'E_INVALID_INPUT' })
    expect((await db.script!('SELECT 1; SELECT 2')).results.map((r) => r.rows)).toEqual([[[1]], [[2]]])
    await db.close()
  })

  it('runs a slow statement off the main thread: timers keep firing on time meanwhile', async () => {
    const db = await createBackend<Database>(sqliteEngine, { name: 'slow.sqlite3' }, ctx)
    let took: number
    let worstLag: number
    try {
      await db.query('SELECT 1') // the thread is started before the clock runs
      const { result, worstLagMs, elapsedMs } = await sampleLoopLag(() => db.query(countTo(10_000_000)))
      took = elapsedMs
      worstLag = worstLagMs
      expect(result.rows[0]![0]).toBe(10_000_000)
    } finally {
      await db.close()
    }
    // On the main thread the loop would stall for the whole query; relative, so a loaded machine passes too.
    expect(took).toBeGreaterThan(200)
    expect(worstLag).toBeLessThan(took / 3)
  })

  it('reads only maxRows of an endless result, and the connection stays usable', async () => {
    const db = await createBackend<Database>(sqliteEngine, { name: ':memory:' }, ctx)
    const endless = 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x FROM c'
    const result = await db.query(endless, [], { maxRows: 10 })
    expect(result.rows).toHaveLength(10)
    expect(result.truncated).toBe(true)
    expect((await db.query('SELECT 2 AS two')).rows).toEqual([[2]])
    await db.close()
  })

  it('rolls back a write that was cancelled, rather than committing it after saying "cancelled"', async () => {
    const db = await createBackend<Database>(sqliteEngine, { name: 'cancel-write.sqlite3' }, ctx)
    await db.query('CREATE TABLE IF NOT EXISTS big (x INTEGER)')
    const running = db.query(`INSERT INTO big ${countTo(40_000_000).replace('SELECT count(*) FROM c', 'SELECT x FROM c')}`, [], { queryId: 'w' })
    running.catch(() => undefined)
    await new Promise((resolve) => setTimeout(resolve, 300))
    await db.cancel!('w')
    await expect(running).rejects.toMatchObject({ code: 'E_CANCELLED' })
    // The stopped thread's connection closes once SQLite's step ends; its transaction never commits.
    await new Promise((resolve) => setTimeout(resolve, 100))
    const count = await db.query('SELECT count(*) FROM big')
    expect(count.rows[0]![0]).toBe(0)
    await db.close()
  }, 30_000)

  it('refuses ATTACH and VACUUM INTO, which would open or write files outside the alias', async () => {
    const db = await createBackend<Database>(sqliteEngine, { name: ':memory:' }, ctx)
    const outbox = join(ctx.dataDir, 'outbox.sqlite3')
    await expect(db.query(`ATTACH '${outbox}' AS o`)).rejects.toMatchObject({ code: 'E_UNSUPPORTED' })
    await expect(db.query(`attach database '${outbox}' as o`)).rejects.toMatchObject({ code: 'E_UNSUPPORTED' })
    await expect(db.query(`VACUUM INTO '${join(ctx.dataDir, 'copy.sqlite3')}'`)).rejects.toMatchObject({ code: 'E_UNSUPPORTED' })
    expect(existsSync(join(ctx.dataDir, 'copy.sqlite3'))).toBe(false)
    await db.close()
  })

  it("points at the token SQLite names in a syntax error, in the caller's text", async () => {
    const db = await createBackend<Database>(sqliteEngine, { name: ':memory:' }, ctx)
    const sql = 'SELECT 1;\nSELECT ? FROM WHERE t'
    const run = await db.script!(sql)
    expect(run.failure?.statementIndex).toBe(1)
    const details = run.failure?.error.details as { position?: number; serverCode?: string }
    expect(details.serverCode).toBe('SQLITE_ERROR')
    expect(sql.slice(details.position!, details.position! + 5)).toBe('WHERE')
    // SQLite stops at the last "t" (FORM is taken as a column alias): not the one in a string, nor the t of a word.
    const quoted = "SELECT 't' AS twist, 'FORM' FORM t"
    const failed = await db.query(quoted).catch((err: { details: { position?: number } }) => err)
    expect((failed as { details: { position?: number } }).details.position).toBe(quoted.length - 1)
    await db.close()
  })
})

describe("sqlite alias and Backplane's own files", () => {
  it('opens database files in the data directory, never the outbox, the settings or the trust list', async () => {
    const ctx = testContext('data')
    for (const name of ['outbox.sqlite3', 'OUTBOX.SQLITE3', 'outbox.sqlite3-wal', 'settings.json', 'trusted-engines.json', 'secret.key', `../${basename(ctx.dataDir)}/settings.json`]) {
      await expect(createBackend<Database>(sqliteEngine, { name }, ctx)).rejects.toMatchObject({ code: 'E_RESERVED_PATH' })
    }
    // Through a link to the data directory, too.
    const link = join(tmpdir(), `backplane-link-${process.pid}`)
    symlinkSync(ctx.dataDir, link)
    try {
      await expect(createBackend<Database>(sqliteEngine, { name: join(link, 'outbox.sqlite3') }, ctx)).rejects.toMatchObject({ code: 'E_RESERVED_PATH' })
    } finally {
      rmSync(link)
    }
    const db = await createBackend<Database>(sqliteEngine, { name: 'mine.sqlite3' }, ctx)
    expect((await db.query('select 1 as one')).rows).toEqual([[1]])
    await db.close()
  })
})

describe('sqlite aliases under hostile use', () => {
  const ctx = testContext('data')
  afterAll(() => ctx.cleanup())

  it('reads only up to maxRows of huge rows, however big each row is', async () => {
    const db = await createBackend<Database>(sqliteEngine, { name: ':memory:' }, ctx)
    const before = process.memoryUsage().rss
    const result = await db.query("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 3000) SELECT x, printf('%.*c', 1000000, 'z') FROM c", [], { maxRows: 1 })
    expect(result.rows).toHaveLength(1)
    expect(result.truncated).toBe(true)
    // Before, 2,000 rows of 1 MB were read and copied between threads to answer one.
    expect(process.memoryUsage().rss - before).toBeLessThan(400 * 1024 * 1024)
    await db.close()
  })

  it('leaves the file of a read-only alias as it is, and creates none', async () => {
    const file = join(ctx.dataDir, 'legacy.db')
    const writable = await createBackend<Database>(sqliteEngine, { name: file }, ctx)
    await writable.script!('PRAGMA journal_mode = DELETE; CREATE TABLE t (x); INSERT INTO t VALUES (1)')
    await writable.close()
    const header = () => readFileSync(file).subarray(18, 20).toString('hex')
    expect(header()).toBe('0101')
    const ro = await createBackend<Database>(sqliteEngine, { name: file, readOnly: true }, ctx)
    expect((await ro.query('SELECT x FROM t')).rows).toEqual([[1]])
    await ro.close()
    expect(header()).toBe('0101')
    expect(existsSync(`${file}-wal`)).toBe(false)
    const missing = await createBackend<Database>(sqliteEngine, { name: join(ctx.dataDir, 'no/such/typo.db'), readOnly: true }, ctx)
    await expect(missing.query('SELECT 1')).rejects.toMatchObject({ code: 'E_NOT_FOUND' })
    await missing.close()
    expect(existsSync(join(ctx.dataDir, 'no'))).toBe(false)
  })

  it('cancels a call still waiting for a connection at once', async () => {
    const db = await createBackend<Database>(sqliteEngine, { name: 'queue.sqlite3', poolSize: 1 }, ctx)
    const slow = db.query(countTo(60_000_000), [], { queryId: 'running' })
    slow.catch(() => undefined)
    await new Promise((resolve) => setTimeout(resolve, 200))
    const queued = db.query('SELECT 1', [], { queryId: 'queued' })
    queued.catch(() => undefined)
    await new Promise((resolve) => setTimeout(resolve, 100))
    const t0 = Date.now()
    expect(await db.cancel!('queued')).toBe(true)
    await expect(queued).rejects.toMatchObject({ code: 'E_CANCELLED' })
    expect(Date.now() - t0).toBeLessThan(500)
    await db.cancel!('running')
    await expect(slow).rejects.toMatchObject({ code: 'E_CANCELLED' })
    expect((await db.query('SELECT 2')).rows).toEqual([[2]])
    await db.close()
  }, 30_000)
})

describe('cells', () => {
  it('show JSON nested too deep to send as a note, not a crash', async () => {
    const { toJsonCell, jsonCell } = await import('../cells')
    let deep: unknown = 1
    for (let i = 0; i < 5000; i++) deep = [deep]
    expect(toJsonCell(jsonCell(deep))).toMatchObject({ $text: expect.stringMatching(/deeper than 1000/), truncated: true })
    expect(toJsonCell(jsonCell([[1]]))).toEqual({ $json: [[1]] })
  })
})
