import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createBackend, testContext, type TestContext } from '../../../test/support/engine-context'
import { failure } from '../../../test/support/failures'
import { describeService, type ServiceEnv } from '../../../test/support/services'
import type { EngineDefinition } from '../../core/engine'
import type { Database, Transaction } from './base'
import { mysqlEngine } from './engines/mysql'
import { postgresqlEngine } from './engines/postgresql'
import { sqliteEngine } from './engines/sqlite'

// BaseDatabase.transaction() on the three vendors the model backend runs on: statements with
// parameters on one connection, committed when the body resolves, rolled back when it throws.

interface Bed {
  /** A writable alias and a read-only one on the same database. */
  open(options?: Record<string, unknown>): Promise<Database>
  /** DDL of a table of our own: an integer key and a unique name. */
  createTable(table: string): string
  /** A second transaction waits for the first (SQLite's BEGIN IMMEDIATE) instead of running beside it. */
  serializesTransactions?: boolean
}

function urlParts(url: string) {
  const u = new URL(url)
  return { host: u.hostname, port: Number(u.port), user: decodeURIComponent(u.username), password: decodeURIComponent(u.password), name: u.pathname.slice(1), connectTimeoutSeconds: 5 }
}

function serverBed(engine: EngineDefinition, url: () => string, createTable: (t: string) => string): () => Bed {
  return () => ({ open: (options = {}) => createBackend<Database>(engine, { ...urlParts(url()), ...options }, testContext('data')), createTable })
}

function transactionSuite(title: string, makeBed: () => Bed): void {
  describe(title, () => {
    const table = `bp_auth_model_tx_${process.pid}_${randomBytes(3).toString('hex')}`
    const opened: Database[] = []
    let db: Database
    let bed: Bed

    const open = async (options: Record<string, unknown> = {}) => {
      const d = await bed.open(options)
      opened.push(d)
      return d
    }
    const names = async (from: Pick<Database, 'query'> | Transaction = db) => (await from.query(`SELECT name FROM ${table} ORDER BY id`)).rows.map(([n]) => n)
    const insert = (into: Pick<Database, 'query'> | Transaction, id: number, name: string) => into.query(`INSERT INTO ${table} (id, name) VALUES (?, ?)`, [id, name])

    beforeAll(async () => {
      bed = makeBed()
      db = await open()
      await db.query(bed.createTable(table))
    }, 60_000)

    afterAll(async () => {
      await db?.query(`DROP TABLE IF EXISTS ${table}`).catch(() => undefined)
      await Promise.all(opened.map((d) => d.close()))
    }, 60_000)

    const clear = () => db.query(`DELETE FROM ${table}`)

    it('commits every statement when the body resolves, and answers what the body answered', async () => {
      await clear()
      const answer = await db.transaction!(async (tx) => {
        await insert(tx, 1, 'ada')
        await insert(tx, 2, 'bob')
        const inside = await names(tx)
        return { inside, written: (await tx.query(`UPDATE ${table} SET name = ? WHERE id = ?`, ['bea', 2])).rowCount }
      })
      expect(answer).toEqual({ inside: ['ada', 'bob'], written: 1 })
      expect(await names()).toEqual(['ada', 'bea'])
    })

    it('leaves nothing when the body throws midway, and rethrows its error', async () => {
      await clear()
      const thrown = new Error('the body gave up')
      await expect(
        db.transaction!(async (tx) => {
          await insert(tx, 1, 'ada')
          await insert(tx, 2, 'bob')
          throw thrown
        }),
      ).rejects.toBe(thrown)
      expect(await names()).toEqual([])
    })

    it('leaves nothing when a statement fails (a unique violation), with the typed error of the server', async () => {
      await clear()
      await insert(db, 1, 'taken')
      const error = await failure(
        db.transaction!(async (tx) => {
          await insert(tx, 2, 'new')
          await tx.query(`UPDATE ${table} SET name = ? WHERE id = ?`, ['changed', 1])
          await insert(tx, 3, 'changed')
        }),
      )
      expect(error.code).toBe('E_SQL')
      expect((error.details as { serverCode?: string }).serverCode).toMatch(/^(23505|ER_DUP_ENTRY|SQLITE_CONSTRAINT_UNIQUE)$/)
      expect(await names()).toEqual(['taken'])
    })

    it('binds parameters: a value with quotes and a semicolon is a value, not SQL', async () => {
      await clear()
      const sly = `O'Brien"); DELETE FROM ${table}; --`
      await db.transaction!(async (tx) => {
        await insert(tx, 1, 'first')
        await insert(tx, 2, sly)
      })
      expect(await names()).toEqual(['first', sly])
      expect((await db.query(`SELECT id FROM ${table} WHERE name = ?`, [sly])).rows).toEqual([[2]])
    })

    it('runs statements the body does not wait for one after the other, on its connection', async () => {
      await clear()
      await db.transaction!(async (tx) => {
        await Promise.all([insert(tx, 1, 'a'), insert(tx, 2, 'b'), insert(tx, 3, 'c')])
      })
      expect(await names()).toEqual(['a', 'b', 'c'])
    })

    it('refuses a second statement in one call, and a statement after the transaction ended', async () => {
      let kept: Transaction | undefined
      expect(await failure(db.transaction!((tx) => tx.query('SELECT 1; SELECT 2')))).toMatchObject({ code: 'E_INVALID_INPUT' })
      await db.transaction!(async (tx) => {
        kept = tx
      })
      expect(await failure(kept!.query('SELECT 1'))).toMatchObject({ code: 'E_INTERNAL' })
    })

    it('refuses a write on a read-only alias with E_READ_ONLY, and still reads', async () => {
      await clear()
      await insert(db, 1, 'kept')
      const readOnly = await open({ readOnly: true })
      let read: unknown[] = []
      const error = await failure(
        readOnly.transaction!(async (tx) => {
          read = await names(tx)
          await insert(tx, 2, 'sneaky')
        }),
      )
      expect(error.code).toBe('E_READ_ONLY')
      expect(read).toEqual(['kept'])
      expect(await names()).toEqual(['kept'])
    })

    it("does not show one transaction's uncommitted rows to another, nor to a plain query", async () => {
      await clear()
      let release!: () => void
      const hold = new Promise<void>((resolve) => (release = resolve))
      let inserted!: () => void
      const insertedYet = new Promise<void>((resolve) => (inserted = resolve))
      const writer = db.transaction!(async (tx) => {
        await insert(tx, 1, 'uncommitted')
        inserted()
        await hold
      })
      await insertedYet
      try {
        if (bed.serializesTransactions) {
          // SQLite's BEGIN IMMEDIATE: the second transaction waits for the first, and sees its rows once committed.
          const reader = db.transaction!((tx) => names(tx))
          expect(await names()).toEqual([])
          release()
          expect(await reader).toEqual(['uncommitted'])
        } else {
          expect(await db.transaction!((tx) => names(tx))).toEqual([])
          expect(await names()).toEqual([])
        }
      } finally {
        release()
        await writer
      }
      expect(await names()).toEqual(['uncommitted'])
    })
  })
}

let ctx: TestContext
beforeAll(() => {
  ctx = testContext('data')
})
afterAll(() => ctx.cleanup())

transactionSuite('on SQLite', () => ({
  open: (options = {}) => createBackend<Database>(sqliteEngine, { name: join(ctx.dataDir, 'tx.sqlite3'), ...options }, testContext('data')),
  createTable: (t) => `CREATE TABLE ${t} (id integer PRIMARY KEY, name text NOT NULL UNIQUE)`,
  serializesTransactions: true,
}))

describeService('postgres', 'on PostgreSQL', (env: ServiceEnv) =>
  transactionSuite(
    'the testbed server',
    serverBed(postgresqlEngine, () => env.BACKPLANE_TEST_POSTGRES_URL!, (t) => `CREATE TABLE ${t} (id integer PRIMARY KEY, name text NOT NULL UNIQUE)`),
  ),
)

describeService('mysql', 'on MariaDB', (env: ServiceEnv) =>
  transactionSuite(
    'the testbed server',
    serverBed(mysqlEngine, () => env.BACKPLANE_TEST_MYSQL_URL!, (t) => `CREATE TABLE ${t} (id integer PRIMARY KEY, name varchar(200) NOT NULL UNIQUE) ENGINE = InnoDB`),
  ),
)
