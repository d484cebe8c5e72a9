/**
 * The renderer's Content-Security-Policy, one string for both hosts: no remote code, no eval, no
 * plugins; connections only back to the page's own origin (the WebSocket of serve mode included).
 * Captured mail is shown in a sandboxed iframe from /mail-html/<id>, served with its own stricter policy.
 */
export const RENDERER_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "frame-src 'self' blob: data: about:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ')
