import { statSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestApp, type TestApp } from '../../test/support/test-app'
import type { App } from './app'

// The data methods through the one API, on the default sqlite alias: typed 4xx errors for bad input,
// the destructive-statement fence, cancel, and the SSH known-hosts methods.
let test: TestApp
let app: App

beforeAll(async () => {
  test = await openTestApp()
  app = test.app
  await app.call('data.script', { sql: 'CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT, photo BLOB); INSERT INTO people (id, name) VALUES (1, \'ada\'), (2, \'bob\')' })
})
afterAll(() => test.close())

const codeOf = async (p: Promise<unknown>) => p.then(() => 'resolved', (err: { code?: string; status?: number }) => `${err.code} ${err.status}`)

describe('data API', () => {
  it('asks before a script that drops or deletes every row, and runs it once confirmed', async () => {
    const refused = await app.call('data.script', { sql: 'SELECT 1; DELETE FROM people', confirmDestructive: true }).catch((err: { code: string; status: number; details: unknown }) => err)
    expect(refused).toMatchObject({ code: 'E_NEEDS_CONFIRMATION', status: 409, details: { statements: [{ index: 1, reason: expect.stringMatching(/every row/) }] } })
    expect((await app.call('data.query', { sql: 'SELECT count(*) FROM people' })).rows[0]![0]).toBe(2)
    const run = await app.call('data.script', { sql: 'CREATE TABLE scratch (x); DROP TABLE scratch', confirmDestructive: false })
    expect(run.results.map((r) => r.kind)).toEqual(['write', 'write'])
  })

  it('reports a failing statement of a script with the results before it', async () => {
    const run = await app.call('data.script', { sql: "SELECT name FROM people WHERE id = 1; SELECT nope FROM people" })
    expect(run.results).toHaveLength(1)
    expect(run.failure).toMatchObject({ statementIndex: 1, error: { code: 'E_SQL', message: expect.stringMatching(/no such column/) } })
  })

  it('pages, describes and refuses what the table does not have, as 4xx', async () => {
    const page = await app.call('data.page', { table: { name: 'people' }, limit: 1 })
    expect(page).toMatchObject({ paging: 'keyset', truncated: true, keyColumns: [0], rows: [[1, 'ada', null]] })
    expect((await app.call('data.describe', { table: { name: 'people' } })).primaryKey).toEqual(['id'])
    expect((await app.call('data.tables', { schema: 'main' })).map((t) => t.name)).toContain('people')
    expect(await app.call('data.tables', { schema: 'temp' })).toEqual([])
    expect(await codeOf(app.call('data.describe', { table: { name: 'nobody' } }))).toBe('E_NOT_FOUND 404')
    expect(await codeOf(app.call('data.page', { table: { name: 'people' }, filters: [{ column: 'id" OR 1=1 --', op: '=', value: 1 }] }))).toBe('E_INVALID_INPUT 400')
    expect(await codeOf(app.call('data.page', { table: { name: 'people' }, limit: 10_000_000 }))).toBe('E_INVALID_INPUT 400')
  })

  it('takes bytes and JSON cells in their tagged forms, and refuses objects of any other shape', async () => {
    await app.call('data.applyChanges', { table: { name: 'people' }, changes: [{ op: 'update', key: { id: 2 }, set: { photo: { $bytes: 'AP8=' } } }] })
    expect((await app.call('data.query', { sql: 'SELECT photo FROM people WHERE id = 2' })).rows[0]![0]).toEqual({ $bytes: 'AP8=', size: 2 })
    expect(await codeOf(app.call('data.query', { sql: 'SELECT ?', params: [{ toString: 'x' }] }))).toBe('E_INVALID_INPUT 400')
    expect(await codeOf(app.call('data.query', { sql: 'SELECT ?', params: [{ $bytes: 'AA', extra: 1 }] }))).toBe('E_INVALID_INPUT 400')
    let deep: unknown = 1
    for (let i = 0; i < 5000; i++) deep = [deep]
    expect(await codeOf(app.call('data.query', { sql: 'SELECT ?', params: [deep] }))).toMatch(/^E_\w+ 4\d\d$/)
  })

  it('cancels a running query by its id, and says when there is none', async () => {
    const sql = 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 400000000) SELECT count(*) FROM c'
    const running = app.call('data.query', { sql, queryId: 'slow-1' })
    running.catch(() => undefined)
    await new Promise((resolve) => setTimeout(resolve, 300))
    // Other calls are answered meanwhile: the query runs on a thread.
    const t0 = performance.now()
    expect((await app.call('data.query', { sql: 'SELECT 1' })).rows).toEqual([[1]])
    expect(performance.now() - t0).toBeLessThan(500)
    expect(await app.call('data.cancel', { queryId: 'slow-1' })).toEqual({ cancelled: true })
    expect(await codeOf(running)).toBe('E_CANCELLED 409')
    expect(await app.call('data.cancel', { queryId: 'slow-1' })).toEqual({ cancelled: false })
  })

  it("knows Django's tables when they are there", async () => {
    expect((await app.call('data.django', {})).isDjango).toBe(false)
    await app.call('data.script', {
      sql: `CREATE TABLE django_migrations (id INTEGER PRIMARY KEY, app TEXT, name TEXT, applied TEXT);
        INSERT INTO django_migrations (app, name, applied) VALUES ('auth', '0001_initial', '2026-01-01 10:00:00');
        CREATE TABLE django_content_type (id INTEGER PRIMARY KEY, app_label TEXT, model TEXT);
        INSERT INTO django_content_type (app_label, model) VALUES ('auth', 'user'), ('auth', 'group');
        CREATE TABLE auth_user (id INTEGER PRIMARY KEY)`,
    })
    const django = await app.call('data.django', {})
    expect(django).toMatchObject({ isDjango: true, migrations: [{ app: 'auth', name: '0001_initial' }], models: [{ table: 'auth_user', app: 'auth', model: 'user' }] })
  })
})

describe('ssh known hosts', () => {
  const fingerprint = `SHA256:${'A'.repeat(43)}`
  it('pins, lists and forgets a fingerprint, in a file only the user can read', async () => {
    expect(await app.call('ssh.knownHosts', {})).toEqual([])
    await app.call('ssh.trustHostKey', { host: 'Bastion.example', port: 2222, fingerprint, keyType: 'ssh-ed25519' })
    expect(await app.call('ssh.knownHosts', {})).toMatchObject([{ host: 'bastion.example', port: 2222, fingerprint, keyType: 'ssh-ed25519' }])
    expect(statSync(join(test.home, 'known-hosts.json')).mode & 0o777).toBe(0o600)
    expect(await app.call('ssh.forgetHostKey', { host: 'bastion.example', port: 2222 })).toEqual({ forgotten: true })
    expect(await app.call('ssh.knownHosts', {})).toEqual([])
  })

  it('refuses a fingerprint that is not one', async () => {
    expect(await codeOf(app.call('ssh.trustHostKey', { host: 'h', fingerprint: 'MD5:aa', keyType: 'ssh-rsa' }))).toBe('E_INVALID_INPUT 400')
  })
})
