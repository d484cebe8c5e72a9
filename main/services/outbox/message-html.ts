import type { OutboxStore } from './outbox-store'
import { parse, toBuffer } from './message-detail'

/**
 * A captured message's HTML as a document of its own, for a sandboxed iframe: scripts off (by the
 * iframe's sandbox and by this CSP), remote content blocked unless the user allowed it, inline
 * images (cid:) turned into data: URLs, links opening outside.
 */
export async function messageHtmlDocument(store: OutboxStore, id: number, allowRemote: boolean): Promise<{ html: string; csp: string }> {
  const email = await parse(store.raw(id))
  let html = email?.html ?? `<pre>${escapeHtml(email?.text ?? '')}</pre>`
  for (const attachment of email?.attachments ?? []) {
    if (!attachment.contentId) continue
    const cid = attachment.contentId.replace(/^<|>$/g, '')
    const data = `data:${attachment.mimeType};base64,${toBuffer(attachment.content).toString('base64')}`
    html = html.split(`cid:${cid}`).join(data)
  }
  const remote = allowRemote ? ' https: http:' : ''
  const policy = ["default-src 'none'", `img-src data:${remote}`, `style-src 'unsafe-inline'${remote}`, `font-src data:${remote}`]
  // frame-ancestors and sandbox only work as a header; the meta copy guards a document saved and reopened.
  const csp = [...policy, "frame-ancestors 'self'", 'sandbox allow-popups allow-popups-to-escape-sandbox'].join('; ')
  const head = `<meta charset="utf-8"><base target="_blank"><meta http-equiv="Content-Security-Policy" content="${policy.join('; ')}">`
  return { html: /<head[^>]*>/i.test(html) ? html.replace(/<head[^>]*>/i, (m) => m + head) : `<!doctype html><html><head>${head}</head><body>${html}</body></html>`, csp }
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)
}
