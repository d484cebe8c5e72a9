import type { IncomingMessage, ServerResponse } from 'node:http'
import { pipeline } from 'node:stream'
import type { App } from '../../api/app'
import { isStorageRoute, type StorageHttpResponse } from '../../services/storage-transfers'

/**
 * The storage routes in serve mode (docs/storage.md, Transfers and the HTTP routes): the token or the
 * browser's session cookie as for every API route, then the host-agnostic handler, whose answer is
 * streamed to the client at its pace. The client leaving aborts the work (an upload's write is dropped,
 * a download's engine stream destroyed). (The handler type is server.ts's RouteHandler, spelled out.)
 */
export function storageRoutes(app: App): (req: IncomingMessage, res: ServerResponse, url: URL, authorize: () => void) => Promise<boolean> {
  return async (req, res, url, authorize) => {
    const rawPath = (req.url ?? '/').split('?', 1)[0]!
    if (!isStorageRoute(rawPath)) return false
    try {
      authorize()
    } catch (err) {
      // The refused body is dropped with its connection (server.ts), so the client must not reuse it.
      if (!req.complete) res.setHeader('connection', 'close')
      throw err
    }
    const controller = new AbortController()
    // 'close' also follows a complete answer; only one that came first is the client leaving.
    const onClose = () => {
      if (!res.writableFinished) controller.abort()
    }
    res.on('close', onClose)
    req.on('error', () => controller.abort())
    const answer = await app.storageHttp({
      method: req.method ?? 'GET',
      rawPath,
      query: url.searchParams,
      header: (name) => headerOf(req, name),
      body: req.method === 'PUT' ? req : null,
      signal: controller.signal,
    })
    send(req, res, answer)
    return true
  }
}

function send(req: IncomingMessage, res: ServerResponse, answer: StorageHttpResponse): void {
  // A body not read to its end (an upload refused or cut off) is not worth reading now: the connection closes.
  if (!req.complete && req.method !== 'GET' && req.method !== 'HEAD') answer.headers.connection = 'close'
  res.writeHead(answer.status, answer.headers)
  if (!answer.body || req.method === 'HEAD' || answer.status === 304) {
    answer.body?.destroy()
    res.end()
    return
  }
  // A fault midway (the engine failing, a cancel) can only cut the response short: the client sees it broken.
  pipeline(answer.body, res, () => {})
}

function headerOf(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name]
  return Array.isArray(value) ? value.join(', ') : value
}
