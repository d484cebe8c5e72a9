import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { App } from '../../api/app'
import { createLogger } from '../../core/log'
import { ServeSessions } from './serve-session'
import { startHttpServer, type RunningServer } from './server'

const TOKEN = 'test-token-123'
let home: string
let app: App
let server: RunningServer
/** The same server with short timeouts, so that a slow client is cut off within a test. */
let strict: RunningServer

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'backplane-http-'))
  const staticDir = join(home, 'renderer')
  mkdirSync(staticDir)
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Backplane</title>')
  app = await App.open({ host: 'serve', dataDir: home, log: createLogger('test', { sink: () => undefined }) })
  server = await startHttpServer(app, { host: '127.0.0.1', port: 0, token: TOKEN, staticDir, bodyLimit: 64 * 1024, sessions: new ServeSessions(TOKEN, join(home, 'serve-sessions.json')) })
  strict = await startHttpServer(app, { host: '127.0.0.1', port: 0, token: TOKEN, headersTimeoutMs: 300, bodyIdleTimeoutMs: 400, bodyTimeoutMs: 900 })
})
afterAll(async () => {
  await strict.close()
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

interface RawAnswer {
  status: number
  headers: string
  json: { error?: { code: string; message: string; hint?: string } } | undefined
}

/**
 * Writes `head` on a plain TCP socket, then `drip` (if any) one piece at a time every `everyMs`,
 * and collects everything the server sends; it settles only once the server closes the connection.
 */
function raw(port: number, head: string, drip: string[] = [], everyMs = 100): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1')
    const chunks: Buffer[] = []
    let timer: NodeJS.Timeout | undefined
    socket.on('data', (c: Buffer) => chunks.push(c))
    socket.on('error', reject)
    socket.on('close', () => {
      clearInterval(timer)
      const text = Buffer.concat(chunks).toString('utf8')
      const split = text.indexOf('\r\n\r\n')
      const body = split === -1 ? '' : text.slice(split + 4)
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), headers: text.slice(0, split), json: body ? JSON.parse(body) : undefined })
    })
    socket.write(head)
    const rest = [...drip]
    if (rest.length > 0) {
      timer = setInterval(() => {
        const next = rest.shift()
        if (next === undefined || !socket.writable) return clearInterval(timer)
        socket.write(next)
      }, everyMs)
    }
  })
}

const rpcHead = (port: number, method: string, length: number) =>
  `POST /rpc/${method} HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\nauthorization: Bearer ${TOKEN}\r\ncontent-type: application/json\r\ncontent-length: ${length}\r\n\r\n`

describe('serve mode against slow or broken clients', () => {
  it('answers 408 E_REQUEST_TIMEOUT and hangs up on a body that stops arriving', { timeout: 5_000 }, async () => {
    const answer = await raw(strict.port, rpcHead(strict.port, 'system.ping', 20) + '{')
    expect(answer).toMatchObject({ status: 408, json: { error: { code: 'E_REQUEST_TIMEOUT', message: expect.stringContaining('sent nothing'), hint: expect.any(String) } } })
    expect(answer.headers.toLowerCase()).toContain('connection: close')
  })

  it('answers 408 to a body that trickles in for longer than the total limit', { timeout: 5_000 }, async () => {
    // A byte every 50 ms never trips the 400 ms idle limit, only the 900 ms total one.
    const answer = await raw(strict.port, rpcHead(strict.port, 'system.ping', 100), Array.from({ length: 100 }, () => ' '), 50)
    expect(answer).toMatchObject({ status: 408, json: { error: { code: 'E_REQUEST_TIMEOUT', message: expect.stringContaining('longer than') } } })
  })

  it('answers 408 to headers that never finish', { timeout: 5_000 }, async () => {
    const answer = await raw(strict.port, `POST /rpc/system.ping HTTP/1.1\r\nhost: 127.0.0.1:${strict.port}\r\n`)
    expect(answer).toMatchObject({ status: 408, json: { error: { code: 'E_REQUEST_TIMEOUT' } } })
  })

  it('still answers a request whose body comes in pieces within the limits', { timeout: 5_000 }, async () => {
    const body = '{}'
    const answer = await raw(strict.port, rpcHead(strict.port, 'system.ping', body.length).replace('\r\n\r\n', '\r\nconnection: close\r\n\r\n'), [...body], 50)
    expect(answer).toMatchObject({ status: 200, json: { ok: true } })
    expect(await rpc('system.ping', '{}')).toEqual({ status: 200, json: { ok: true } })
  })

  it('answers a malformed percent-escape in the method with 400 E_INVALID_INPUT, not 500', async () => {
    expect(await rpc('%E0%A4%A', '{}')).toMatchObject({ status: 400, json: { error: { code: 'E_INVALID_INPUT', hint: expect.any(String) } } })
    expect(await rpc('system%2Eping', '{}')).toEqual({ status: 200, json: { ok: true } })
  })

  it('answers what is not HTTP at all with a typed 400', { timeout: 5_000 }, async () => {
    const answer = await raw(server.port, 'HELLO THERE\r\n\r\n')
    expect(answer).toMatchObject({ status: 400, json: { error: { code: 'E_INVALID_INPUT' } } })
  })

  it('answers headers larger than Node accepts with a typed 431', { timeout: 5_000 }, async () => {
    const answer = await raw(server.port, `POST /rpc/${'x'.repeat(40_000)} HTTP/1.1\r\nhost: 127.0.0.1:${server.port}\r\n\r\n`)
    expect(answer).toMatchObject({ status: 431, json: { error: { code: 'E_TOO_LARGE' } } })
  })
})

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

describe('serve mode WebSocket against hostile frames', () => {
  /** An open socket and every message it has received so far, parsed. */
  async function connected(): Promise<{ ws: WebSocket; messages: { id?: unknown; result?: unknown; error?: { code: string; message: string } }[] }> {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/events?token=${TOKEN}`)
    const messages: { id?: unknown; result?: unknown; error?: { code: string; message: string } }[] = []
    ws.on('message', (data) => messages.push(JSON.parse(String(data))))
    await new Promise((resolve, reject) => ws.on('open', resolve).on('error', reject))
    return { ws, messages }
  }

  it('answers input nested 5,000 deep with E_INVALID_INPUT on the same id, and keeps the socket', async () => {
    const { ws, messages } = await connected()
    const deep = '['.repeat(5_000) + ']'.repeat(5_000)
    ws.send(`{"id": 7, "method": "cache.set", "input": {"key": "k", "value": ${deep}}}`)
    ws.send(`{"id": 8, "method": "system.ping", "input": {}, "extra": ${deep}}`)
    ws.send(`{"id": ${deep}, "method": "system.ping"}`)
    ws.send(deep)
    await expect.poll(() => messages.length, { timeout: 5000 }).toBe(4)
    expect(messages.find((m) => m.id === 7)?.error).toMatchObject({ code: 'E_INVALID_INPUT', message: expect.stringContaining('nested deeper than 64') })
    // The frame is refused before it is parsed (parsing 5,000 levels is the stall): extra fields included.
    expect(messages.find((m) => m.id === 8)?.error).toMatchObject({ code: 'E_INVALID_INPUT' })
    expect(messages.filter((m) => m.id === null).map((m) => m.error?.code)).toEqual(['E_INVALID_INPUT', 'E_INVALID_INPUT'])
    expect(ws.readyState).toBe(WebSocket.OPEN)
    ws.close()
  })

  it('answers a 10 MB method name with E_UNKNOWN_METHOD without echoing it back', async () => {
    const { ws, messages } = await connected()
    ws.send(JSON.stringify({ id: 1, method: 'cache.'.padEnd(10 * 1024 * 1024, 'x'), input: {} }))
    await expect.poll(() => messages.length, { timeout: 5000 }).toBe(1)
    expect(messages[0]).toMatchObject({ id: 1, error: { code: 'E_UNKNOWN_METHOD' } })
    expect(JSON.stringify(messages[0]).length).toBeLessThan(2_000)
    ws.close()
  })

  it('answers frames of the wrong shape with typed errors', async () => {
    const { ws, messages } = await connected()
    for (const frame of ['null', '[]', '"text"', '{"id": 1}', '{"id": {}, "method": "system.ping"}', '{"id": 1, "method": 5}', '{"method": "system.ping"}']) ws.send(frame)
    ws.send(Buffer.from('{"id": 2, "method": "system.ping"}'), { binary: true })
    await expect.poll(() => messages.length, { timeout: 5000 }).toBe(8)
    expect(messages.every((m) => m.id === null && m.error?.code === 'E_INVALID_INPUT')).toBe(true)
    ws.close()
  })

  it('drops a connection that breaks the WebSocket protocol, and serves the next one', async () => {
    const key = 'dGhlIHNhbXBsZSBub25jZQ=='
    const socket = connect(server.port, '127.0.0.1')
    const closed = new Promise<Buffer>((resolve) => {
      const chunks: Buffer[] = []
      socket.on('data', (c: Buffer) => chunks.push(c)).on('close', () => resolve(Buffer.concat(chunks))).on('error', () => undefined)
    })
    socket.write(
      `GET /events?token=${TOKEN} HTTP/1.1\r\nhost: 127.0.0.1:${server.port}\r\nupgrade: websocket\r\nconnection: Upgrade\r\nsec-websocket-key: ${key}\r\nsec-websocket-version: 13\r\n\r\n`,
    )
    await new Promise((resolve) => socket.once('data', resolve))
    // A client frame without the mask bit, and reserved bits set: both forbidden by RFC 6455.
    socket.write(Buffer.from([0xf1, 0x05, ...Buffer.from('hello')]))
    const received = await closed
    expect(received.toString('latin1')).toContain('101 Switching Protocols')
    expect(received.includes(Buffer.from([0x88]))).toBe(true) // a close frame
    const { ws, messages } = await connected()
    ws.send(JSON.stringify({ id: 1, method: 'system.ping' }))
    await expect.poll(() => messages.length, { timeout: 5000 }).toBe(1)
    expect(messages[0]).toEqual({ id: 1, result: { ok: true } })
    ws.close()
  })
})

describe('serve-mode session cookie', () => {
  const origin = () => `http://127.0.0.1:${server.port}`
  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${origin()}${path}`, { headers, redirect: 'manual' })

  it('turns the printed address into an HttpOnly, SameSite=Strict cookie and a redirect without the token', async () => {
    const answer = await get(`/?token=${TOKEN}&x=1`)
    expect(answer.status).toBe(303)
    expect(answer.headers.get('location')).toBe('/?x=1')
    const cookie = answer.headers.get('set-cookie')!
    expect(cookie).toMatch(/^backplane_session_[0-9a-f]{12}=[\w-]{43}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=\d+$/)
    expect(cookie).not.toContain(TOKEN)
    const pair = cookie.slice(0, cookie.indexOf(';'))
    expect(await (await get('/session', { cookie: pair })).json()).toEqual({ signedIn: true })
    expect(await (await get('/session')).json()).toEqual({ signedIn: false })
    // The cookie stands in for the token on the API, among other cookies of the same host.
    expect((await rpc('system.ping', '{}', { authorization: '', cookie: `other=1; ${pair}; more=2` })).status).toBe(200)
  })

  it('sets no cookie for a wrong token, and says so on the lock screen', async () => {
    const answer = await get('/?token=wrong')
    expect(answer.status).toBe(303)
    expect(answer.headers.get('location')).toBe('/?signin=refused')
    expect(answer.headers.get('set-cookie')).toBeNull()
  })

  it('refuses a cookie with another value, or the value under another name', async () => {
    // The altered value differs in its last character whatever that was (one value in 64 ended in A).
    const pair = (await get(`/?token=${TOKEN}`)).headers.get('set-cookie')!.split(';')[0]!
    const [name, value] = pair.split('=') as [string, string]
    expect((await rpc('system.ping', '{}', { authorization: '', cookie: `${name}=${value.slice(0, -1)}${value.endsWith('A') ? 'B' : 'A'}` })).status).toBe(401)
    expect((await rpc('system.ping', '{}', { authorization: '', cookie: `backplane_session_000000000000=${value}` })).status).toBe(401)
    expect((await rpc('system.ping', '{}', { authorization: '', cookie: `${name}=${TOKEN}` })).status).toBe(401)
  })

  it('signs out with POST /session/sign-out: the cookie expires, the session ends on the server, its socket closes', async () => {
    const pair = (await get(`/?token=${TOKEN}`)).headers.get('set-cookie')!.split(';')[0]!
    const other = (await get(`/?token=${TOKEN}`)).headers.get('set-cookie')!.split(';')[0]!
    const socket = new WebSocket(`ws://127.0.0.1:${server.port}/events`, { headers: { cookie: pair } })
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject))
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)))

    const answer = await fetch(`${origin()}/session/sign-out`, { method: 'POST', headers: { cookie: pair } })
    expect(answer.status).toBe(200)
    expect(answer.headers.get('set-cookie')).toMatch(/^backplane_session_[0-9a-f]{12}=; Path=\/; HttpOnly; SameSite=Strict; Max-Age=0$/)
    expect(await closed).toBe(4401)
    // A copy of the cookie is worth nothing now; another browser's session goes on.
    expect((await rpc('system.ping', '{}', { authorization: '', cookie: pair })).status).toBe(401)
    expect((await rpc('system.ping', '{}', { authorization: '', cookie: other })).status).toBe(200)
    expect((await fetch(`${origin()}/session/sign-out`)).status).toBe(405)
    expect((await fetch(`${origin()}/session/sign-out`, { method: 'POST', headers: { origin: 'http://evil.example', cookie: other } })).status).toBe(403)
    expect((await rpc('system.ping', '{}', { authorization: '', cookie: other })).status).toBe(200)
  })

  it('keeps sessions across a restart on the same token, ends them after 30 days or with another token, and stores no usable cookie', async () => {
    const file = join(home, 'sessions-unit.json')
    let now = 1_000_000
    const first = new ServeSessions('token-a', file, () => now)
    const secret = await first.create()
    const cookie = `${first.cookieName}=${secret}`
    expect(readFileSync(file, 'utf8')).not.toContain(secret)
    expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(new ServeSessions('token-a', file, () => now).find(cookie)).toBeDefined()
    expect(new ServeSessions('token-b', file, () => now).find(cookie.replace(first.cookieName, new ServeSessions('token-b').cookieName))).toBeUndefined()
    now += 30 * 24 * 3600 * 1000 - 1
    expect(first.find(cookie)).toBeDefined()
    now += 1
    expect(first.find(cookie)).toBeUndefined()
    expect(new ServeSessions('token-a', file, () => now).find(cookie)).toBeUndefined()
  })
})
