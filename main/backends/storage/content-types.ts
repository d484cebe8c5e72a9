/**
 * What a stored file is, by its extension when the engine does not say, and whether a browser may show
 * it inline. Served files come from anyone who can write to a storage, so only types that run no script
 * render inline (SVG and HTML do; they download, or show as text/plain), and every response says nosniff.
 */
const BY_EXTENSION: Record<string, string> = {
  txt: 'text/plain',
  log: 'text/plain',
  md: 'text/markdown',
  csv: 'text/csv',
  tsv: 'text/tab-separated-values',
  json: 'application/json',
  xml: 'application/xml',
  yaml: 'application/yaml',
  yml: 'application/yaml',
  html: 'text/html',
  htm: 'text/html',
  css: 'text/css',
  js: 'text/javascript',
  mjs: 'text/javascript',
  ts: 'text/plain',
  py: 'text/x-python',
  svg: 'image/svg+xml',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  avif: 'image/avif',
  bmp: 'image/bmp',
  ico: 'image/x-icon',
  pdf: 'application/pdf',
  mp3: 'audio/mpeg',
  ogg: 'audio/ogg',
  oga: 'audio/ogg',
  wav: 'audio/wav',
  flac: 'audio/flac',
  m4a: 'audio/mp4',
  mp4: 'video/mp4',
  m4v: 'video/mp4',
  webm: 'video/webm',
  ogv: 'video/ogg',
  mov: 'video/quicktime',
  zip: 'application/zip',
  gz: 'application/gzip',
  tgz: 'application/gzip',
  bz2: 'application/x-bzip2',
  xz: 'application/x-xz',
  '7z': 'application/x-7z-compressed',
  woff2: 'font/woff2',
}

const OCTETS = 'application/octet-stream'

/** The engine's type when it has one (S3 keeps it), else the extension's, else bytes. */
export function contentTypeOf(name: string, stored: string | undefined): string {
  if (stored && /^[\w.+-]+\/[\w.+-]+(\s*;.*)?$/.test(stored) && !/[\r\n]/.test(stored)) return stored
  const dot = name.lastIndexOf('.')
  const ext = dot > name.lastIndexOf('/') ? name.slice(dot + 1).toLowerCase() : ''
  return BY_EXTENSION[ext] ?? OCTETS
}

function essence(type: string): string {
  return type.split(';')[0]!.trim().toLowerCase()
}

/**
 * The type an inline response is served as, or null when the file must download. Text of any kind is
 * served as text/plain (a stored .html or .js shows its source); images but SVG, PDF, audio and video
 * as themselves.
 */
export function inlineTypeOf(type: string): string | null {
  const t = essence(type)
  if (t === 'image/svg+xml') return null
  if (t.startsWith('image/') || t.startsWith('audio/') || t.startsWith('video/') || t === 'application/pdf') return t
  if (t.startsWith('text/') || t === 'application/json' || t === 'application/xml' || t === 'application/yaml') return 'text/plain; charset=utf-8'
  return null
}

/** Already compressed: a zip stores these as they are rather than spending time deflating them again. */
export function isCompressed(type: string): boolean {
  const t = essence(type)
  return (t.startsWith('image/') && t !== 'image/svg+xml' && t !== 'image/bmp') || t.startsWith('audio/') || t.startsWith('video/') || t === 'application/pdf' || /zip|gzip|bzip2|x-xz|7z|woff2/.test(t)
}

/** RFC 6266: an ASCII name every browser reads, and the exact name (UTF-8) for those that read filename*. */
export function contentDisposition(kind: 'attachment' | 'inline', filename: string): string {
  const ascii = filename.replace(/[^A-Za-z0-9._-]/g, '_') || 'download'
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeAttrChars(filename)}`
}

/** RFC 8187's value-chars: encodeURIComponent leaves ' ( ) * as they are, which attr-char does not allow. */
function encodeAttrChars(text: string): string {
  return encodeURIComponent(text).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
}
