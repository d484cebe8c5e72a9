import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import Sqlite from 'better-sqlite3'
import mysql from 'mysql2'
import pg from 'pg'
import Cursor from 'pg-cursor'
import type { Database } from '../../main/backends/data/base'
import { dataEngines } from '../../main/backends/data'
import { createBackend, testContext, type TestContext } from '../../test/support/engine-context'
import { serviceEnv } from '../../test/support/services'

/**
 * The engines the data benchmark runs on, each with the raw driver doing the same work beside it: the
 * reference every figure is compared with. A server that is not available is a reason, not an error.
 */
export interface BenchEngine {
  engine: string
  /** Backplane's backend for the table (through its engine and the base, as handlers use it). */
  db: Database
  raw: RawDriver
  /** Makes `bench_rows` with `rows` rows unless it is already there; says what it did. */
  seed(rows: number): Promise<{ reused: boolean; ms: number }>
  /** One statement that runs for about 30 s at the server. */
  slowSql: string
  close(): Promise<void>
}

export interface RawDriver {
  /** Every row of a statement with `?` placeholders, as the driver's users usually read a page. */
  all(sql: string, params: readonly unknown[]): Promise<number>
  /** The driver's own streaming (iterate, a cursor, a row stream): rows counted, none kept. */
  stream(sql: string): Promise<number>
  close(): Promise<void>
}

export const TABLE = 'bench_rows'
const COLUMNS = 'id integer PRIMARY KEY, label varchar(40) NOT NULL, qty integer NOT NULL, price double precision NOT NULL, note varchar(80)'

export type EngineOpener = () => Promise<BenchEngine | string>

export const BENCH_ENGINES: Record<string, EngineOpener> = { sqlite: openSqlite, postgresql: openPostgres, mysql: openMysql }

function engineDefinition(id: string) {
  const found = dataEngines.find((e) => e.id === id)
  if (!found) throw new Error(`no ${id} engine`)
  return found
}

async function openSqlite(): Promise<BenchEngine> {
  const dir = process.env.BENCH_DATA_HOME ?? '/tmp/backplane-bench-data'
  mkdirSync(dir, { recursive: true })
  const file = join(dir, 'bench.sqlite3')
  const ctx = testContext('data')
  const db = await createBackend<Database>(engineDefinition('sqlite'), { name: file }, ctx)
  const raw = new Sqlite(file)
  raw.pragma('journal_mode = WAL')
  return {
    engine: 'sqlite',
    db,
    raw: {
      all: async (sql, params) => raw.prepare(sql).raw(true).all(...params).length,
      stream: async (sql) => {
        let n = 0
        for (const _ of raw.prepare(sql).raw(true).iterate()) n++
        return n
      },
      close: async () => void raw.close(),
    },
    seed: (rows) =>
      seeded(async () => raw.prepare("SELECT 1 FROM sqlite_schema WHERE name = ?").get(TABLE) !== undefined && raw.prepare(`SELECT count(*) FROM ${TABLE}`).pluck().get() === rows, async () => {
        raw.exec(`DROP TABLE IF EXISTS ${TABLE}; CREATE TABLE ${TABLE} (${COLUMNS.replace('id integer', 'id INTEGER')})`)
        raw.exec(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${rows})
          INSERT INTO ${TABLE} SELECT i, 'row ' || i, i % 1000, (i % 100000) / 100.0, 'a note of some length for row ' || i FROM n`)
      }),
    // About 30 s of SQLite's own work in one step (the recursive CTE, counted).
    slowSql: 'WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 60000000) SELECT count(*) FROM n',
    close: () => closeAll(ctx, db, raw.open ? () => raw.close() : undefined),
  }
}

async function openPostgres(): Promise<BenchEngine | string> {
  const env = serviceEnv('postgres')
  if (!env) return 'BACKPLANE_TEST_POSTGRES_URL is not set (bash scripts/testbed.sh start)'
  const url = env.BACKPLANE_TEST_POSTGRES_URL!
  const ctx = testContext('data')
  const db = await createBackend<Database>(engineDefinition('postgresql'), { ...serverOptions(url), sslmode: 'disable' }, ctx)
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  const numbered = (sql: string) => {
    let n = 0
    return sql.replace(/\?/g, () => `$${++n}`)
  }
  return {
    engine: 'postgresql',
    db,
    raw: {
      all: async (sql, params) => (await client.query({ text: numbered(sql), values: [...params], rowMode: 'array' })).rows.length,
      stream: async (sql) => {
        const cursor = client.query(new Cursor(sql, [], { rowMode: 'array' }))
        let n = 0
        for (;;) {
          const rows = await cursor.read(4000)
          n += rows.length
          if (rows.length === 0) break
        }
        await cursor.close()
        return n
      },
      close: () => client.end(),
    },
    seed: (rows) =>
      seeded(
        async () => Number((await client.query(`SELECT count(*) AS n FROM ${TABLE}`).catch(() => ({ rows: [{ n: -1 }] }))).rows[0].n) === rows,
        async () => {
          await client.query(`DROP TABLE IF EXISTS ${TABLE}`)
          await client.query(`CREATE TABLE ${TABLE} (${COLUMNS})`)
          await client.query(`INSERT INTO ${TABLE} SELECT i, 'row ' || i, i % 1000, (i % 100000) / 100.0, 'a note of some length for row ' || i FROM generate_series(1, ${rows}) AS i`)
          await client.query(`VACUUM ANALYZE ${TABLE}`)
        },
      ),
    slowSql: 'SELECT pg_sleep(30)',
    close: () => closeAll(ctx, db, async () => (await dropUnlessKept((sql) => client.query(sql)), await client.end())),
  }
}

async function openMysql(): Promise<BenchEngine | string> {
  const env = serviceEnv('mysql')
  if (!env) return 'BACKPLANE_TEST_MYSQL_URL is not set (bash scripts/testbed.sh start)'
  const url = env.BACKPLANE_TEST_MYSQL_URL!
  const ctx = testContext('data')
  const db = await createBackend<Database>(engineDefinition('mysql'), serverOptions(url), ctx)
  const callbacks = mysql.createConnection({ uri: url })
  const connection = callbacks.promise()
  await connection.connect()
  const raw: RawDriver = {
    all: async (sql, params) => ((await connection.query({ sql, values: [...params], rowsAsArray: true }))[0] as unknown[]).length,
    // The callback connection's row stream, which mysql2 offers for results too large to hold.
    stream: (sql) =>
      new Promise((resolve, reject) => {
        let n = 0
        callbacks
          .query({ sql, rowsAsArray: true })
          .stream({ highWaterMark: 256 })
          .on('data', () => n++)
          .on('end', () => resolve(n))
          .on('error', reject)
      }),
    close: () => connection.end(),
  }
  return {
    engine: 'mysql',
    db,
    raw,
    seed: (rows) =>
      seeded(
        async () => Number(((await connection.query(`SELECT count(*) AS n FROM ${TABLE}`).catch(() => [[{ n: -1 }]])) as [{ n: number }[]])[0][0]!.n) === rows,
        async () => {
          await connection.query(`DROP TABLE IF EXISTS ${TABLE}`)
          await connection.query(`CREATE TABLE ${TABLE} (${COLUMNS}) ENGINE=InnoDB CHARACTER SET utf8mb4`)
          // MariaDB's sequence engine; MySQL has none (the testbed runs MariaDB).
          await connection.query(`INSERT INTO ${TABLE} SELECT seq, CONCAT('row ', seq), seq % 1000, (seq % 100000) / 100.0, CONCAT('a note of some length for row ', seq) FROM seq_1_to_${rows}`)
          await connection.query(`ANALYZE TABLE ${TABLE}`)
        },
      ),
    slowSql: 'SELECT SLEEP(30)',
    close: () => closeAll(ctx, db, async () => (await dropUnlessKept((sql) => connection.query(sql)), await raw.close())),
  }
}

/** The testbed's servers are shared with the test suites: the table goes unless BENCH_DATA_KEEP=1 (then the next run reuses it). */
async function dropUnlessKept(run: (sql: string) => Promise<unknown>): Promise<void> {
  if (process.env.BENCH_DATA_KEEP !== '1') await run(`DROP TABLE IF EXISTS ${TABLE}`)
}

function serverOptions(url: string): Record<string, unknown> {
  const u = new URL(url)
  return { host: u.hostname, port: Number(u.port), user: decodeURIComponent(u.username), password: decodeURIComponent(u.password), name: u.pathname.slice(1) }
}

async function seeded(present: () => Promise<boolean>, make: () => Promise<void>): Promise<{ reused: boolean; ms: number }> {
  const t0 = performance.now()
  if (await present()) return { reused: true, ms: Math.round(performance.now() - t0) }
  await make()
  return { reused: false, ms: Math.round(performance.now() - t0) }
}

/** A cancelled statement the server is slow to drop must not hold the benchmark: closing waits 5 s at most. */
async function closeAll(ctx: TestContext, db: Database, closeRaw?: () => unknown): Promise<void> {
  await Promise.resolve(closeRaw?.()).catch(() => undefined)
  await Promise.race([db.close().catch(() => undefined), new Promise((r) => setTimeout(r, 5_000).unref())])
  ctx.cleanup()
}
