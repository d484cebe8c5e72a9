import type { IncomingMessage } from 'node:http'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { RequestGuard } from './request-guard'
import { ServeSessions } from './serve-session'

/** The guard alone, on requests that are only their headers: every rule, its error and its hint. */
const TOKEN = 'guard-token-0123456789'
const request = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage
const url = (query = '') => new URL(`http://127.0.0.1:4025/rpc/system.ping${query}`)
const home = mkdtempSync(join(tmpdir(), 'backplane-guard-'))
afterAll(() => rmSync(home, { recursive: true, force: true }))

function guardOn(port: number, extraHosts?: string[], sessions?: ServeSessions): RequestGuard {
  const guard = new RequestGuard(TOKEN, sessions)
  guard.listenOn(port, extraHosts)
  return guard
}

describe('RequestGuard.checkOrigin', () => {
  const guard = guardOn(4025)

  it('accepts this server by each loopback name, in any case', () => {
    for (const host of ['127.0.0.1:4025', 'localhost:4025', '[::1]:4025', 'LOCALHOST:4025']) expect(() => guard.checkOrigin(request({ host }))).not.toThrow()
    expect(() => guard.checkOrigin(request({ host: '127.0.0.1:4025', origin: 'http://[::1]:4025' }))).not.toThrow()
  })

  it('refuses another host or port, or none, saying which and how to connect', () => {
    for (const host of ['evil.example:4025', '127.0.0.1:4026', '127.0.0.1', '[::1]', '']) {
      expect(() => guard.checkOrigin(request(host ? { host } : {}))).toThrow(
        expect.objectContaining({ code: 'E_FORBIDDEN', status: 403, message: `Host "${host}" is not this Backplane server.`, hint: 'Connect to 127.0.0.1 or localhost with the port Backplane printed.' }),
      )
    }
  })

  it('names the extra host of a non-loopback bind, and only with the port', () => {
    const remote = guardOn(4025, ['192.0.2.7'])
    expect(() => remote.checkOrigin(request({ host: '192.0.2.7:4025', origin: 'http://192.0.2.7:4025' }))).not.toThrow()
    expect(() => guard.checkOrigin(request({ host: '192.0.2.7:4025' }))).toThrow(/not this Backplane server/)
  })

  it("refuses another page's Origin and an opaque one, each with its own message", () => {
    expect(() => guard.checkOrigin(request({ host: '127.0.0.1:4025', origin: 'http://evil.example' }))).toThrow(
      expect.objectContaining({ code: 'E_FORBIDDEN', message: 'Requests from http://evil.example are not allowed.', hint: 'Only the Backplane GUI itself (or a client sending no Origin) may call the API.' }),
    )
    expect(() => guard.checkOrigin(request({ host: '127.0.0.1:4025', origin: 'null' }))).toThrow(
      expect.objectContaining({ code: 'E_FORBIDDEN', message: 'Requests from an opaque origin (a sandboxed page or file) are not allowed.' }),
    )
  })
})

describe('RequestGuard.checkToken', () => {
  const hint = 'Send "Authorization: Bearer <token>" (or ?token=) with the token Backplane printed at start, or set BACKPLANE_TOKEN.'

  it('takes the token as a Bearer header (spaces around it forgiven) or ?token=', () => {
    const guard = guardOn(4025)
    expect(guard.checkToken(request({ authorization: `Bearer ${TOKEN}` }), url())).toBeUndefined()
    expect(() => guard.checkToken(request({ authorization: `Bearer ${TOKEN}  ` }), url())).not.toThrow()
    expect(() => guard.checkToken(request({}), url(`?token=${TOKEN}`))).not.toThrow()
  })

  it('refuses another scheme, a wrong or longer token, and none, saying which', () => {
    const guard = guardOn(4025)
    for (const authorization of [`Basic ${TOKEN}`, `bearer ${TOKEN}`, `${TOKEN}`]) {
      expect(() => guard.checkToken(request({ authorization }), url())).toThrow(expect.objectContaining({ code: 'E_UNAUTHORIZED', status: 401, message: 'A token is required.', hint }))
    }
    expect(() => guard.checkToken(request({ authorization: `Bearer ${TOKEN}x` }), url())).toThrow(expect.objectContaining({ message: 'The token is wrong.', hint }))
    expect(() => guard.checkToken(request({ authorization: `Bearer ${TOKEN.slice(0, -1)}X` }), url())).toThrow(expect.objectContaining({ message: 'The token is wrong.' }))
    expect(() => guard.checkToken(request({}), url('?token='))).toThrow(expect.objectContaining({ message: 'A token is required.' }))
  })

  it('takes a live session cookie instead, and says so; not a cookie where there are no sessions', async () => {
    const sessions = new ServeSessions(TOKEN, join(home, 'sessions.json'))
    const guard = guardOn(4025, [], sessions)
    const cookie = `${sessions.cookieName}=${await sessions.create()}`
    const session = guard.checkToken(request({ cookie }), url())
    expect(session).toMatch(/^[0-9a-f]{64}$/)
    expect(guard.sessionOf(request({ cookie: `a=b; ${cookie}` }))).toBe(session)
    expect(() => guard.checkToken(request({ cookie: `${sessions.cookieName}=${TOKEN}` }), url())).toThrow(/A token is required/)
    expect(() => guardOn(4025).checkToken(request({ cookie }), url())).toThrow(/A token is required/)
    await sessions.revoke(cookie)
    expect(guard.sessionOf(request({ cookie }))).toBeUndefined()
  })
})
