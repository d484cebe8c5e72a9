import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { WebSocketServer } from 'ws'
import { BackplaneError, toBackplaneError, ErrorCode } from '../../core/errors'
import type { App } from '../../api/app'
import { readJsonBody, sendError, sendJson } from './json-body'
import { RequestGuard } from './request-guard'
import { serveStatic } from './static-files'
import { serveSocket } from './websocket'

export interface HttpServerOptions {
  host: string
  port: number
  token: string
  /** The built renderer (out/renderer); without it only the API is served. */
  staticDir?: string
  bodyLimit?: number
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

/**
 * Serve mode: the same router as Electron's IPC, over `POST /rpc/<method>` and a WebSocket at
 * `/events`, plus the static GUI. Every request passes the Host/Origin check, every API request the
 * token check.
 */
export async function startHttpServer(app: App, options: HttpServerOptions, routes: RouteHandler[] = []): Promise<RunningServer> {
  const server = createServer()
  const sockets = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 * 1024 })
  const limit = options.bodyLimit ?? DEFAULT_BODY_LIMIT
  const guard = new RequestGuard(options.token)

  server.on('request', (req, res) => {
    void handle(req, res).catch((err: unknown) => sendError(res, err))
  })

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost')
    guard.checkOrigin(req)
    if (url.pathname.startsWith('/rpc/')) {
      guard.checkToken(req, url)
      if (req.method !== 'POST') throw new BackplaneError(ErrorCode.E_METHOD_NOT_ALLOWED, 'Use POST for /rpc/<method>.', { status: 405 })
      const method = decodeURIComponent(url.pathname.slice('/rpc/'.length))
      let input: unknown
      try {
        input = await readJsonBody(req, limit)
      } catch (err) {
        // Answer, then drop the connection: the rest of an oversized body is not worth reading.
        res.setHeader('connection', 'close')
        throw err
      }
      const result = await app.router.dispatch(method, input, { app, via: 'http' })
      sendJson(res, 200, result)
      return
    }
    for (const route of routes) if (await route(req, res, url, () => guard.checkToken(req, url))) return
    if (req.method === 'GET' && options.staticDir && (await serveStatic(options.staticDir, url.pathname, res))) return
    throw new BackplaneError(ErrorCode.E_NOT_FOUND, `Nothing at ${url.pathname}.`, { hint: 'The API is POST /rpc/<method>; events are on the WebSocket /events.' })
  }

  server.on('upgrade', (req, socket, head) => {
    try {
      const url = new URL(req.url ?? '/', 'http://localhost')
      guard.checkOrigin(req)
      guard.checkToken(req, url)
      if (url.pathname !== '/events') throw new BackplaneError(ErrorCode.E_NOT_FOUND, 'The WebSocket lives at /events.')
      sockets.handleUpgrade(req, socket, head, (ws) => serveSocket(ws, app))
    } catch (err) {
      const error = toBackplaneError(err)
      socket.end(`HTTP/1.1 ${error.status} ${error.code}\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n${JSON.stringify({ error: error.toPayload() })}`)
    }
  })

  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n')
  })

  await listen(server, options.port, options.host)
  const port = (server.address() as AddressInfo).port
  const loopback = isLoopback(options.host)
  guard.listenOn(port, loopback ? [] : [bracket(options.host)])
  const displayHost = loopback ? '127.0.0.1' : bracket(options.host)
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

export function isLoopback(host: string): boolean {
  return host === '127.0.0.1' || host === 'localhost' || host === '::1' || host.startsWith('127.')
}

function bracket(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host
}
