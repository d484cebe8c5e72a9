import { readFile } from 'node:fs/promises'
import { extname, join, normalize, sep } from 'node:path'
import { protocol } from 'electron'
import { RENDERER_CSP } from '../content-security-policy'
import { messageHtmlDocument } from '../../services/outbox/message-html'
import type { OutboxStore } from '../../services/outbox/outbox-store'

export const APP_SCHEME = 'app'
export const APP_ORIGIN = `${APP_SCHEME}://backplane`

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
}

/** Must run before the app is ready: app:// behaves like a secure, standard origin (not file://). */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }])
}

/**
 * Serves the built renderer — the same files serve mode sends — with the same CSP, and nothing outside
 * it; plus captured messages' HTML for the viewer's sandboxed iframe, with that document's own CSP.
 */
export function serveRenderer(rendererDir: string, outbox: OutboxStore): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url)
    if (url.host !== 'backplane') return new Response('Not found', { status: 404 })
    const mail = /^\/mail-html\/(\d+)$/.exec(url.pathname)
    if (mail) {
      try {
        const doc = await messageHtmlDocument(outbox, Number(mail[1]), url.searchParams.get('remote') === '1')
        return new Response(doc.html, { headers: { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': doc.csp, 'x-content-type-options': 'nosniff' } })
      } catch {
        return new Response('Not found', { status: 404 })
      }
    }
    const relative = normalize(decodeURIComponent(url.pathname)).replace(/^([/\\])+/, '') || 'index.html'
    const file = join(rendererDir, relative)
    if (!file.startsWith(rendererDir + sep)) return new Response('Forbidden', { status: 403 })
    try {
      const body = await readFile(file)
      return new Response(body, {
        headers: {
          'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
          'content-security-policy': RENDERER_CSP,
          'x-content-type-options': 'nosniff',
        },
      })
    } catch {
      return new Response('Not found', { status: 404 })
    }
  })
}
