import { existsSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dataContract } from '../../../../test/contracts/data.contract'
import { createBackend, testContext } from '../../../../test/support/engine-context'
import { describeService, type ServiceEnv } from '../../../../test/support/services'
import type { DataDialect } from '../../contracts'
import type { Database } from '../base'
import { pageSql } from '../table-sql'
import { mysqlEngine } from './mysql'
import { bindParameters, mysqlDialect, nearPosition } from './mysql-sql'
import { failure, freePort } from '../../../../test/support/failures'

const ctx = testContext('data', { engine: 'mysql', alias: 'my' })
afterAll(() => ctx.cleanup())

const pid = process.pid
/** The table the shared suite creates for its cases (main/backends/contracts/data.ts). */
const contractTable = `bp_contract_${pid}`
/** A function that writes: a read-only alias must refuse calling it, however the SELECT is spelled. */
const sneakyFunction = `bp_sneaky_${pid}`
const sneakySequence = `bp_sneaky_seq_${pid}`

/** Which server the testbed runs, learned before the cases (the hooks below depend on it). */
let mariadb = true

function settings(env: ServiceEnv): Record<string, unknown> {
  const url = new URL(env.BACKPLANE_TEST_MYSQL_URL!)
  return { host: url.hostname, port: Number(url.port), user: decodeURIComponent(url.username), password: decodeURIComponent(url.password), name: url.pathname.slice(1), connectTimeoutSeconds: 5 }
}

/** Ten million rows, produced as they are read: MariaDB's SEQUENCE engine, MySQL's recursive CTE. */
function generator(): string {
  return mariadb
    ? 'SELECT seq FROM seq_1_to_10000000'
    : 'WITH RECURSIVE g (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < 10000000) SELECT /*+ SET_VAR(cte_max_recursion_depth = 10000001) */ n FROM g'
}

const dialect: DataDialect = {
  createTable: (t) => `CREATE TABLE ${t} (id integer PRIMARY KEY, name varchar(100)) ENGINE=InnoDB`,
  dropTable: (t) => `DROP TABLE IF EXISTS ${t}`,
  begin: 'START TRANSACTION',
  sleep: (seconds) => `SELECT SLEEP(${seconds})`,
  fixtureSchema: (p) => ({
    create: `
      CREATE TABLE ${p}_author (id integer PRIMARY KEY AUTO_INCREMENT, name varchar(100) NOT NULL, born date NULL DEFAULT '1900-01-01') ENGINE=InnoDB;
      CREATE TABLE ${p}_book (
        id integer PRIMARY KEY, author_id integer NOT NULL, title varchar(200) NOT NULL DEFAULT 'untitled', isbn char(13) UNIQUE,
        CONSTRAINT ${p}_book_author_fk FOREIGN KEY (author_id) REFERENCES ${p}_author (id) ON DELETE CASCADE ON UPDATE RESTRICT
      ) ENGINE=InnoDB;
      CREATE INDEX ${p}_book_title_idx ON ${p}_book (title);
      CREATE VIEW ${p}_book_view AS SELECT b.id, b.title, a.name AS author FROM ${p}_book b JOIN ${p}_author a ON a.id = b.author_id`,
    drop: `DROP VIEW IF EXISTS ${p}_book_view; DROP TABLE IF EXISTS ${p}_book; DROP TABLE IF EXISTS ${p}_author`,
  }),
  // MySQL has no timestamp with a zone: DATETIME and TIMESTAMP are the server's text, never shifted.
  // JSON: MySQL's type, and MariaDB's (LONGTEXT) through its extended column metadata (mysql-types.ts).
  exactValues: () => ({
    sql: [
      'SELECT CAST(9007199254740993 AS SIGNED) AS big',
      "CAST('18446744073709551615' AS UNSIGNED) AS biggest",
      "CAST('12345678901234567890.123456789' AS DECIMAL(38,9)) AS amount",
      "x'00ff' AS bytes",
      `JSON_EXTRACT('{"a":[1,null]}', '$') AS doc`,
      `JSON_EXTRACT('{"a":null}', '$.a') AS json_null`,
      "CAST('2024-01-02 03:04:05.123456' AS DATETIME(6)) AS stamp",
      'NULL AS nothing',
      "'NULL' AS word",
      ...(mariadb ? ["CAST('123e4567-e89b-12d3-a456-426614174000' AS UUID) AS uuid"] : []),
    ].join(', '),
    expect: {
      big: '9007199254740993',
      biggest: '18446744073709551615',
      amount: '12345678901234567890.123456789',
      bytes: { $bytes: 'AP8=', size: 2 },
      doc: { $json: { a: [1, null] } },
      json_null: { $json: null },
      stamp: '2024-01-02 03:04:05.123456',
      nothing: null,
      word: 'NULL',
      ...(mariadb ? { uuid: '123e4567-e89b-12d3-a456-426614174000' } : {}),
    },
  }),
  sneakyWrites: (t) => [
    `/* only a comment first */ INSERT INTO ${t} (id, name) VALUES (2, 'x')`,
    `-- a line comment\ndelete from ${t}`,
    `# a hash comment\nUPDATE ${t} SET name = 'changed'`,
    `SELECT ${sneakyFunction}()`,
    `select * from (select ${sneakyFunction}() as n) as x`,
    `( SELECT ${sneakyFunction}() )`,
    `WITH w AS (SELECT ${sneakyFunction}() AS n) SELECT n FROM w`,
    `SELECT 1 /*! + ${sneakyFunction}() */`,
    `SELECT id FROM ${t} FOR UPDATE`,
    `INSERT INTO ${t} (id, name) SELECT 4, 'from select'`,
    `REPLACE INTO ${t} (id, name) VALUES (1, 'replaced')`,
    `SET @x = ${sneakyFunction}()`,
    'SET SESSION TRANSACTION READ WRITE',
    `HANDLER ${t} OPEN`,
    `LOAD DATA INFILE '/etc/hostname' INTO TABLE ${t}`,
    `CALL bp_sneaky_procedure_${pid}()`,
    `DO ${sneakyFunction}()`,
    `LOCK TABLES ${t} WRITE`,
    `SELECT 'x' INTO OUTFILE '/tmp/bp_sneaky_${pid}.txt'`,
    `select 'x' into dumpfile '/tmp/bp_sneaky_${pid}.bin'`,
    `SELECT 'x' /*!INTO OUTFILE '/tmp/bp_sneaky_${pid}.hidden' */`,
    `SELECT 1 /*!; DROP TABLE ${t} */`,
    `SELECT 1 /*M!100000 ; DELETE FROM ${t} */`,
    ...(mariadb ? [`SELECT NEXTVAL(${sneakySequence})`, `ANALYZE DELETE FROM ${t}`] : [`WITH d AS (SELECT 1) DELETE FROM ${t}`]),
  ],
}

describe('the MySQL dialect and the text the engine sends', () => {
  it('quotes names with backticks, escapes backslashes in literals and writes bytes in hex', () => {
    expect(mysqlDialect.quoteIdentifier('we`ird')).toBe('`we``ird`')
    expect(mysqlDialect.literal("o'neil \\ x")).toBe("'o''neil \\\\ x'")
    expect(mysqlDialect.literal(Buffer.from([0, 255]))).toBe("X'00ff'")
    expect(mysqlDialect.literal(true)).toBe('TRUE')
    expect(mysqlDialect.paging(10, 20)).toBe('LIMIT 10 OFFSET 20')
    expect(mysqlDialect.likeComparison('`name`')).toBe("CAST(`name` AS CHAR) LIKE ? ESCAPE '!'")
  })

  it('pages by a composite key with ? placeholders and quoted names', () => {
    const built = pageSql(
      mysqlDialect,
      {
        name: 'line',
        type: 'table',
        columns: [
          { name: 'order', type: 'int', nullable: false, default: null, primaryKey: 1 },
          { name: 'no', type: 'int', nullable: false, default: null, primaryKey: 2 },
          { name: 'sku', type: 'varchar(20)', nullable: true, default: null, primaryKey: 0 },
        ],
        primaryKey: ['order', 'no'],
        indexes: [],
        foreignKeys: [],
      },
      { table: { name: 'line' }, limit: 2, after: [1, 5], filters: [{ column: 'sku', op: 'starts', value: 'a_' }] },
    )
    expect(built.sql).toBe(
      "SELECT `order`, `no`, `sku` FROM `line` WHERE CAST(`sku` AS CHAR) LIKE ? ESCAPE '!' AND (`order` > ? OR (`order` = ? AND `no` > ?)) ORDER BY `order`, `no` LIMIT 3",
    )
    expect(built.params).toEqual(['a!_%', 1, 1, 5])
  })

  it('writes parameters in only where ? is code, and maps offsets back across them', () => {
    const sql = "SELECT ?, '?', `?` /* ? */, ? -- ?\n FROM DUAL WHERE = 1"
    const bound = bindParameters(sql, ["it's", Buffer.from([1])])
    expect(bound.sql).toBe("SELECT 'it\\'s', '?', `?` /* ? */, X'01' -- ?\n FROM DUAL WHERE = 1")
    expect(bound.sentOffset(bound.sql.indexOf('= 1'))).toBe(sql.indexOf('= 1'))
    expect(bound.sentOffset(bound.sql.indexOf("'it"))).toBe(sql.indexOf('?'))
    expect(() => bindParameters('SELECT ?', [1, 2])).toThrow(/1 placeholder/)
  })

  it("finds the position of a syntax error from the server's \"near '…' at line N\"", () => {
    const sql = 'SELECT 1,\n  = 1,\n  = 1'
    expect(nearPosition("You have an error in your SQL syntax; check the manual … to use near '= 1' at line 3", sql)).toBe(sql.lastIndexOf('= 1'))
    expect(nearPosition("… near '' at line 1", 'SELECT 1 +')).toBe('SELECT 1 +'.length)
    expect(nearPosition('Unknown column', sql)).toBeUndefined()
  })
})

describeService('mysql', 'the mysql engine against the testbed server', (env) => {
  const opened: Database[] = []
  /** A connection of the test's, closed at the end whatever the test did. */
  const open = async (options: Record<string, unknown> = {}): Promise<Database> => {
    const db = await createBackend<Database>(mysqlEngine, { ...settings(env), ...options }, ctx)
    opened.push(db)
    return db
  }
  let admin: Database

  beforeAll(async () => {
    admin = await createBackend<Database>(mysqlEngine, settings(env), ctx)
    mariadb = (await admin.serverVersion!()).startsWith('MariaDB')
    await admin.query(`DROP FUNCTION IF EXISTS ${sneakyFunction}`)
    await admin.query(`CREATE FUNCTION ${sneakyFunction}() RETURNS INT MODIFIES SQL DATA BEGIN INSERT INTO ${contractTable} (id, name) VALUES (99, 'sneaky'); RETURN 1; END`)
    if (mariadb) await admin.query(`CREATE OR REPLACE SEQUENCE ${sneakySequence}`)
  })
  afterAll(async () => {
    await admin.query(`DROP FUNCTION IF EXISTS ${sneakyFunction}`)
    if (mariadb) await admin.query(`DROP SEQUENCE IF EXISTS ${sneakySequence}`)
    await admin.close()
    await Promise.all(opened.splice(0).map((db) => db.close()))
  })

  dataContract('mysql', (options = {}) => createBackend<Database>(mysqlEngine, { ...settings(env), ...options }, ctx), dialect)

  const t = `bp_engine_${pid}`
  const withTable = async (columns: string, run: (db: Database) => Promise<void>, options: Record<string, unknown> = {}) => {
    const db = await open(options)
    await admin.query(`DROP TABLE IF EXISTS ${t}`)
    await admin.query(`CREATE TABLE ${t} (${columns}) ENGINE=InnoDB`)
    try {
      await run(db)
    } finally {
      await admin.query(`DROP TABLE IF EXISTS ${t}`)
      await db.close()
    }
  }
  /** Statements of this test still running at the server, seen from another connection. */
  const runningAtServer = async (like: string) =>
    Number((await admin.query('SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE ? AND ID <> CONNECTION_ID()', [like])).rows[0]![0])

  it('names the server and its version', async () => {
    const db = await open()
    expect(await db.serverVersion!()).toMatch(mariadb ? /^MariaDB \d+\.\d+\.\d+$/ : /^MySQL \d+\.\d+\.\d+$/)
  })

  it('stops reading a ten-million-row result at maxRows at once, and the one connection stays usable', async () => {
    const db = await open({ poolSize: 1 })
    const t0 = performance.now()
    const result = await db.query(generator(), [], { maxRows: 10 })
    const took = performance.now() - t0
    expect(result.rows).toEqual([[1], [2], [3], [4], [5], [6], [7], [8], [9], [10]])
    expect(result.truncated).toBe(true)
    expect(took).toBeLessThan(1500)
    expect((await db.query('SELECT 1 AS one')).rows).toEqual([[1]])
    expect(await runningAtServer(`%${mariadb ? 'seq_1_to_10000000' : 'RECURSIVE g'}%`)).toBe(0)
  })

  it('cuts a long result short inside a transaction without ending the transaction', async () => {
    await withTable('id int PRIMARY KEY', async (db) => {
      const run = await db.script!(`START TRANSACTION; INSERT INTO ${t} VALUES (1); ${generator()}; SELECT COUNT(*) FROM ${t}; ROLLBACK; SELECT COUNT(*) FROM ${t}`, { maxRows: 5 })
      expect(run.failure).toBeUndefined()
      expect(run.results[2]).toMatchObject({ rowCount: 5, truncated: true })
      expect(run.results[3]!.rows).toEqual([[1]])
      expect(run.results[5]!.rows).toEqual([[0]])
    }, { poolSize: 1 })
  })

  it('cancels SLEEP(10) at the server with E_CANCELLED within a second', async () => {
    const db = await open()
    const running = db.query('SELECT SLEEP(10) AS slept', [], { queryId: 'nap' })
    running.catch(() => undefined)
    await new Promise((resolve) => setTimeout(resolve, 300))
    const t0 = performance.now()
    expect(await db.cancel!('nap')).toBe(true)
    expect((await failure(running)).code).toBe('E_CANCELLED')
    expect(performance.now() - t0).toBeLessThan(1000)
    expect(await runningAtServer('SELECT SLEEP(10)%')).toBe(0)
  })

  it('rolls back what a call left open: the next call sees nothing of it', async () => {
    await withTable('id int PRIMARY KEY', async (db) => {
      const run = await db.script!(`START TRANSACTION; INSERT INTO ${t} VALUES (1); SET @left = 'behind'`)
      expect(run.failure).toBeUndefined()
      expect((await db.query(`SELECT COUNT(*), @left FROM ${t}`)).rows).toEqual([[0, null]])
    }, { poolSize: 1 })
  })

  it('says where a syntax error is, in the text as typed, across statements and parameters', async () => {
    const db = await open()
    const script = 'SELECT 1;\nSELECT id,\n  name FROM dual WHERE = 1'
    const run = await db.script!(script)
    expect(run.failure).toMatchObject({ statementIndex: 1, error: { code: 'E_SQL', details: { serverCode: 'ER_PARSE_ERROR', errno: 1064, sqlState: '42000', position: script.indexOf('= 1') } } })
    const sql = 'SELECT ?, ?\nFROM dual WHERE = 1'
    const error = await failure(db.query(sql, ['a long parameter value', 2]))
    expect(error.details).toMatchObject({ position: sql.indexOf('= 1') })
    expect(error.message).toMatch(/near '= 1' at line 2/)
  })

  it('refuses a wrong password with E_AUTH and an unknown database with E_NOT_FOUND', async () => {
    expect(await failure((await open({ password: 'wrong' })).query('SELECT 1'))).toMatchObject({ code: 'E_AUTH', message: expect.stringContaining('refused the login') })
    expect(await failure((await open({ name: `bp_missing_${pid}` })).query('SELECT 1'))).toMatchObject({ code: 'E_NOT_FOUND', hint: expect.stringContaining('CREATE DATABASE') })
  })

  it('answers E_CONNECTION_REFUSED when nothing listens on the port', async () => {
    const port = await freePort()
    expect(await failure((await open({ port })).query('SELECT 1'))).toMatchObject({ code: 'E_CONNECTION_REFUSED', message: expect.stringContaining(`:${port}`) })
  })

  it('opens a new connection after its connection was killed, idle or in the middle of a statement', async () => {
    const db = await open({ poolSize: 1 })
    const first = Number((await db.query('SELECT CONNECTION_ID()')).rows[0]![0])
    await admin.query(`KILL ${first}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
    const second = Number((await db.query('SELECT CONNECTION_ID()')).rows[0]![0])
    expect(second).not.toBe(first)
    const sleeping = db.query('SELECT SLEEP(5)')
    sleeping.catch(() => undefined)
    await new Promise((resolve) => setTimeout(resolve, 200))
    await admin.query(`KILL ${second}`)
    expect((await failure(sleeping)).code).toBe('E_CONNECTION_RESET')
    expect((await db.query('SELECT 1')).rows).toEqual([[1]])
  })

  it("runs Django's OPTIONS init_command and isolation_level on every connection, and keeps backslashes in parameters literal", async () => {
    const db = await open({
      poolSize: 1,
      options: { init_command: "SET SESSION sql_mode = CONCAT(@@SESSION.sql_mode, ',NO_BACKSLASH_ESCAPES'), @bp_init = 'yes'", isolation_level: 'read committed' },
    })
    const isolation = mariadb ? '@@SESSION.tx_isolation' : '@@SESSION.transaction_isolation'
    const tricky = "it's \\' OR 1 = 1 -- \\"
    expect((await db.query(`SELECT @bp_init, ${isolation}, ?, @@SESSION.sql_mode LIKE '%NO_BACKSLASH_ESCAPES%'`, [tricky])).rows).toEqual([['yes', 'READ-COMMITTED', tricky, 0]])
    // A call that changed the session is reset when it ends; the next one has the settings again.
    await db.query("SET @bp_init = 'changed'")
    expect((await db.query('SELECT @bp_init')).rows).toEqual([['yes']])
    await expect(open({ options: { isolation_level: 'chaos' } })).rejects.toMatchObject({ code: 'E_INVALID_OPTIONS' })
  })

  it('keeps the types of a table: JSON, BIT, unsigned BIGINT, DATETIME and TIMESTAMP as text, BLOB as bytes', async () => {
    await withTable('id int PRIMARY KEY, doc JSON, flag BIT(1), mask BIT(8), big BIGINT UNSIGNED, at DATETIME(3), ts TIMESTAMP NULL, blob_ BLOB, tiny TINYINT(1)', async (db) => {
      await db.query(`INSERT INTO ${t} VALUES (1, ?, b'1', b'10101010', 18446744073709551615, '2024-02-29 23:59:59.125', '2024-01-02 03:04:05', x'00ff', 1)`, [{ $json: { n: 1, s: 'null' } }])
      await db.query(`INSERT INTO ${t} (id, doc) VALUES (2, 'null')`)
      const result = await db.query(`SELECT * FROM ${t} ORDER BY id`)
      expect(result.rows[0]).toEqual([1, { $json: { n: 1, s: 'null' } }, 1, 170, '18446744073709551615', '2024-02-29 23:59:59.125', '2024-01-02 03:04:05', { $bytes: 'AP8=', size: 2 }, 1])
      expect(result.rows[1]!.slice(0, 3)).toEqual([2, { $json: null }, null])
      expect(result.columns.map((c) => c.type)).toEqual(['INT', 'JSON', 'BIT', 'BIT', 'BIGINT UNSIGNED', 'DATETIME', 'TIMESTAMP', 'BLOB', 'TINYINT'])
    })
  })

  it('describes the fixture from information_schema: defaults as SQL, generated keys, rules, the view', async () => {
    const p = `bp_fx_engine_${pid}`
    const { create, drop } = dialect.fixtureSchema!(p)
    const db = await open()
    await db.script!(drop)
    expect((await db.script!(create)).failure).toBeUndefined()
    try {
      const database = settings(env).name as string
      expect(await db.schemas!()).toContainEqual({ name: database, isDefault: true })
      expect((await db.schemas!()).map((s) => s.name)).not.toContain('mysql')
      const tables = await db.tables()
      expect(tables.filter((x) => x.name.startsWith(p))).toEqual([
        { schema: database, name: `${p}_author`, type: 'table', rowEstimate: 0 },
        { schema: database, name: `${p}_book`, type: 'table', rowEstimate: 0 },
        { schema: database, name: `${p}_book_view`, type: 'view' },
      ])
      const author = await db.describe!({ name: `${p}_author` })
      expect(author.columns).toEqual([
        { name: 'id', type: mariadb ? 'int(11)' : 'int', nullable: false, default: null, primaryKey: 1, generated: true },
        { name: 'name', type: 'varchar(100)', nullable: false, default: null, primaryKey: 0 },
        { name: 'born', type: 'date', nullable: true, default: "'1900-01-01'", primaryKey: 0 },
      ])
      const book = await db.describe!({ schema: database, name: `${p}_book` })
      expect(book.columns.find((c) => c.name === 'title')!.default).toBe("'untitled'")
      expect(book.indexes).toEqual(
        expect.arrayContaining([
          { name: 'PRIMARY', columns: ['id'], unique: true, primary: true },
          { name: 'isbn', columns: ['isbn'], unique: true, primary: false },
          { name: `${p}_book_title_idx`, columns: ['title'], unique: false, primary: false },
        ]),
      )
      expect(book.foreignKeys).toEqual([{ name: `${p}_book_author_fk`, columns: ['author_id'], references: { name: `${p}_author`, columns: ['id'] }, onUpdate: 'RESTRICT', onDelete: 'CASCADE' }])
      const view = await db.describe!({ name: `${p}_book_view` })
      expect(view.type).toBe('view')
      expect(view.definition).toMatch(/select/i)
      expect(await failure(db.describe!({ name: `${p}_nothing` }))).toMatchObject({ code: 'E_NOT_FOUND', hint: expect.stringContaining('Reload') })
    } finally {
      await db.script!(drop)
    }
  })

  it('counts an update that changes nothing as the row it matched, so an unchanged edit is no conflict', async () => {
    await withTable('id int PRIMARY KEY, name varchar(20)', async (db) => {
      await db.query(`INSERT INTO ${t} VALUES (1, 'same')`)
      expect(await db.applyChanges!({ table: { name: t }, changes: [{ op: 'update', key: { id: 1 }, set: { name: 'same' } }] })).toMatchObject({ rowsAffected: 1 })
    })
  })

  it('pages by a composite key with a filter, names with backticks in them included', async () => {
    await withTable('`order` int, `n``o` int, sku varchar(20), PRIMARY KEY (`order`, `n``o`)', async (db) => {
      await db.query(`INSERT INTO ${t} VALUES (1, 1, 'a_1'), (1, 2, 'ab'), (1, 3, 'a_3'), (2, 1, 'a_4'), (2, 2, 'a_5')`)
      const skus: unknown[] = []
      let after: unknown[] | undefined
      for (;;) {
        const page = await db.page!({ table: { name: t }, limit: 2, filters: [{ column: 'sku', op: 'starts', value: 'a_' }], ...(after ? { after } : {}) })
        expect(page.paging).toBe('keyset')
        skus.push(...page.rows.map((r) => r[2]))
        if (!page.truncated) break
        after = page.keyColumns.map((k) => page.rows.at(-1)![k])
      }
      expect(skus).toEqual(['a_1', 'a_3', 'a_4', 'a_5'])
    })
  })

  it('keeps a read-only alias to readers: they run, writes of every kind are refused', async () => {
    const ro = await open({ readOnly: true })
    expect((await ro.query('SELECT 1 AS one')).rows).toEqual([[1]])
    expect((await ro.query('SHOW TABLES')).kind).toBe('rows')
    expect((await failure(ro.query(`CREATE TABLE bp_ro_${pid} (id int)`))).code).toBe('E_READ_ONLY')
    expect((await failure(ro.query(`SELECT 1 INTO OUTFILE '/tmp/bp_ro_${pid}'`))).code).toBe('E_READ_ONLY')
    expect((await failure(ro.applyChanges!({ table: { name: 'x' }, changes: [] }))).code).toBe('E_READ_ONLY')
    expect(existsSync(`/tmp/bp_ro_${pid}`)).toBe(false)
  })

  it('never runs a statement written whole as an executable comment on a read-only alias', async () => {
    await withTable('id int PRIMARY KEY', async () => {
      const ro = await open({ readOnly: true })
      // The base's scanner reads /*! … */ as a comment only, so it finds no statement here (E_INVALID_INPUT,
      // "The statement is empty") where the server would run one; either way nothing reaches the server.
      expect((await failure(ro.query(`/*!50000 INSERT INTO ${t} VALUES (1) */`))).code).toMatch(/^E_(INVALID_INPUT|READ_ONLY)$/)
      expect((await admin.query(`SELECT COUNT(*) FROM ${t}`)).rows).toEqual([[0]])
    })
  })

  it('falls back to plain text when TLS is only preferred, and refuses a missing CA file with E_TLS_FILE', async () => {
    const tls = Number((await admin.query("SELECT COUNT(*) FROM information_schema.GLOBAL_VARIABLES WHERE VARIABLE_NAME = 'have_ssl' AND VARIABLE_VALUE = 'YES'")).rows[0]![0]) === 1
    if (!tls) {
      expect((await (await open({ ssl: 'preferred' })).query('SELECT 1')).rows).toEqual([[1]])
      expect((await failure((await open({ ssl: 'required' })).query('SELECT 1'))).code).toBe('E_TLS')
    }
    expect(await failure((await open({ ssl: 'verify-ca', sslCa: 'nowhere/ca.pem' })).query('SELECT 1'))).toMatchObject({ code: 'E_TLS_FILE', message: expect.stringContaining('nowhere/ca.pem') })
  })

  describeTunnel('through an SSH tunnel', (tunnel) => {
    it('connects through the testbed OpenSSH, trusting its key by fingerprint', async () => {
      const options = { host: '127.0.0.1', tunnel: { host: tunnel.host, port: tunnel.port, user: tunnel.user, password: tunnel.password } }
      const unknown = await failure((await open(options)).query('SELECT 1'))
      expect(unknown.code).toBe('E_HOST_KEY_UNKNOWN')
      const fingerprint = (unknown.details as { fingerprint: string }).fingerprint
      const db = await open({ ...options, tunnel: { ...options.tunnel, fingerprint } })
      expect((await db.query('SELECT 1 AS one')).rows).toEqual([[1]])
      expect(await db.serverVersion!()).toMatch(/^(MariaDB|MySQL) /)
      expect(ctx.logs.some((r) => /SSH tunnel open: 127\.0\.0\.1:\d+ →/.test(String(r.message)))).toBe(true)
      await db.close()
    })
  })
})

/** The testbed's SSH user that may only forward to PostgreSQL and MariaDB (docs/testing.md). */
function describeTunnel(title: string, fn: (tunnel: { host: string; port: number; user: string; password: string }) => void): void {
  describeService('sshTunnel', title, (env) =>
    fn({ host: env.BACKPLANE_TEST_SSH_TUNNEL_HOST ?? '', port: Number(env.BACKPLANE_TEST_SSH_TUNNEL_PORT), user: env.BACKPLANE_TEST_SSH_TUNNEL_USER ?? '', password: env.BACKPLANE_TEST_SSH_TUNNEL_PASSWORD ?? '' }),
  )
}
