import { BackplaneError, ErrorCode } from '../../../core/errors'

// Django: MEMCACHE_MAX_KEY_LENGTH; memcached itself (KEY_MAX_LENGTH) and pymemcache count bytes.
const MAX_KEY_LENGTH = 250

/**
 * Django's BaseMemcachedCache.validate_key(): where other caches warn, memcached's raise
 * InvalidCacheKey, since the server would refuse the key. Django counts characters; pymemcache then
 * refuses more than 250 bytes of UTF-8 (allow_unicode_keys), as the server would.
 */
export function validateMemcachedKey(storedKey: string): void {
  if (isPrintableAsciiKey(storedKey)) return
  // Code points, as Python's len() and iteration count them.
  let characters = 0
  let control = false
  for (const c of storedKey) {
    characters++
    const code = c.codePointAt(0)!
    if (code < 33 || code === 127) control = true
  }
  if (characters > MAX_KEY_LENGTH) {
    throw new BackplaneError(ErrorCode.E_INVALID_INPUT, `The cache key is ${characters} characters long; memcached keys hold at most ${MAX_KEY_LENGTH}.`, {
      hint: `Cache key will cause errors if used with memcached: ${pythonRepr(shorten(storedKey))} (longer than ${MAX_KEY_LENGTH})`,
    })
  }
  if (control) {
    throw new BackplaneError(ErrorCode.E_INVALID_INPUT, 'The cache key contains a space or a control character, which memcached keys cannot hold.', {
      hint: `Cache key contains characters that will cause errors if used with memcached: ${pythonRepr(shorten(storedKey))}`,
    })
  }
  const bytes = Buffer.byteLength(storedKey)
  if (bytes > MAX_KEY_LENGTH) {
    throw new BackplaneError(ErrorCode.E_INVALID_INPUT, `The cache key is ${bytes} bytes long in UTF-8; memcached keys hold at most ${MAX_KEY_LENGTH} bytes.`, {
      hint: `Key is too long: ${pythonRepr(shorten(storedKey))} (pymemcache counts the key's UTF-8 bytes; use shorter or ASCII keys)`,
    })
  }
}

/** Near enough to Python's repr() of a str for a message: single quotes, control characters escaped. */
function pythonRepr(text: string): string {
  const named: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\\': '\\\\', "'": "\\'" }
  let out = ''
  for (const c of text) {
    const code = c.codePointAt(0)!
    out += named[c] ?? (code < 32 || code === 127 ? `\\x${code.toString(16).padStart(2, '0')}` : c)
  }
  return `'${out}'`
}

/** A key short enough to quote in a message. */
export function shorten(key: string, max = 80): string {
  return key.length <= max ? key : `${key.slice(0, max)}… (${key.length} characters)`
}

/**
 * A key of at most MAX_KEY_LENGTH printable ASCII characters (one byte each), which the checks above
 * pass: told in one pass over the UTF-16 units, since that counts code points and bytes as well.
 */
function isPrintableAsciiKey(key: string): boolean {
  if (key.length > MAX_KEY_LENGTH) return false
  for (let i = 0; i < key.length; i++) {
    const code = key.charCodeAt(i)
    if (code < 33 || code > 126) return false
  }
  return true
}
