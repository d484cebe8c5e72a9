import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { App } from '../../api/app'
import { createLogger, type LogRecord } from '../../core/log'
import { CONSOLE_FILE, ConsoleStore, HISTORY_LIMIT, HISTORY_SQL_CHARS } from './console-store'

let home: string
let file: string

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'backplane-console-'))
  file = join(home, CONSOLE_FILE)
})
afterEach(() => rmSync(home, { recursive: true, force: true }))

const run = (sql: string, extra: Partial<Parameters<ConsoleStore['record']>[1]> = {}) => ({ sql, durationMs: 12, outcome: 'ok' as const, statements: 1, rowCount: 3, ...extra })

describe('SQL console history', () => {
  it('lists runs newest first and keeps them across a restart, in a file only the user can read', async () => {
    const store = new ConsoleStore(file)
    await store.record('default', run('SELECT 1'))
    await store.record('default', run('SELECT 2', { outcome: 'failed', error: 'no such table: nope', statements: 0, rowCount: 0 }))
    const reopened = new ConsoleStore(file)
    const { entries, total } = await reopened.history('default')
    expect(total).toBe(2)
    expect(entries.map((e) => [e.sql, e.outcome])).toEqual([
      ['SELECT 2', 'failed'],
      ['SELECT 1', 'ok'],
    ])
    expect(entries[0]).toMatchObject({ error: 'no such table: nope', durationMs: 12 })
    expect(Date.parse(entries[0]!.ranAt)).not.toBeNaN()
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600)
  })

  it('keeps each alias apart', async () => {
    const store = new ConsoleStore(file)
    await store.record('default', run('SELECT * FROM here'))
    await store.record('reporting', run('SELECT * FROM there'))
    expect((await store.history('default')).entries.map((e) => e.sql)).toEqual(['SELECT * FROM here'])
    expect((await store.history('reporting')).entries.map((e) => e.sql)).toEqual(['SELECT * FROM there'])
    expect(await store.clearHistory('reporting')).toBe(1)
    expect((await new ConsoleStore(file).history('default')).total).toBe(1)
    expect((await new ConsoleStore(file).history('reporting')).total).toBe(0)
  })

  it(`keeps the newest ${HISTORY_LIMIT} runs of an alias and drops the oldest`, async () => {
    const store = new ConsoleStore(file)
    // Concurrent records are queued, and the file ends up with all of them.
    await Promise.all(Array.from({ length: HISTORY_LIMIT + 5 }, (_, i) => store.record('default', run(`SELECT ${i}`))))
    const { entries, total } = await new ConsoleStore(file).history('default', { limit: 1000 })
    expect(total).toBe(HISTORY_LIMIT)
    expect(entries[0]?.sql).toBe(`SELECT ${HISTORY_LIMIT + 4}`)
    expect(entries.at(-1)?.sql).toBe('SELECT 5')
  })

  it('finds runs by their text or their error, ignoring case, a page at a time', async () => {
    const store = new ConsoleStore(file)
    await store.record('default', run('select * from users'))
    await store.record('default', run('DELETE FROM sessions'))
    await store.record('default', run('SELECT * FROM Users WHERE id = 1'))
    await store.record('default', run('SELECT oops', { outcome: 'failed', error: 'no such column: oops' }))
    expect((await store.history('default', { search: 'USERS' })).entries.map((e) => e.sql)).toEqual(['SELECT * FROM Users WHERE id = 1', 'select * from users'])
    expect((await store.history('default', { search: 'no such column' })).total).toBe(1)
    const page = await store.history('default', { limit: 2, offset: 1 })
    expect(page).toMatchObject({ total: 4, entries: [{ sql: 'SELECT * FROM Users WHERE id = 1' }, { sql: 'DELETE FROM sessions' }] })
  })

  it('keeps the start of a very long script, saying it was cut', async () => {
    const store = new ConsoleStore(file)
    const entry = await store.record('default', run(`SELECT '${'x'.repeat(HISTORY_SQL_CHARS)}'`))
    expect(entry.sql).toHaveLength(HISTORY_SQL_CHARS)
    expect(entry.sqlTruncated).toBe(true)
  })

  it('moves a damaged file aside and starts afresh instead of failing every run', async () => {
    writeFileSync(file, '{"version": 1, "aliases": [{"alias": "default", "history": "oops"')
    const logs: LogRecord[] = []
    const store = new ConsoleStore(file, createLogger('test', { sink: (r) => logs.push(r) }))
    expect(await store.history('default')).toEqual({ entries: [], total: 0 })
    await store.record('default', run('SELECT 1'))
    expect(readdirSync(home).filter((name) => name.startsWith(`${CONSOLE_FILE}.damaged-`))).toHaveLength(1)
    expect(logs.some((l) => l.level === 'warn' && l.message.includes('moved it to'))).toBe(true)
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ version: 1, aliases: [{ alias: 'default', history: [{ sql: 'SELECT 1' }] }] })
  })

  it('treats an alias named __proto__ as a name like any other', async () => {
    const store = new ConsoleStore(file)
    await store.record('__proto__', run('SELECT 1'))
    expect((await new ConsoleStore(file).history('__proto__')).total).toBe(1)
    expect((await store.history('default')).total).toBe(0)
  })
})

describe('saved queries', () => {
  it('saves, renames and deletes a query of one alias, sorted by name', async () => {
    const store = new ConsoleStore(file)
    const users = await store.save('default', { name: 'users', sql: 'SELECT * FROM users' })
    await store.save('default', { name: 'Active sessions', sql: 'SELECT * FROM sessions' })
    await store.save('other', { name: 'users', sql: 'SELECT 1' })
    const renamed = await store.save('default', { id: users.id, name: 'all users', sql: 'SELECT * FROM users ORDER BY id' })
    expect(renamed).toMatchObject({ id: users.id, name: 'all users', createdAt: users.createdAt })
    expect((await new ConsoleStore(file).saved('default')).map((s) => [s.name, s.sql])).toEqual([
      ['Active sessions', 'SELECT * FROM sessions'],
      ['all users', 'SELECT * FROM users ORDER BY id'],
    ])
    expect(await store.deleteSaved('default', users.id)).toBe(true)
    expect(await store.deleteSaved('default', users.id)).toBe(false)
    expect((await new ConsoleStore(file).saved('default')).map((s) => s.name)).toEqual(['Active sessions'])
    expect((await store.saved('other')).map((s) => s.name)).toEqual(['users'])
  })

  it('refuses a second query of the same name, and a rename of one that is gone', async () => {
    const store = new ConsoleStore(file)
    await store.save('default', { name: 'Users', sql: 'SELECT 1' })
    await expect(store.save('default', { name: 'users ', sql: 'SELECT 2' })).rejects.toMatchObject({ code: 'E_EXISTS', status: 409 })
    await expect(store.save('default', { id: 'gone', name: 'x', sql: 'SELECT 2' })).rejects.toMatchObject({ code: 'E_NOT_FOUND', status: 404 })
  })
})

describe('dataConsole.* through the router', () => {
  it('records and lists runs, and answers bad input with a typed 400', async () => {
    const app = await App.open({ host: 'cli', dataDir: home, log: createLogger('test', { sink: () => undefined }) })
    try {
      await app.call('dataConsole.record', { alias: 'default', sql: 'SELECT 1', durationMs: 3, outcome: 'ok', rowCount: 1, statements: 1 })
      expect(await app.call('dataConsole.history', { alias: 'default' })).toMatchObject({ total: 1, entries: [{ sql: 'SELECT 1', outcome: 'ok' }] })
      await expect(app.call('dataConsole.record', { alias: 'default', sql: '', durationMs: -1, outcome: 'maybe' as never })).rejects.toMatchObject({ code: 'E_INVALID_INPUT', status: 400 })
      await expect(app.call('dataConsole.save', { alias: 'default', name: '   ', sql: 'SELECT 1' })).rejects.toMatchObject({ code: 'E_INVALID_INPUT', status: 400 })
      await expect(app.call('dataConsole.history', { alias: 'default', limit: 5000 })).rejects.toMatchObject({ code: 'E_INVALID_INPUT' })
      expect(await app.call('dataConsole.clearHistory', { alias: 'default' })).toEqual({ cleared: 1 })
    } finally {
      await app.close()
    }
  })
})
