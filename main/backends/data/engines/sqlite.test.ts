import { existsSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { dataContract } from '../../../../test/contracts/data.contract'
import { createBackend, testContext } from '../../../../test/support/engine-context'
import type { Database } from '../base'
import { sqliteEngine } from './sqlite'

const ctx = testContext('data')
afterAll(() => ctx.cleanup())

dataContract('sqlite', (options = {}) => createBackend<Database>(sqliteEngine, { name: 'contract.sqlite3', ...options }, ctx), {
  createTable: (t) => `CREATE TABLE ${t} (id INTEGER PRIMARY KEY, name TEXT)`,
  dropTable: (t) => `DROP TABLE IF EXISTS ${t}`,
})

describe('sqlite engine', () => {
  it('keeps a relative database file in the data directory', async () => {
    const db = await createBackend<Database>(sqliteEngine, { name: 'sub/dir/app.sqlite3' }, ctx)
    await db.query('CREATE TABLE t (x)')
    await db.close()
    expect(existsSync(join(ctx.dataDir, 'sub/dir/app.sqlite3'))).toBe(true)
  })

  it('keeps integers beyond 2^53 exact (as strings) and bytes as base64', async () => {
    const db = await createBackend<Database>(sqliteEngine, { name: ':memory:' }, ctx)
    const result = await db.query("SELECT 9007199254740993 AS big, x'00ff' AS bytes")
    expect(result.rows[0]).toEqual(['9007199254740993', { $bytes: 'AP8=' }])
    await db.close()
  })

  it('asks for one statement at a time', async () => {
    const db = await createBackend<Database>(sqliteEngine, { name: ':memory:' }, ctx)
    await expect(db.query('SELECT 1; SELECT 2')).rejects.toMatchObject({ code: 'E_SQL', hint: 'Run one statement at a time.' })
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
