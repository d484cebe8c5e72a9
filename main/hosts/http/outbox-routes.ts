import type { IncomingMessage, ServerResponse } from 'node:http'
import { BackplaneError, ErrorCode } from '../../core/errors'
import { attachmentOf } from '../../services/outbox/message-detail'
import { messageHtmlDocument } from '../../services/outbox/message-html'
import type { App } from '../../api/app'
import { mailHtmlHeaders } from '../renderer-files'
import { sendJson } from './json-body'
import type { RouteHandler } from './server'

const MAX_WAIT_SECONDS = 300

/**
 * The REST API for test suites (docs/outbox-rest.md), and the message HTML document the viewer's
 * sandboxed iframe loads. JSON answers come from the same router methods the GUI uses.
 */
export function outboxRoutes(app: App): RouteHandler {
  const call = (method: string, input: unknown) => app.router.dispatch(method, input, { app, via: 'http' })
  return async (req, res, url, authorize) => {
    const path = url.pathname
    const html = /^\/mail-html\/(\d+)$/.exec(path)
    if (html && req.method === 'GET') {
      authorize()
      const doc = await messageHtmlDocument(app.outbox, Number(html[1]), url.searchParams.get('remote') === '1')
      res.writeHead(200, mailHtmlHeaders(doc.csp))
      res.end(doc.html)
      return true
    }
    if (!path.startsWith('/api/v1/messages')) return false
    authorize()
    const rest = path.slice('/api/v1/messages'.length)
    const q = url.searchParams
    if (rest === '' || rest === '/') {
      if (req.method === 'GET') {
        sendJson(res, 200, await call('outbox.list', { query: q.get('query') ?? '', ...numbers(q, ['limit', 'offset']), ...optional(q, 'mailbox') }))
        return true
      }
      if (req.method === 'DELETE') {
        sendJson(res, 200, await call('outbox.delete', { ids: 'all', ...optional(q, 'mailbox') }))
        return true
      }
      return methodNotAllowed()
    }
    if (rest === '/wait') {
      if (req.method !== 'GET') return methodNotAllowed()
      await wait(app, req, res, q)
      return true
    }
    const one = /^\/(\d+)(\/raw|\/attachments\/(\d+))?$/.exec(rest)
    if (!one) throw new BackplaneError(ErrorCode.E_NOT_FOUND, `Nothing at ${path}.`, { hint: 'See docs/outbox-rest.md for the endpoints.' })
    const id = Number(one[1])
    if (one[2] === '/raw') {
      if (req.method !== 'GET') return methodNotAllowed()
      const raw = app.outbox.raw(id)
      res.writeHead(200, { 'content-type': 'message/rfc822', 'content-length': raw.length, 'content-disposition': `attachment; filename="message-${id}.eml"` })
      res.end(raw)
      return true
    }
    if (one[3] !== undefined) {
      if (req.method !== 'GET') return methodNotAllowed()
      const attachment = await attachmentOf(app.outbox, id, Number(one[3]))
      res.writeHead(200, {
        'content-type': attachment.contentType,
        'content-length': attachment.content.length,
        'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(attachment.filename)}`,
        'x-content-type-options': 'nosniff',
        'content-security-policy': "default-src 'none'; sandbox",
      })
      res.end(attachment.content)
      return true
    }
    if (req.method === 'GET') {
      sendJson(res, 200, await call('outbox.get', { id, markRead: false }))
      return true
    }
    if (req.method === 'DELETE') {
      const { deleted } = (await call('outbox.delete', { ids: [id] })) as { deleted: number }
      if (!deleted) throw new BackplaneError(ErrorCode.E_NOT_FOUND, `No message ${id} in the outbox.`)
      sendJson(res, 200, { deleted })
      return true
    }
    return methodNotAllowed()
  }
}

/** `GET /api/v1/messages/wait?query=…&timeout=10[&after=<id>]`: the newest match, waiting for one to arrive; 408 if none. */
async function wait(app: App, req: IncomingMessage, res: ServerResponse, q: URLSearchParams): Promise<void> {
  const seconds = Number(q.get('timeout') ?? 10)
  if (!Number.isFinite(seconds) || seconds < 0 || seconds > MAX_WAIT_SECONDS) {
    throw new BackplaneError(ErrorCode.E_INVALID_INPUT, `timeout must be 0 to ${MAX_WAIT_SECONDS} seconds.`)
  }
  const after = q.get('after')
  const query = q.get('query') ?? ''
  const controller = new AbortController()
  req.on('close', () => controller.abort())
  const found = await app.outbox.waitFor(query, {
    timeoutMs: seconds * 1000,
    ...(after ? { afterId: Number(after) } : {}),
    ...(q.get('mailbox') ? { mailbox: q.get('mailbox')! } : {}),
  })
  if (controller.signal.aborted && !found) return
  if (!found) {
    throw new BackplaneError(ErrorCode.E_TIMEOUT, `No message matching "${query}" arrived within ${seconds} s.`, { hint: 'Check the address your application sends to, and the capture server in the Mail screen.', status: 408 })
  }
  sendJson(res, 200, await app.router.dispatch('outbox.get', { id: found.id, markRead: false }, { app, via: 'http' }))
}

function numbers(q: URLSearchParams, names: string[]): Record<string, number> {
  const out: Record<string, number> = {}
  for (const name of names) {
    const value = q.get(name)
    if (value !== null) out[name] = Number(value)
  }
  return out
}

function optional(q: URLSearchParams, name: string): Record<string, string> {
  const value = q.get(name)
  return value === null ? {} : { [name]: value }
}

function methodNotAllowed(): never {
  throw new BackplaneError(ErrorCode.E_METHOD_NOT_ALLOWED, 'That method is not allowed here.', { status: 405 })
}
