import { readFile } from 'node:fs/promises'
import { protocol } from 'electron'
import { RENDERER_FILE_HEADERS, contentTypeOf, mailHtmlHeaders, rendererFile } from '../renderer-files'
import { messageHtmlDocument } from '../../services/outbox/message-html'
import type { OutboxStore } from '../../services/outbox/outbox-store'
import { handleWebRequest, isStorageRoute, rawPathOf, type StorageHttpRequest, type StorageHttpResponse } from '../../services/storage-transfers'

export const APP_SCHEME = 'app'
export const APP_ORIGIN = `${APP_SCHEME}://backplane`

/** Must run before the app is ready: app:// behaves like a secure, standard origin (not file://). */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }])
}

/**
 * Serves the built renderer — the same files serve mode sends — with the same CSP, and nothing outside
 * it; plus captured messages' HTML for the viewer's sandboxed iframe, with that document's own CSP; and
 * the storage routes (`app://backplane/api/v1/storage/…`, the same as serve mode's, streamed both ways).
 * Only the app's own pages load from app://, so no token is asked for there.
 */
export function serveRenderer(rendererDir: string, outbox: OutboxStore, storage: (request: StorageHttpRequest) => Promise<StorageHttpResponse>): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url)
    if (url.host !== 'backplane') return new Response('Not found', { status: 404 })
    if (storage && isStorageRoute(rawPathOf(request.url))) return handleWebRequest(request, storage)
    const mail = /^\/mail-html\/(\d+)$/.exec(url.pathname)
    if (mail) {
      try {
        const doc = await messageHtmlDocument(outbox, Number(mail[1]), url.searchParams.get('remote') === '1')
        return new Response(doc.html, { headers: mailHtmlHeaders(doc.csp) })
      } catch {
        return new Response('Not found', { status: 404 })
      }
    }
    const file = rendererFile(rendererDir, url.pathname)
    if (!file) return new Response('Forbidden', { status: 403 })
    try {
      const body = await readFile(file)
      return new Response(body, { headers: { 'content-type': contentTypeOf(file), ...RENDERER_FILE_HEADERS } })
    } catch {
      return new Response('Not found', { status: 404 })
    }
  })
}
