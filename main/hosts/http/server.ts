import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import { WebSocketServer } from 'ws'
import { BackplaneError, toBackplaneError, ErrorCode } from '../../core/errors'
import { isLoopback } from '../../core/loopback'
import type { App } from '../../api/app'
import { dataExportRoute } from './data-export-route'
import { storageRoutes } from './storage-routes'
import { readJsonBody, sendError, sendJson, type BodyLimits } from './json-body'
import { RequestGuard } from './request-guard'
import type { ServeSessions } from './serve-session'
import { serveStatic } from './static-files'
import { serveSocket } from './websocket'

export interface HttpServerOptions {
  host: string
  port: number
  token: string
  /** The built renderer (out/renderer); without it only the API is served. */
  staticDir?: string
  bodyLimit?: number
  /** The request line and headers must arrive within this (default 10 s). */
  headersTimeoutMs?: number
  /** An API body that sends nothing for this long is answered 408 (default 10 s)… */
  bodyIdleTimeoutMs?: number
  /** …and so is one that takes longer than this in all (default 60 s). */
  bodyTimeoutMs?: number
  /** Browser sessions (serve mode): a visit with `?token=` signs the browser in with a cookie. */
  sessions?: ServeSessions
}

export interface RunningServer {
  url: string
  port: number
  close(): Promise<void>
}

/**
 * Extra routes mounted by features (the outbox REST API), tried after /rpc and before static files.
 * A route that serves something calls authorize() first (the token check) and returns true.
 */
export type RouteHandler = (req: IncomingMessage, res: ServerResponse, url: URL, authorize: () => void) => Promise<boolean>

const DEFAULT_BODY_LIMIT = 16 * 1024 * 1024
const DEFAULT_HEADERS_TIMEOUT = 10_000
const DEFAULT_BODY_IDLE_TIMEOUT = 10_000
const DEFAULT_BODY_TIMEOUT = 60_000

/**
 * Serve mode: the same router as Electron's IPC, over `POST /rpc/<method>` and a WebSocket at
 * `/events`, plus the static GUI. Every request passes the Host/Origin check, every API request the
 * token check.
 */
export async function startHttpServer(app: App, options: HttpServerOptions, routes: RouteHandler[] = []): Promise<RunningServer> {
  const headersTimeout = options.headersTimeoutMs ?? DEFAULT_HEADERS_TIMEOUT
  const body: BodyLimits = {
    limit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
    idleMs: options.bodyIdleTimeoutMs ?? DEFAULT_BODY_IDLE_TIMEOUT,
    totalMs: options.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT,
  }
  const server = createServer({
    headersTimeout,
    // No limit on a whole request: a streamed upload (PUT /api/v1/storage/…) may take as long as it needs,
    // with its own idle cut. The JSON API has its own limits (above); a body no route reads is dropped
    // with its connection once the answer is sent (below).
    requestTimeout: 0,
    // Node checks both only this often (30 s by default, so "10 s" could mean 40).
    connectionsCheckingInterval: Math.max(10, Math.min(1_000, Math.floor(headersTimeout / 4))),
  })
  const sockets = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 * 1024 })
  const guard = new RequestGuard(options.token, options.sessions)
  // Downloads of table and query rows (docs/data.md, Exporting rows) and the files of storage aliases
  // (docs/storage.md, Transfers and the HTTP routes): wherever the API is served.
  const mounted = [...routes, dataExportRoute(app), storageRoutes(app)]
  // The response in progress on each connection, so that a timeout Node reports mid-request is answered on it.
  const answering = new WeakMap<Duplex, ServerResponse>()

  server.on('request', (req, res) => {
    answering.set(req.socket, res)
    res.on('close', () => {
      if (answering.get(req.socket) === res) answering.delete(req.socket)
    })
    // Answered before the body was all read (an error, a route that ignores bodies): the rest is not
    // worth reading, and a body that never ends must not hold the connection.
    res.on('finish', () => {
      if (!req.complete) req.destroy()
    })
    void handle(req, res).catch((err: unknown) => sendError(res, err))
  })

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = requestUrl(req)
    guard.checkOrigin(req)
    if (url.pathname.startsWith('/rpc/')) {
      guard.checkToken(req, url)
      if (req.method !== 'POST') throw new BackplaneError(ErrorCode.E_METHOD_NOT_ALLOWED, 'Use POST for /rpc/<method>.', { status: 405 })
      const method = decodePath(url.pathname.slice('/rpc/'.length))
      let input: unknown
      try {
        input = await readJsonBody(req, body)
      } catch (err) {
        // Answer, then drop the connection: the rest of an oversized body is not worth reading.
        res.setHeader('connection', 'close')
        throw err
      }
      const result = await app.router.dispatch(method, input, { app, via: 'http', source: peerAddress(req.socket.remoteAddress) })
      sendJson(res, 200, result)
      return
    }
    if (url.pathname === '/session' || url.pathname === '/session/sign-out') return answerSession(req, res, url)
    if (req.method === 'GET' && (url.pathname === '/' || url.pathname === '/index.html') && url.searchParams.has('token') && options.sessions) return signIn(req, res, url, options.sessions)
    for (const route of mounted) if (await route(req, res, url, () => guard.checkToken(req, url))) return
    if (req.method === 'GET' && options.staticDir && (await serveStatic(options.staticDir, url.pathname, res))) return
    throw new BackplaneError(ErrorCode.E_NOT_FOUND, `Nothing at ${url.pathname}.`, { hint: 'The API is POST /rpc/<method>; events are on the WebSocket /events.' })
  }

  /** `GET /session` says whether this browser is signed in; `POST /session/sign-out` signs it out. */
  async function answerSession(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (url.pathname === '/session' && req.method === 'GET') return sendJson(res, 200, { signedIn: guard.sessionOf(req) !== undefined })
    if (url.pathname === '/session/sign-out' && req.method === 'POST') {
      await options.sessions?.revoke(req.headers.cookie)
      if (options.sessions) res.setHeader('set-cookie', options.sessions.signOutCookie())
      return sendJson(res, 200, { signedIn: false })
    }
    throw new BackplaneError(ErrorCode.E_METHOD_NOT_ALLOWED, `Use ${url.pathname === '/session' ? 'GET' : 'POST'} for ${url.pathname}.`, { status: 405 })
  }

  /**
   * The address `serve` printed (`/?token=…`): the token becomes a session cookie, and the page
   * reloads without it, so the token stays out of history, bookmarks and screenshots. The fragment
   * (`#/mail`) survives the redirect.
   */
  async function signIn(req: IncomingMessage, res: ServerResponse, url: URL, sessions: ServeSessions): Promise<void> {
    let accepted = true
    try {
      guard.checkGivenToken(req, url)
    } catch {
      // An old or mistyped address: the lock screen says so, rather than a JSON error in a browser tab.
      accepted = false
    }
    url.searchParams.delete('token')
    if (!accepted) url.searchParams.set('signin', 'refused')
    res.writeHead(303, {
      location: `${url.pathname}${url.search}`,
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
      ...(accepted ? { 'set-cookie': sessions.signInCookie(await sessions.create()) } : {}),
    })
    res.end()
  }

  server.on('upgrade', (req, socket, head) => {
    try {
      const url = requestUrl(req)
      guard.checkOrigin(req)
      const session = guard.checkToken(req, url)
      if (url.pathname !== '/events') throw new BackplaneError(ErrorCode.E_NOT_FOUND, 'The WebSocket lives at /events.')
      sockets.handleUpgrade(req, socket, head, (ws) => {
        // Signed out (in any tab): the socket of that session closes too, so no tab keeps its access.
        if (session && options.sessions) ws.once('close', options.sessions.onEnd(session, () => ws.close(4401, 'Signed out')))
        serveSocket(ws, app, peerAddress(req.socket.remoteAddress))
      })
    } catch (err) {
      socket.end(rawResponse(toBackplaneError(err)))
    }
  })

  // What Node's parser refuses (a malformed request, headers too slow or too large) never reaches
  // 'request'; it is answered here, as JSON like every other error.
  // A timeout that strikes while a request is being answered belongs to that request; anything else
  // that goes wrong mid-answer (a broken pipelined request) just ends the connection.
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    const error = clientError(err)
    const res = answering.get(socket)
    if (!res) {
      if (socket.writable && err.code !== 'ECONNRESET') socket.end(rawResponse(error))
      else socket.destroy()
    } else if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT' && !res.headersSent) {
      res.setHeader('connection', 'close')
      sendError(res, error)
    } else socket.destroy()
  })

  await listen(server, options.port, options.host)
  const port = (server.address() as AddressInfo).port
  const loopback = isLoopback(options.host)
  guard.listenOn(port, loopback ? [] : [bracket(options.host)])
  // Where it really listens: `--host ::1` or a localhost that resolves to ::1 is not 127.0.0.1.
  const bound = server.address() as AddressInfo
  const displayHost = loopback ? (bound.family === 'IPv6' ? `[${bound.address}]` : bound.address) : bracket(options.host)
  return {
    url: `http://${displayHost}:${port}/`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of sockets.clients) client.terminate()
        sockets.close()
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

function requestUrl(req: IncomingMessage): URL {
  try {
    return new URL(req.url ?? '/', 'http://localhost')
  } catch {
    throw new BackplaneError(ErrorCode.E_INVALID_INPUT, 'The request target is not a valid URL path.', { hint: 'Request a path such as /rpc/system.ping.' })
  }
}

function decodePath(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    throw new BackplaneError(ErrorCode.E_INVALID_INPUT, `The path "${text.slice(0, 200)}" is not valid percent-encoding.`, {
      hint: 'Encode the method name as UTF-8 with %XX escapes, or send it unencoded: /rpc/cache.get.',
    })
  }
}

function clientError(err: NodeJS.ErrnoException): BackplaneError {
  if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return new BackplaneError(ErrorCode.E_REQUEST_TIMEOUT, 'The request did not arrive in time; the connection is closed.')
  }
  if (err.code === 'HPE_HEADER_OVERFLOW') {
    return new BackplaneError(ErrorCode.E_TOO_LARGE, 'The request line and headers are too large.', { status: 431, hint: 'Send shorter headers; the input goes in the JSON body.' })
  }
  return new BackplaneError(ErrorCode.E_INVALID_INPUT, `The request is not valid HTTP (${err.code ?? err.message}).`, { hint: 'Send an HTTP/1.1 request, e.g. POST /rpc/system.ping.' })
}

/** A whole response written straight to a socket that has no ServerResponse (an upgrade, a request Node refused). */
function rawResponse(error: BackplaneError): string {
  const text = JSON.stringify({ error: error.toPayload() })
  return `HTTP/1.1 ${error.status} ${error.code}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(text)}\r\nconnection: close\r\n\r\n${text}`
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(err)
    server.once('error', onError)
    server.listen(port, host, () => {
      server.off('error', onError)
      resolve()
    })
  })
}


function bracket(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host
}

/** The peer's address as the login throttle and audit log name it: an IPv4-mapped IPv6 address as plain IPv4. */
function peerAddress(address: string | undefined): string {
  if (!address) return 'unknown'
  return address.startsWith('::ffff:') ? address.slice(7) : address
}
