import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { App } from '../../api/app'
import { createLogger } from '../../core/log'
import { startHttpServer, type RunningServer } from './server'

const TOKEN = 'test-token-123'
let home: string
let app: App
let server: RunningServer

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'backplane-http-'))
  const staticDir = join(home, 'renderer')
  mkdirSync(staticDir)
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Backplane</title>')
  app = await App.open({ host: 'serve', dataDir: home, log: createLogger('test', { sink: () => undefined }) })
  server = await startHttpServer(app, { host: '127.0.0.1', port: 0, token: TOKEN, staticDir, bodyLimit: 64 * 1024 })
})
afterAll(async () => {
  await server.close()
  await app.close()
  rmSync(home, { recursive: true, force: true })
})

/** Raw requests, so that Host and Origin can be set to anything (fetch forbids that). */
function rpc(method: string, body?: string, headers: Record<string, string> = {}): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: server.port, method: 'POST', path: `/rpc/${method}`, headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', ...headers } },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8')
          resolve({ status: res.statusCode ?? 0, json: text ? JSON.parse(text) : undefined })
        })
      },
    )
    req.on('error', reject)
    req.end(body)
  })
}

describe('serve mode HTTP API', () => {
  it('answers POST /rpc/<method> with the method\'s JSON output', async () => {
    expect(await rpc('system.ping', '{}')).toEqual({ status: 200, json: { ok: true } })
  })

  it('refuses a request without a token, or with a wrong one, with 401', async () => {
    expect(await rpc('system.ping', '{}', { authorization: '' })).toMatchObject({ status: 401, json: { error: { code: 'E_UNAUTHORIZED', hint: expect.stringContaining('Bearer') } } })
    expect((await rpc('system.ping', '{}', { authorization: 'Bearer nope' })).status).toBe(401)
  })

  it('refuses a foreign Host (DNS rebinding) or Origin with 403, even with the token', async () => {
    expect(await rpc('system.ping', '{}', { host: 'attacker.example:80' })).toMatchObject({ status: 403, json: { error: { code: 'E_FORBIDDEN' } } })
    expect((await rpc('system.ping', '{}', { origin: 'https://attacker.example' })).status).toBe(403)
    expect((await rpc('system.ping', '{}', { origin: 'null' })).status).toBe(403)
    expect((await rpc('system.ping', '{}', { origin: `http://localhost:${server.port}`, host: `localhost:${server.port}` })).status).toBe(200)
  })

  it('answers bad input with typed errors and keeps serving', async () => {
    expect(await rpc('no.such', '{}')).toMatchObject({ status: 404, json: { error: { code: 'E_UNKNOWN_METHOD' } } })
    expect(await rpc('cache.get', '{"key": ')).toMatchObject({ status: 400, json: { error: { code: 'E_INVALID_JSON' } } })
    expect(await rpc('cache.get', '{"key": 12}')).toMatchObject({ status: 400, json: { error: { code: 'E_INVALID_INPUT', details: { issues: [{ path: ['key'] }] } } } })
    expect(await rpc('cache.get', JSON.stringify({ key: 'x'.repeat(100 * 1024) }))).toMatchObject({ status: 413, json: { error: { code: 'E_TOO_LARGE' } } })
    expect(await rpc('system.ping', '{}')).toEqual({ status: 200, json: { ok: true } })
  })

  it('serves the GUI with its Content-Security-Policy, and no API without the token', async () => {
    const page = await fetch(`${server.url}index.html`)
    expect(page.status).toBe(200)
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'")
    expect((await fetch(`${server.url}rpc/system.ping`, { method: 'POST' })).status).toBe(401)
    expect((await fetch(`${server.url}rpc/system.ping`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(405)
  })
})

describe('serve mode WebSocket', () => {
  const open = (token: string) => new WebSocket(`ws://127.0.0.1:${server.port}/events?token=${token}`)

  it('refuses a socket without the right token', async () => {
    const ws = open('wrong')
    const status = await new Promise<number>((resolve) => ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)))
    expect(status).toBe(401)
  })

  it('answers calls and pushes events on one socket', async () => {
    const ws = open(TOKEN)
    const messages: { id?: number; result?: unknown; error?: { code: string }; event?: string }[] = []
    ws.on('message', (data) => messages.push(JSON.parse(String(data))))
    await new Promise((resolve) => ws.on('open', resolve))
    ws.send(JSON.stringify({ id: 1, method: 'system.ping', input: {} }))
    ws.send(JSON.stringify({ id: 2, method: 'cache.get', input: { key: 5 } }))
    ws.send('not json')
    ws.send(JSON.stringify({ id: 3, method: 'health.check', input: { kind: 'cache' } }))
    await expect.poll(() => messages.some((m) => m.id === 3), { timeout: 5000 }).toBe(true)
    expect(messages.find((m) => m.id === 1)?.result).toEqual({ ok: true })
    expect(messages.find((m) => m.id === 2)?.error?.code).toBe('E_INVALID_INPUT')
    expect(messages.some((m) => m.error?.code === 'E_INVALID_JSON')).toBe(true)
    expect(messages.some((m) => m.event === 'health.changed')).toBe(true)
    ws.close()
  })
})
