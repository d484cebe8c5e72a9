import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { App } from '../../api/app'
import { createLogger } from '../../core/log'
import { ServeSessions } from './serve-session'
import { startHttpServer, type RunningServer } from './server'

const TOKEN = 'export-route-token'
let home: string
let app: App
let http: RunningServer
let sessions: ServeSessions

const call = (method: string, input: unknown) => app.router.dispatch(method, input, { app, via: 'http' })
const get = (query: string, headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }) => fetch(new URL(`/api/v1/data/export?${query}`, http.url), { headers })

beforeAll(async () => {
  process.env.BACKPLANE_SECRET_STORE = 'file'
  home = mkdtempSync(join(tmpdir(), 'backplane-export-route-'))
  writeFileSync(join(home, 'settings.json'), JSON.stringify({ databases: { default: { engine: 'sqlite', options: { name: 'app.sqlite3' } } } }))
  app = await App.open({ host: 'serve', dataDir: home, log: createLogger('test', { level: 'error' }) })
  sessions = new ServeSessions(TOKEN)
  http = await startHttpServer(app, { host: '127.0.0.1', port: 0, token: TOKEN, sessions })
  await call('data.query', { sql: 'CREATE TABLE "naïve users" (id INTEGER PRIMARY KEY, name TEXT, note TEXT)' })
  await call('data.query', { sql: `INSERT INTO "naïve users" VALUES (1, 'Ada', 'a, "quoted" note'), (2, 'Zoë', NULL), (3, '', 'x')` })
})
afterAll(async () => {
  await http?.close()
  await app?.close()
  rmSync(home, { recursive: true, force: true })
})

describe('GET /api/v1/data/export', () => {
  it('downloads a table as CSV, named after it', async () => {
    const res = await get(`alias=default&format=csv&table=${encodeURIComponent('naïve users')}`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="na_ve_users.csv"; filename*=UTF-8''na%C3%AFve%20users.csv`)
    expect(await res.text()).toBe('id,name,note\r\n1,Ada,"a, ""quoted"" note"\r\n2,Zoë,\r\n3,"",x\r\n')
  })

  it('downloads a query as JSON lines', async () => {
    const res = await get(`format=jsonl&sql=${encodeURIComponent('SELECT id, name, note FROM "naïve users" WHERE id > ? ORDER BY id'.replace('?', '1'))}`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/x-ndjson')
    expect(res.headers.get('content-disposition')).toContain('filename="export.jsonl"')
    expect(await res.text()).toBe('{"id":2,"name":"Zoë","note":null}\n{"id":3,"name":"","note":"x"}\n')
  })

  it('works with the browser session cookie, as a download link in the GUI does, and not without token or cookie', async () => {
    const signIn = await fetch(new URL(`/?token=${TOKEN}`, http.url), { redirect: 'manual' })
    const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!
    const res = await get('table=naïve%20users', { cookie })
    expect(res.status).toBe(200)
    expect((await res.text()).split('\r\n')[0]).toBe('id,name,note')
    const refused = await get('table=naïve%20users', {})
    expect(refused.status).toBe(401)
    expect(await refused.json()).toMatchObject({ error: { code: 'E_UNAUTHORIZED' } })
    // A page elsewhere that gets the browser to ask: the Origin check refuses it before anything runs.
    const foreign = await get('table=naïve%20users', { cookie, origin: 'http://evil.example' })
    expect(foreign.status).toBe(403)
  })

  it('answers what is wrong before the first byte as the usual JSON error', async () => {
    const cases: [string, number, string][] = [
      ['alias=nope&table=x', 404, 'E_ALIAS_NOT_FOUND'],
      ['table=no_such_table', 404, 'E_NOT_FOUND'],
      ['sql=DELETE%20FROM%20x', 400, 'E_INVALID_INPUT'],
      [`sql=${encodeURIComponent('WITH d AS (DELETE FROM "naïve users" RETURNING *) SELECT * FROM d')}`, 400, 'E_INVALID_INPUT'],
      [`sql=${encodeURIComponent('WITH x AS (SELECT 1) DELETE FROM "naïve users" RETURNING *')}`, 400, 'E_INVALID_INPUT'],
      ['sql=SELECT%20*%20FROM%20no_such_table', 422, 'E_SQL'],
      ['format=xlsx&table=x', 400, 'E_INVALID_INPUT'],
      ['table=x&sql=SELECT%201', 400, 'E_INVALID_INPUT'],
      ['', 400, 'E_INVALID_INPUT'],
      ['schema=main&sql=SELECT%201', 400, 'E_INVALID_INPUT'],
    ]
    for (const [query, status, code] of cases) {
      const res = await get(query)
      expect([query, res.status, res.headers.get('content-type'), res.headers.get('content-disposition')]).toEqual([query, status, 'application/json; charset=utf-8', null])
      expect(await res.json()).toMatchObject({ error: { code } })
    }
    const post = await fetch(new URL('/api/v1/data/export?table=x', http.url), { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } })
    expect(post.status).toBe(405)
  })

  it('stops the query at the server when the client closes the connection', async () => {
    const queryId = 'download-that-is-dropped'
    // Fifty million rows, generated as they are read: only a cancel ends this within the test.
    const sql = 'WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50000000) SELECT i, printf(\'row %d\', i) AS label FROM n'
    // Whether the query runs, without stopping it: a second call with its id is refused while it does.
    const probe = async () => {
      try {
        await call('data.query', { alias: 'default', sql: 'SELECT 1', queryId })
        return 'not running'
      } catch (err) {
        return (err as { code: string }).code
      }
    }
    let req: ReturnType<typeof request> | undefined
    const received = await new Promise<number>((resolve, reject) => {
      req = request(new URL(`/api/v1/data/export?format=csv&queryId=${queryId}&sql=${encodeURIComponent(sql)}`, http.url), { headers: { authorization: `Bearer ${TOKEN}` } }, (res) => {
        let bytes = 0
        res.on('data', (chunk: Buffer) => {
          bytes += chunk.length
          if (bytes > 200_000) {
            res.pause()
            resolve(bytes)
          }
        })
        res.on('error', () => undefined)
      })
      req.on('error', (err) => (err.message.includes('socket hang up') || err.message.includes('aborted') ? undefined : reject(err)))
      req.end()
    })
    expect(received).toBeGreaterThan(200_000)
    // The client reads no more: the query waits, held by backpressure, and still runs.
    await new Promise((r) => setTimeout(r, 200))
    expect(await probe()).toBe('E_CONFLICT')
    req!.destroy()
    // It stops within moments of the close, not after fifty million rows.
    await expect.poll(probe, { timeout: 3_000, interval: 50 }).toBe('not running')
    // The alias is fine afterwards.
    expect(((await call('data.query', { sql: 'SELECT count(*) FROM "naïve users"' })) as { rows: unknown[][] }).rows).toEqual([[3]])
  })
})
