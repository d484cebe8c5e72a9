import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { PassThrough, Writable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { Database } from '../../backends/data/base'
import { dataEngines } from '../../backends/data'
import { createBackend, testContext } from '../../../test/support/engine-context'
import { serviceEnv } from '../../../test/support/services'
import { exportRows, exportToFile } from '.'

/** RFC 4180 read back, telling a quoted empty field ('') from an empty one (NULL). */
function parseCsv(text: string): (string | null)[][] {
  const rows: (string | null)[][] = []
  let row: (string | null)[] = []
  let i = 0
  while (i < text.length) {
    let field: string | null
    if (text[i] === '"') {
      let value = ''
      i++
      for (;;) {
        const end = text.indexOf('"', i)
        value += text.slice(i, end)
        i = end + 1
        if (text[i] === '"') {
          value += '"'
          i++
        } else break
      }
      field = value
    } else {
      const end = text.slice(i).search(/,|\r\n/)
      field = text.slice(i, end < 0 ? undefined : i + end)
      i += field.length
      if (field === '') field = null
    }
    row.push(field)
    if (text.startsWith('\r\n', i)) {
      rows.push(row)
      row = []
      i += 2
    } else if (text[i] === ',') i++
    else if (i < text.length) throw new Error(`bad CSV at ${i}: ${JSON.stringify(text.slice(i, i + 20))}`)
  }
  return rows
}

/** A Writable that collects what it is given, optionally slowly, with a small buffer. */
function collector(delayMs = 0, highWaterMark = 16 * 1024): Writable & { text(): string } {
  const chunks: Buffer[] = []
  const out = new Writable({
    highWaterMark,
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk)
      if (delayMs) setTimeout(done, delayMs)
      else done()
    },
  })
  return Object.assign(out, { text: () => Buffer.concat(chunks).toString('utf8') })
}

interface EngineFixture {
  name: string
  make(): Promise<Database>
  /** DDL for the edge-case table `(id int PK, label text, note text, data bytes, big bigint, amount decimal(30,10))`. */
  edgeTable(table: string): string
  /** Fills `(id int PK, name text)` with `n` rows, id 1…n, name 'row <id>'. */
  numbersTable(table: string, n: number): string[]
  /** One statement that runs for about 30 s at the server, producing one row. */
  slow: string
  close(): Promise<void>
}

const sqliteCtx = testContext('data')
const fixtures: EngineFixture[] = [
  {
    name: 'sqlite',
    make: () => createBackend<Database>(dataEngines.find((e) => e.id === 'sqlite')!, { name: 'export.sqlite3' }, sqliteCtx),
    edgeTable: (t) => `CREATE TABLE ${t} (id INTEGER PRIMARY KEY, label TEXT, note TEXT, data BLOB, big INTEGER, amount TEXT)`,
    numbersTable: (t, n) => [
      `CREATE TABLE ${t} (id INTEGER PRIMARY KEY, name TEXT NOT NULL)`,
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${n}) INSERT INTO ${t} SELECT i, 'row ' || i FROM n`,
    ],
    slow: 'WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 60000000) SELECT count(*) FROM n',
    close: async () => sqliteCtx.cleanup(),
  },
]

const postgres = serviceEnv('postgres')
const postgresEngine = dataEngines.find((e) => e.id === 'postgresql')
if (postgres && postgresEngine) {
  const ctx = testContext('data')
  fixtures.push({
    name: 'postgresql',
    make: () => createBackend<Database>(postgresEngine, serverOptions(postgres.BACKPLANE_TEST_POSTGRES_URL!), ctx),
    edgeTable: (t) => `CREATE TABLE ${t} (id integer PRIMARY KEY, label text, note text, data bytea, big bigint, amount numeric(30,10))`,
    numbersTable: (t, n) => [`CREATE TABLE ${t} (id integer PRIMARY KEY, name text NOT NULL)`, `INSERT INTO ${t} SELECT i, 'row ' || i FROM generate_series(1, ${n}) AS i`],
    slow: 'SELECT pg_sleep(30)',
    close: async () => ctx.cleanup(),
  })
} else {
  process.stderr.write(`skipped data export on postgresql: ${postgres ? 'no postgresql engine yet' : 'BACKPLANE_TEST_POSTGRES_URL not set'}\n`)
}

const mysql = serviceEnv('mysql')
const mysqlEngine = dataEngines.find((e) => e.id === 'mysql')
if (mysql && mysqlEngine) {
  const ctx = testContext('data')
  fixtures.push({
    name: 'mysql',
    make: () => createBackend<Database>(mysqlEngine, serverOptions(mysql.BACKPLANE_TEST_MYSQL_URL!), ctx),
    edgeTable: (t) => `CREATE TABLE ${t} (id integer PRIMARY KEY, label text, note text, data longblob, big bigint, amount decimal(30,10)) CHARACTER SET utf8mb4`,
    // MariaDB's sequence engine (the testbed's server) makes the numbers.
    numbersTable: (t, n) => [`CREATE TABLE ${t} (id integer PRIMARY KEY, name text NOT NULL)`, `INSERT INTO ${t} SELECT seq, CONCAT('row ', seq) FROM seq_1_to_${n}`],
    slow: 'SELECT SLEEP(30)',
    close: async () => ctx.cleanup(),
  })
} else {
  process.stderr.write(`skipped data export on mysql: ${mysql ? 'no mysql engine yet' : 'BACKPLANE_TEST_MYSQL_URL not set'}\n`)
}

/** The engine's options from a testbed URL (Django's NAME/USER/PASSWORD/HOST/PORT, as the engines take them). */
function serverOptions(url: string): Record<string, unknown> {
  const u = new URL(url)
  return { host: u.hostname, port: Number(u.port), user: decodeURIComponent(u.username), password: decodeURIComponent(u.password), name: u.pathname.slice(1) }
}

const suffix = `${process.pid}`

describe.each(fixtures)('data export on $name', (fixture) => {
  let db: Database
  const numbers = `export_numbers_${suffix}`
  const edge = `export_edge_${suffix}`
  const ROWS = 100_000
  const home = testContext('data')

  beforeAll(async () => {
    db = await fixture.make()
    for (const t of [numbers, edge]) await db.query(`DROP TABLE IF EXISTS ${t}`)
    for (const sql of fixture.numbersTable(numbers, ROWS)) await db.query(sql)
    await db.query(fixture.edgeTable(edge))
    const rows: unknown[][] = [
      [1, 'comma, inside', 'say "hi"', null, '9007199254740993', '12345678901234567890.0123456789'],
      [2, 'line\nbreak', 'carriage\r\nreturn', { $bytes: Buffer.from([0, 1, 254, 255]).toString('base64') }, -1, '0.5000000000'],
      [3, '', null, { $bytes: '' }, 0, null],
      [4, 'NULL', ' spaced ', null, null, '-1.0000000000'],
      [5, 'naïve ☃ 𝄞', '"', null, '-9223372036854775808', '0.0000000000'],
    ]
    for (const row of rows) await db.query(`INSERT INTO ${edge} (id, label, note, data, big, amount) VALUES (?, ?, ?, ?, ?, ?)`, row)
  })
  afterAll(async () => {
    for (const t of [numbers, edge]) await db.query(`DROP TABLE IF EXISTS ${t}`).catch(() => undefined)
    await db.close()
    home.cleanup()
    await fixture.close()
  })

  it(`exports all ${ROWS.toLocaleString('en')} rows of a table as CSV, counting rows and bytes`, async () => {
    const file = join(home.dataDir, 'numbers.csv')
    const progress: number[] = []
    const summary = await exportToFile({ db, source: { table: { name: numbers } }, format: 'csv', file, onProgress: (rows) => progress.push(rows) })
    const text = readFileSync(file, 'utf8')
    expect(summary).toMatchObject({ rows: ROWS, bytes: Buffer.byteLength(text), columns: ['id', 'name'], file })
    const lines = text.split('\r\n')
    expect(lines[0]).toBe('id,name')
    expect(lines[1]).toBe('1,row 1')
    expect(lines[ROWS]).toBe(`${ROWS},row ${ROWS}`)
    expect(lines).toHaveLength(ROWS + 2)
    expect(lines[ROWS + 1]).toBe('')
    // Progress comes batch by batch, not once at the end.
    expect(progress.length).toBeGreaterThan(10)
    expect(progress.at(-1)).toBe(ROWS)
    expect(existsSync(`${file}.partial`)).toBe(false)
  })

  it("writes CSV per RFC 4180: quotes where needed, CRLF, NULL as an empty field and '' as \"\"", async () => {
    const out = collector()
    await exportRows({ db, source: { sql: `SELECT id, label, note, data, big, amount FROM ${edge} ORDER BY id` }, format: 'csv', out })
    const text = out.text()
    expect(text.split('\r\n')[0]).toBe('id,label,note,data,big,amount')
    expect(text).toContain('1,"comma, inside","say ""hi""",,9007199254740993,12345678901234567890.0123456789\r\n')
    expect(text).toContain('3,"",,\\x,0,\r\n')
    const rows = parseCsv(text)
    expect(rows).toHaveLength(6)
    expect(rows.slice(1).map((r) => r.slice(0, 5))).toEqual([
      ['1', 'comma, inside', 'say "hi"', null, '9007199254740993'],
      ['2', 'line\nbreak', 'carriage\r\nreturn', '\\x0001feff', '-1'],
      ['3', '', null, '\\x', '0'],
      ['4', 'NULL', ' spaced ', null, null],
      ['5', 'naïve ☃ 𝄞', '"', null, '-9223372036854775808'],
    ])
    // Decimals keep every digit the server gives (SQLite stores these as text; PostgreSQL's numeric is exact).
    expect(rows[1]![5]).toBe('12345678901234567890.0123456789')
    expect(rows[3]![5]).toBeNull()
  })

  it('writes JSON lines that read back into the same rows, through the API parameters', async () => {
    const out = collector()
    const summary = await exportRows({ db, source: { table: { name: edge } }, format: 'jsonl', out })
    const lines = out.text().split('\n')
    expect(lines.at(-1)).toBe('')
    const objects = lines.slice(0, -1).map((l) => JSON.parse(l) as Record<string, unknown>)
    expect(summary.rows).toBe(5)
    const byId = new Map(objects.map((o) => [Number(o.id), o]))
    expect(byId.get(1)).toMatchObject({ label: 'comma, inside', note: 'say "hi"', data: null, big: '9007199254740993' })
    expect(byId.get(2)!.data).toEqual({ $bytes: 'AAH+/w==' })
    expect(byId.get(3)).toMatchObject({ label: '', note: null, data: { $bytes: '' } })
    const copy = `${edge}_copy`
    await db.query(`DROP TABLE IF EXISTS ${copy}`)
    await db.query(fixture.edgeTable(copy))
    try {
      for (const o of objects) await db.query(`INSERT INTO ${copy} (id, label, note, data, big, amount) VALUES (?, ?, ?, ?, ?, ?)`, [o.id, o.label, o.note, o.data, o.big, o.amount])
      const original = await db.query(`SELECT * FROM ${edge} ORDER BY id`)
      const copied = await db.query(`SELECT * FROM ${copy} ORDER BY id`)
      expect(copied.rows).toEqual(original.rows)
    } finally {
      await db.query(`DROP TABLE IF EXISTS ${copy}`)
    }
  })

  it('reads no faster than the output drains: a stalled reader holds the query, not the rows in memory', async () => {
    const gate = new PassThrough({ highWaterMark: 16 * 1024 })
    let progressed = 0
    const running = exportRows({ db, source: { table: { name: numbers } }, format: 'jsonl', out: gate, onProgress: (rows) => (progressed = rows) })
    try {
      // The first batch can be slow to come on a loaded server; once it has, the export must stall.
      await vi.waitFor(() => expect(progressed).toBeGreaterThan(0), { timeout: 20_000, interval: 20 })
      await new Promise((r) => setTimeout(r, 400))
      // Nobody reads `gate`: at most a batch or two beyond its 16 KiB went out (about 30 bytes a row).
      expect(progressed).toBeLessThan(5_000)
    } finally {
      // Drained whatever happened, so the query ends and does not hold the table against afterAll's DROP.
      gate.resume()
    }
    const summary = await running
    expect(summary.rows).toBe(ROWS)
  })

  it('cancelled half-way (an AbortSignal) leaves no file, and an older file of that name as it was', async () => {
    const file = join(home.dataDir, 'cancelled.csv')
    writeFileSync(file, 'the previous export\n')
    const controller = new AbortController()
    const running = exportToFile({
      db,
      source: { table: { name: numbers } },
      format: 'csv',
      file,
      signal: controller.signal,
      onProgress: (rows) => {
        if (rows >= 20_000) controller.abort()
      },
    })
    await expect(running).rejects.toMatchObject({ code: 'E_CANCELLED' })
    expect(readFileSync(file, 'utf8')).toBe('the previous export\n')
    expect(readdirSync(home.dataDir).filter((f) => f.startsWith('cancelled'))).toEqual(['cancelled.csv'])
  })

  it('cancelled by db.cancel(queryId) while the server is still working leaves no file', async () => {
    const file = join(home.dataDir, 'slow.jsonl')
    const queryId = `slow-export-${suffix}`
    const running = exportToFile({ db, source: { sql: fixture.slow }, format: 'jsonl', file, queryId })
    await new Promise((r) => setTimeout(r, 300))
    const t0 = performance.now()
    expect(await db.cancel!(queryId)).toBe(true)
    await expect(running).rejects.toMatchObject({ code: 'E_CANCELLED' })
    expect(performance.now() - t0).toBeLessThan(2_000)
    expect(readdirSync(home.dataDir).filter((f) => f.startsWith('slow'))).toEqual([])
  })

  it('fails with the output: a reader that goes away stops the query and leaves no file', async () => {
    let written = 0
    const breaking = new Writable({
      write(chunk: Buffer, _enc, done) {
        written += chunk.length
        done(written > 100_000 ? Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }) : undefined)
      },
    })
    await expect(exportRows({ db, source: { table: { name: numbers } }, format: 'csv', out: breaking })).rejects.toMatchObject({ code: 'E_CANCELLED', message: expect.stringContaining('went away') })
    // The session went back to the pool: the next call runs.
    expect((await db.query('SELECT 1 AS one')).rows).toEqual([[1]])
  })

  it('names what is wrong before anything is written: a missing table, a statement that writes, a folder that is not there', async () => {
    await expect(exportRows({ db, source: { table: { name: 'no_such_table' } }, format: 'csv', out: collector() })).rejects.toMatchObject({ code: 'E_NOT_FOUND' })
    await expect(exportRows({ db, source: { sql: `DELETE FROM ${numbers}` }, format: 'csv', out: collector() })).rejects.toMatchObject({ code: 'E_INVALID_INPUT' })
    await expect(exportRows({ db, source: { sql: 'SELEC nonsense' }, format: 'csv', out: collector() })).rejects.toMatchObject({ code: 'E_INVALID_INPUT' })
    await expect(exportRows({ db, source: { sql: 'SELECT * FROM no_such_table' }, format: 'csv', out: collector() })).rejects.toMatchObject({ code: 'E_SQL' })
    const file = join(home.dataDir, 'missing-folder', 'x.csv')
    await expect(exportToFile({ db, source: { table: { name: numbers } }, format: 'csv', file })).rejects.toMatchObject({ code: 'E_NOT_FOUND' })
    expect((await db.query(`SELECT count(*) FROM ${numbers}`)).rows[0]).toEqual([ROWS])
  })
})

describe('data export of a custom engine', () => {
  it('says E_UNSUPPORTED when the engine cannot stream, or cannot name a table', async () => {
    const bare: Database = { vendor: 'custom', query: async () => ({ kind: 'rows', columns: [], rows: [], rowCount: 0, truncated: false, durationMs: 0 }), tables: async () => [], check: async () => ({}) as never, close: async () => undefined }
    await expect(exportRows({ db: bare, source: { sql: 'SELECT 1' }, format: 'csv', out: collector() })).rejects.toMatchObject({ code: 'E_UNSUPPORTED' })
    const streams: Database = { ...bare, stream: async () => ({ rowCount: 0 }) }
    await expect(exportRows({ db: streams, source: { table: { name: 't' } }, format: 'csv', out: collector() })).rejects.toMatchObject({ code: 'E_UNSUPPORTED' })
  })
})
