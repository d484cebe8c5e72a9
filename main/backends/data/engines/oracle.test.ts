import { createRequire } from 'node:module'
import oracledb, { type Metadata } from 'oracledb'
import { afterAll, describe, expect, it } from 'vitest'
import { createBackend, testContext } from '../../../../test/support/engine-context'
import type { Database } from '../base'
import { toJsonCell } from '../cells'
import type { DataSession } from '../session'
import { splitStatements, translatePlaceholders } from '../sql-text'
import { pageSql } from '../table-sql'
import type { TableDetail } from '../types'
import { connectDescriptor, OracleDatabase, oracleEngine } from './oracle'
import { tablesSql } from './oracle-catalog'
import { oracleDialect } from './oracle-dialect'
import { oracleError } from './oracle-errors'
import { oracleStatementText } from './oracle-session'
import { declaredType, intervalDayToSecondText, numberCell, oracleFetchType } from './oracle-types'
import { freePort } from '../../../../test/support/failures'

// No Oracle server runs here: these tests check the SQL the engine writes, the values it makes of what
// node-oracledb hands over, and its errors, plus real Thin-mode connection attempts that fail before any
// server is involved (a closed port, a name that does not resolve).

const contexts: ReturnType<typeof testContext>[] = []
afterAll(() => contexts.forEach((c) => c.cleanup()))

async function oracle(options: Record<string, unknown> = {}): Promise<Database> {
  const ctx = testContext('data', { engine: 'oracle', alias: 'ora' })
  contexts.push(ctx)
  return createBackend<Database>(oracleEngine, { name: 'FREEPDB1', user: 'app', password: 'secret', connectTimeoutSeconds: 5, ...options }, ctx)
}

/** node-oracledb's own decoder of DATE and TIMESTAMP bytes, as Thin mode runs it on each fetched value. */
const { BaseBuffer } = createRequire(import.meta.url)('oracledb/lib/impl/datahandlers/buffer.js') as {
  BaseBuffer: new () => { parseOracleDate(bytes: Buffer, useLocalTime: boolean): Date }
}

/** A DATE (7 bytes), TIMESTAMP (11) or TIMESTAMP WITH TIME ZONE (13) as the server sends it: century and year + 100, then hour, minute, second + 1, then nanoseconds. */
function wire(year: number, month: number, day: number, hour: number, minute: number, second: number, nanos?: number, zone: number[] = []): Buffer {
  const bytes = [Math.floor(year / 100) + 100, (year % 100) + 100, month, day, hour + 1, minute + 1, second + 1]
  if (nanos === undefined) return Buffer.from(bytes)
  const fraction = Buffer.alloc(4)
  fraction.writeUInt32BE(nanos)
  return Buffer.concat([Buffer.from(bytes), fraction, Buffer.from(zone)])
}

/** DATE and TIMESTAMP are decoded in local time, TIMESTAMP WITH TIME ZONE in UTC (thin/protocol/messages/withData.js). */
function fromWire(bytes: Buffer, localTime = true): Date {
  return new BaseBuffer().parseOracleDate(bytes, localTime)
}

const book: TableDetail = {
  schema: 'APP',
  name: 'BOOK',
  type: 'table',
  columns: [
    { name: 'ID', type: 'NUMBER(10)', nullable: false, default: null, primaryKey: 1 },
    { name: 'TITLE', type: 'VARCHAR2(200 CHAR)', nullable: false, default: null, primaryKey: 0 },
    { name: 'Price', type: 'NUMBER(8,2)', nullable: true, default: null, primaryKey: 0 },
    { name: 'COVER', type: 'BLOB', nullable: true, default: null, primaryKey: 0 },
    { name: 'IN_PRINT', type: 'NUMBER(1)', nullable: true, default: null, primaryKey: 0 },
  ],
  primaryKey: ['ID'],
  indexes: [],
  foreignKeys: [],
}

describe('the Oracle dialect, through the shared builders', () => {
  it('pages a table by its key with FETCH NEXT, quoting names exactly, with :1 :2 after translation', () => {
    const page = pageSql(oracleDialect, book, { table: { schema: 'APP', name: 'BOOK' }, limit: 50, after: [120], filters: [{ column: 'TITLE', op: 'contains', value: '50%' }] })
    expect(page.paging).toBe('keyset')
    expect(page.sql).toBe(
      `SELECT "ID", "TITLE", "Price", "COVER", "IN_PRINT" FROM "APP"."BOOK" WHERE UPPER(CAST("TITLE" AS VARCHAR2(4000))) LIKE UPPER(?) ESCAPE '!' AND "ID" > ? ORDER BY "ID" OFFSET 0 ROWS FETCH NEXT 51 ROWS ONLY`,
    )
    expect(page.params).toEqual(['%50!%%', 120])
    expect(translatePlaceholders(page.sql, oracleDialect).sql).toBe(
      `SELECT "ID", "TITLE", "Price", "COVER", "IN_PRINT" FROM "APP"."BOOK" WHERE UPPER(CAST("TITLE" AS VARCHAR2(4000))) LIKE UPPER(:1) ESCAPE '!' AND "ID" > :2 ORDER BY "ID" OFFSET 0 ROWS FETCH NEXT 51 ROWS ONLY`,
    )
  })

  it('pages by offset when sorted by another column, with every filter bound', () => {
    const page = pageSql(oracleDialect, book, {
      table: { schema: 'APP', name: 'BOOK' },
      limit: 25,
      offset: 100,
      sort: [{ column: 'Price', descending: true }],
      filters: [
        { column: 'Price', op: '>=', value: '9.99' },
        { column: 'ID', op: 'in', value: [1, 2, 3] },
        { column: 'COVER', op: 'null' },
      ],
    })
    expect(page.paging).toBe('offset')
    const sent = translatePlaceholders(page.sql, oracleDialect)
    expect(sent.sql).toBe(
      `SELECT "ID", "TITLE", "Price", "COVER", "IN_PRINT" FROM "APP"."BOOK" WHERE "Price" >= :1 AND "ID" IN (:2, :3, :4) AND "COVER" IS NULL ORDER BY "Price" DESC OFFSET 100 ROWS FETCH NEXT 26 ROWS ONLY`,
    )
    expect(sent.placeholders).toBe(4)
    expect(page.params).toEqual(['9.99', 1, 2, 3])
  })

  it('shows a change set with Oracle literals: HEXTORAW for bytes, 1/0 for booleans, quotes doubled', async () => {
    // describe() is the catalog's answer, given here; the rest is the engine's own planChanges.
    class WithBook extends OracleDatabase {
      override async describe(): Promise<TableDetail> {
        return book
      }
    }
    const ctx = testContext('data', { engine: 'oracle' })
    contexts.push(ctx)
    const db = new WithBook(oracleEngine.options.parse({ name: 'FREEPDB1' }), ctx)
    const planned = await db.planChanges({
      table: { schema: 'APP', name: 'BOOK' },
      changes: [
        { op: 'update', key: { ID: 7 }, set: { TITLE: "O'Brien's ?", IN_PRINT: true, COVER: { $bytes: Buffer.from([0xca, 0xfe]).toString('base64') } } },
        { op: 'insert', values: { ID: 8, TITLE: 'New', Price: null } },
        { op: 'delete', key: { ID: 9 } },
      ],
    })
    expect(planned.map((p) => p.display)).toEqual([
      `UPDATE "APP"."BOOK" SET "TITLE" = 'O''Brien''s ?', "IN_PRINT" = 1, "COVER" = HEXTORAW('CAFE') WHERE "ID" = 7`,
      `INSERT INTO "APP"."BOOK" ("ID", "TITLE", "Price") VALUES (8, 'New', NULL)`,
      `DELETE FROM "APP"."BOOK" WHERE "ID" = 9`,
    ])
    expect(planned[0]!.sql).toBe(`UPDATE "APP"."BOOK" SET "TITLE" = ?, "IN_PRINT" = ?, "COVER" = ? WHERE "ID" = ?`)
    await db.close()
  })

  it("translates ? only in code: never inside q'[…]' strings, quoted identifiers or comments", () => {
    const sql = `SELECT q'[it's ?]', Q'{?}', q'!a ? b!', "what?", 'x ? y' -- why?\n/* ? */ FROM dual WHERE a = ? AND b = ?`
    const sent = translatePlaceholders(sql, oracleDialect)
    expect(sent.sql).toBe(`SELECT q'[it's ?]', Q'{?}', q'!a ? b!', "what?", 'x ? y' -- why?\n/* ? */ FROM dual WHERE a = :1 AND b = :2`)
    expect(sent.placeholders).toBe(2)
  })

  it('has no one-statement EXPLAIN, and writes instants as TIMESTAMP literals in UTC', () => {
    expect(oracleDialect.explain('SELECT 1 FROM dual')).toBeUndefined()
    expect(oracleDialect.literal(new Date('2024-05-01T10:20:30.456Z'))).toBe(`TIMESTAMP '2024-05-01 10:20:30.456 +00:00'`)
    expect(oracleDialect.literal(false)).toBe('0')
    expect(oracleDialect.literal('NULL')).toBe(`'NULL'`)
    expect(oracleDialect.literal(null)).toBe('NULL')
  })
})

describe('Oracle scripts', () => {
  const sent = (script: string) => splitStatements(script, oracleDialect.lexer).map((s) => oracleStatementText(s.text))

  it('sends a PL/SQL block with its closing ; and the statements after its / line without it', () => {
    const script = [
      'BEGIN',
      '  UPDATE t SET n = n + 1;',
      "  INSERT INTO log VALUES ('done; really');",
      'END;',
      '/',
      'SELECT 1 FROM dual;',
      "SELECT q'[a;b]' FROM dual",
    ].join('\n')
    expect(sent(script)).toEqual(["BEGIN\n  UPDATE t SET n = n + 1;\n  INSERT INTO log VALUES ('done; really');\nEND;", 'SELECT 1 FROM dual', "SELECT q'[a;b]' FROM dual"])
  })

  it('sends a CREATE PROCEDURE whole, and statements ended by / lines alone', () => {
    expect(sent('-- tidy up\n/* first */ begin null; end')).toEqual(['-- tidy up\n/* first */ begin null; end;'])
    const script = 'CREATE OR REPLACE PROCEDURE bump AS\nBEGIN\n  UPDATE t SET n = n + 1;\nEND bump;\n/\nSELECT 1 FROM dual\n/\nSELECT 2 FROM dual\n/\n'
    expect(sent(script)).toEqual(['CREATE OR REPLACE PROCEDURE bump AS\nBEGIN\n  UPDATE t SET n = n + 1;\nEND bump;', 'SELECT 1 FROM dual', 'SELECT 2 FROM dual'])
  })

  // sql-text.ts splits a PL/SQL block at its first ; when declarations come before BEGIN (DECLARE …, or
  // CREATE PROCEDURE p AS n NUMBER; BEGIN …). These pass once the splitter runs such blocks to their / line.
  it('sends a DECLARE block whole', () => {
    expect(sent('DECLARE\n  n NUMBER;\nBEGIN\n  n := 1;\nEND;\n/\nSELECT 1 FROM dual')).toEqual(['DECLARE\n  n NUMBER;\nBEGIN\n  n := 1;\nEND;', 'SELECT 1 FROM dual'])
  })
  it('sends a procedure with declarations whole', () => {
    expect(sent('CREATE PROCEDURE p AS\n  n NUMBER;\nBEGIN\n  n := 1;\nEND;\n/')).toEqual(['CREATE PROCEDURE p AS\n  n NUMBER;\nBEGIN\n  n := 1;\nEND;'])
  })
})

describe('Oracle values as cells', () => {
  const meta = (dbType: oracledb.DbType, extra: Partial<Metadata<unknown>> = {}): Metadata<unknown> => ({ name: 'C', dbType, dbTypeName: dbType.columnTypeName, ...extra })
  /** What the grid gets: node-oracledb's value through the engine's fetch type handler, then the shared cell encoding. */
  const cell = (m: Metadata<unknown>, driverValue: unknown) => {
    const handler = oracleFetchType(m)
    return toJsonCell(handler?.converter ? handler.converter(driverValue) : driverValue)
  }

  it('fetches NUMBER as its decimal text: a scale keeps the text, a big integer stays text, a small one is a number', () => {
    expect(oracleFetchType(meta(oracledb.DB_TYPE_NUMBER))?.type).toBe(oracledb.DB_TYPE_VARCHAR)
    expect(cell(meta(oracledb.DB_TYPE_NUMBER, { precision: 10, scale: 2 }), '12.5')).toBe('12.5')
    expect(cell(meta(oracledb.DB_TYPE_NUMBER, { precision: 10, scale: 2 }), '3')).toBe('3')
    expect(cell(meta(oracledb.DB_TYPE_NUMBER, { precision: 38, scale: 0 }), '123456789012345678901234567890')).toBe('123456789012345678901234567890')
    expect(cell(meta(oracledb.DB_TYPE_NUMBER, { precision: 38, scale: 0 }), '9007199254740993')).toBe('9007199254740993')
    expect(cell(meta(oracledb.DB_TYPE_NUMBER, { precision: 38, scale: 0 }), '9007199254740991')).toBe(9007199254740991)
    expect(cell(meta(oracledb.DB_TYPE_NUMBER, { precision: 0, scale: -127 }), '-42')).toBe(-42)
    expect(cell(meta(oracledb.DB_TYPE_NUMBER, { precision: 0, scale: -127 }), '0.1')).toBe('0.1')
    expect(numberCell(null, 2)).toBeNull()
  })

  it('shows DATE and TIMESTAMP as the stored wall-clock text in any zone, and TIMESTAMP WITH TIME ZONE as ISO with its offset', () => {
    const zone = process.env.TZ
    try {
      for (const tz of ['UTC', 'America/New_York', 'Europe/Paris', 'Asia/Kathmandu', 'Pacific/Chatham']) {
        process.env.TZ = tz
        expect(cell(meta(oracledb.DB_TYPE_DATE), fromWire(wire(2024, 3, 30, 2, 0, 59)))).toBe('2024-03-30 02:00:59')
        expect(cell(meta(oracledb.DB_TYPE_DATE), fromWire(wire(1933, 1, 2, 3, 4, 5)))).toBe('1933-01-02 03:04:05')
        expect(cell(meta(oracledb.DB_TYPE_TIMESTAMP, { precision: 6 }), fromWire(wire(1999, 12, 31, 23, 59, 58, 7_654_321)))).toBe('1999-12-31 23:59:58.007')
        expect(cell(meta(oracledb.DB_TYPE_TIMESTAMP, { precision: 0 }), fromWire(wire(1999, 12, 31, 23, 59, 58, 0)))).toBe('1999-12-31 23:59:58')
        // TIMESTAMP WITH TIME ZONE travels as UTC fields plus the zone, which Thin mode drops: the instant is kept.
        expect(cell(meta(oracledb.DB_TYPE_TIMESTAMP_TZ), fromWire(wire(2024, 5, 1, 8, 0, 0, 250_000_000, [0x16, 0x3c]), false))).toBe('2024-05-01T08:00:00.250Z')
      }
    } finally {
      process.env.TZ = zone
    }
  })

  it('moves a wall-clock time that does not exist in this computer\'s zone (a DST gap) by the gap: a Thin-mode limit', () => {
    const zone = process.env.TZ
    try {
      process.env.TZ = 'Europe/Paris'
      expect(cell(meta(oracledb.DB_TYPE_DATE), fromWire(wire(2024, 3, 31, 2, 30, 0)))).toBe('2024-03-31 03:30:00')
    } finally {
      process.env.TZ = zone
    }
  })

  it('gives RAW and BLOB as bytes, CLOB as text, JSON as a JSON cell, and tells NULL from the text NULL', () => {
    expect(cell(meta(oracledb.DB_TYPE_RAW), Buffer.from([1, 2, 255]))).toEqual({ $bytes: 'AQL/', size: 3 })
    expect(oracleFetchType(meta(oracledb.DB_TYPE_BLOB))?.type).toBe(oracledb.DB_TYPE_RAW)
    expect(oracleFetchType(meta(oracledb.DB_TYPE_CLOB))?.type).toBe(oracledb.DB_TYPE_VARCHAR)
    expect(cell(meta(oracledb.DB_TYPE_JSON), { a: [1, null] })).toEqual({ $json: { a: [1, null] } })
    expect(cell(meta(oracledb.DB_TYPE_JSON), null)).toBeNull()
    expect(cell(meta(oracledb.DB_TYPE_VARCHAR, { isJson: true }), '"NULL"')).toEqual({ $json: 'NULL' })
    expect(cell(meta(oracledb.DB_TYPE_VARCHAR), 'NULL')).toBe('NULL')
    expect(cell(meta(oracledb.DB_TYPE_VARCHAR), null)).toBeNull()
    expect(cell(meta(oracledb.DB_TYPE_NUMBER), null)).toBeNull()
  })

  it("spells intervals and declared types as Oracle does", () => {
    expect(intervalDayToSecondText({ days: 2, hours: 3, minutes: 4, seconds: 5, fseconds: 500_000_000 })).toBe('+02 03:04:05.5')
    expect(intervalDayToSecondText({ days: -1, hours: -2, minutes: 0, seconds: 0, fseconds: 0 })).toBe('-01 02:00:00')
    expect(declaredType({ DATA_TYPE: 'NUMBER', DATA_PRECISION: 10, DATA_SCALE: 2 })).toBe('NUMBER(10,2)')
    expect(declaredType({ DATA_TYPE: 'NUMBER', DATA_PRECISION: null, DATA_SCALE: 0 })).toBe('NUMBER(*,0)')
    expect(declaredType({ DATA_TYPE: 'NUMBER', DATA_PRECISION: null, DATA_SCALE: null })).toBe('NUMBER')
    expect(declaredType({ DATA_TYPE: 'VARCHAR2', DATA_LENGTH: 400, CHAR_LENGTH: 100, CHAR_USED: 'C' })).toBe('VARCHAR2(100 CHAR)')
    expect(declaredType({ DATA_TYPE: 'RAW', DATA_LENGTH: 16 })).toBe('RAW(16)')
    expect(declaredType({ DATA_TYPE: 'TIMESTAMP(6) WITH TIME ZONE' })).toBe('TIMESTAMP(6) WITH TIME ZONE')
  })
})

describe('Oracle errors', () => {
  it('reports a missing table as E_SQL with the server code and the offset node-oracledb gives', () => {
    const error = oracleError({ errorNum: 942, code: 'ORA-00942', offset: 14, message: 'ORA-00942: table or view does not exist' })
    expect(error).toMatchObject({ code: 'E_SQL', message: 'ORA-00942: table or view does not exist', details: { serverCode: 'ORA-00942', position: 14 } })
  })

  it('tells a refused login, a read-only database, a cancel and a closed port apart', () => {
    expect(oracleError({ errorNum: 1017, code: 'ORA-01017', offset: 0, message: 'ORA-01017: invalid credential or not authorized; logon denied' })?.code).toBe('E_AUTH')
    expect(oracleError({ errorNum: 16000, code: 'ORA-16000', offset: 0, message: 'ORA-16000: database or pluggable database open for read-only access' })?.code).toBe('E_READ_ONLY')
    expect(oracleError({ errorNum: 1456, code: 'ORA-01456', message: 'ORA-01456: may not perform insert/delete/update operation inside a READ ONLY transaction' })?.code).toBe('E_READ_ONLY')
    expect(oracleError({ errorNum: 1013, code: 'ORA-01013', message: 'ORA-01013: user requested cancel of current operation' })?.code).toBe('E_CANCELLED')
    expect(oracleError({ code: 'NJS-503', message: 'NJS-503: connection to host db port 1521 could not be established.\nconnect ECONNREFUSED 10.0.0.1:1521' })?.code).toBe('E_CONNECTION_REFUSED')
    expect(oracleError({ code: 'NJS-518', message: 'NJS-518: cannot connect to Oracle Database. Service "X" is not registered' })).toMatchObject({ code: 'E_CONNECTION', hint: expect.stringContaining('service name') })
    expect(oracleError(new Error('not a driver error'))).toBeUndefined()
  })

  it("points at the error in the caller's own text, before ? became :1", async () => {
    // A session that answers as node-oracledb does for `SELECT :1 AS a, nope FROM dual`: ORA-00904 at offset 16.
    const failing: DataSession = {
      execute: async () => {
        throw Object.assign(new Error('ORA-00904: "NOPE": invalid identifier'), { errorNum: 904, code: 'ORA-00904', offset: 16 })
      },
      cancel: async () => undefined,
      begin: async () => undefined,
      commit: async () => undefined,
      rollback: async () => undefined,
      release: async () => undefined,
    }
    class Failing extends OracleDatabase {
      protected override async openSession(): Promise<DataSession> {
        return failing
      }
    }
    const ctx = testContext('data', { engine: 'oracle' })
    contexts.push(ctx)
    const db = new Failing(oracleEngine.options.parse({ name: 'FREEPDB1' }), ctx)
    const sql = '  SELECT ? AS a, nope FROM dual'
    await expect(db.query(sql, [1])).rejects.toMatchObject({ code: 'E_SQL', details: { serverCode: 'ORA-00904', position: sql.indexOf('nope') } })
  })
})

describe('Oracle connections in Thin mode', () => {
  it('says a closed port is refused, from a real Thin-mode connection attempt', async () => {
    const db = await oracle({ host: '127.0.0.1', port: await freePort() })
    try {
      await expect(db.query('SELECT 1 FROM dual')).rejects.toMatchObject({ code: 'E_CONNECTION_REFUSED' })
      const report = await db.check()
      expect(report).toMatchObject({ state: 'down', error: { code: 'E_CONNECTION_REFUSED' } })
      expect(oracledb.thin).toBe(true)
    } finally {
      await db.close()
    }
  })

  it('says a host name that does not resolve is a DNS failure', async () => {
    const db = await oracle({ host: 'no-such-host.invalid' })
    try {
      await expect(db.serverVersion!()).rejects.toMatchObject({ code: 'E_DNS' })
    } finally {
      await db.close()
    }
  })

  it('refuses DROP TABLE on a read-only alias before touching the network', async () => {
    // The port is closed: a statement that reached the network would fail with E_CONNECTION_REFUSED.
    const db = await oracle({ host: '127.0.0.1', port: await freePort(), readOnly: true })
    try {
      await expect(db.query('DROP TABLE x')).rejects.toMatchObject({ code: 'E_READ_ONLY' })
      await expect(db.script!('/* tidy */ TRUNCATE TABLE x;\nBEGIN NULL; END;')).resolves.toMatchObject({ results: [], failure: { statementIndex: 0, error: { code: 'E_READ_ONLY' } } })
      await expect(db.query('SELECT 1 FROM dual')).rejects.toMatchObject({ code: 'E_CONNECTION_REFUSED' })
    } finally {
      await db.close()
    }
  })

  it('connects by a descriptor of host, port and NAME, as a service name or a SID', () => {
    expect(connectDescriptor({ protocol: 'tcps', host: 'db.example.com', port: 2484, name: 'FREEPDB1', sid: false })).toBe(
      '(DESCRIPTION=(ADDRESS=(PROTOCOL=TCPS)(HOST=db.example.com)(PORT=2484))(CONNECT_DATA=(SERVICE_NAME=FREEPDB1)))',
    )
    expect(connectDescriptor({ protocol: 'tcp', host: '10.0.0.5', port: 1521, name: 'ORCL', sid: true })).toBe('(DESCRIPTION=(ADDRESS=(PROTOCOL=TCP)(HOST=10.0.0.5)(PORT=1521))(CONNECT_DATA=(SID=ORCL)))')
    expect(oracleEngine.options.safeParse({ name: 'X) (HOST=evil' }).success).toBe(false)
    expect(oracleEngine.options.safeParse({}).success).toBe(false)
    expect(oracleEngine.options.safeParse({ connectString: 'db:1521/FREEPDB1' }).success).toBe(true)
  })

  it('lists only schemas Oracle does not maintain, unless one is named', () => {
    expect(tablesSql(undefined)).toContain("OWNER IN (SELECT USERNAME FROM ALL_USERS WHERE ORACLE_MAINTAINED = 'N')")
    expect(tablesSql('HR')).toContain('t.OWNER = :owner')
  })

  it('says in the GUI that it was not run against a live server', () => {
    expect(oracleEngine.description).toContain("Not run against a live Oracle server: Backplane's tests check its SQL and type mapping only.")
  })
})
