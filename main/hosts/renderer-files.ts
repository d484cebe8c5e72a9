import { extname, join, normalize, sep } from 'node:path'
import { RENDERER_CSP } from './content-security-policy'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
}

export function contentTypeOf(file: string): string {
  return TYPES[extname(file)] ?? 'application/octet-stream'
}

/** The file under root that a URL path names (index.html for "/"), or undefined if the path leaves root. */
export function rendererFile(root: string, pathname: string): string | undefined {
  const relative = normalize(decodeURIComponent(pathname)).replace(/^([/\\])+/, '') || 'index.html'
  const file = join(root, relative)
  return file.startsWith(root + sep) ? file : undefined
}

/** What both hosts send with every file of the renderer: one CSP, no sniffing. */
export const RENDERER_FILE_HEADERS = { 'content-security-policy': RENDERER_CSP, 'x-content-type-options': 'nosniff' } as const

/** What both hosts send with a captured message's HTML for the viewer's sandboxed iframe. */
export function mailHtmlHeaders(csp: string): Record<string, string> {
  return { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': csp, 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer', 'cache-control': 'no-store' }
}
