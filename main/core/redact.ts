import { passwordSpan } from './url-credentials'

// Every secret value the process has read is remembered here, so that no log line, error payload,
// health report or diagnosis can carry it out, whichever library put it into the text.
const known = new Set<string>()
/** A secret shorter than this is not masked: "a" or "12" would mask every other word of a message. */
export const MIN_SECRET_LENGTH = 3
export const MASK = '«redacted»'

export function rememberSecret(value: string): void {
  if (value.length >= MIN_SECRET_LENGTH) known.add(value)
}

export function forgetSecret(value: string): void {
  known.delete(value)
}

/** `scheme://`, preceded by something that is not part of a word (so "xhttp://" is not taken apart). */
const SCHEME = /(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]{0,30}:\/\//g
/** Where a URL written in running text ends. */
const URL_END = /[\s"'<>`]/

/**
 * Masks the password of every `scheme://user:password@host` in the text. The password runs from the
 * first ":" after the user name to the last "@" of the URL, so "u:p@ss@host" and "u:pa/ss@host" (as
 * people type them, unencoded) lose all of "p@ss" and "pa/ss"; masking too much is the safe mistake.
 */
export function maskUrlPasswords(text: string): string {
  if (!text.includes('://')) return text
  let out = ''
  let last = 0
  let scannedTo = 0
  for (const match of text.matchAll(SCHEME)) {
    // A scheme inside a URL already read is part of it: reading it again would make "a://a://…" quadratic.
    if (match.index < scannedTo) continue
    const start = match.index + match[0].length
    let end = start
    while (end < text.length && !URL_END.test(text[end]!)) end++
    scannedTo = end
    const span = passwordSpan(text, start, end)
    if (span) {
      out += text.slice(last, span.colon + 1) + MASK
      last = span.at
    }
  }
  return last === 0 ? text : out + text.slice(last)
}

export function redact(text: string): string {
  let out = maskUrlPasswords(text)
  for (const secret of known) {
    if (out.includes(secret)) out = out.split(secret).join(MASK)
  }
  return out
}

/** redact() over every string of a JSON-like value (keys included), for payloads that leave the process. */
export function redactDeep<T>(value: T): T {
  return mapStringsDeep(value, redact)
}

/**
 * `change` applied to every string of a JSON-like value, keys included (dates and binary views are left
 * as they are); below `maxDepth` levels a value is cut off rather than walked.
 */
export function mapStringsDeep<T>(value: T, change: (text: string) => string, maxDepth = 64): T {
  const walk = (item: unknown, depth: number): unknown => {
    if (typeof item === 'string') return change(item)
    if (typeof item !== 'object' || item === null) return item
    if (depth >= maxDepth) return '«nested too deep to show»'
    if (Array.isArray(item)) return item.map((inner) => walk(inner, depth + 1))
    if (item instanceof Date || ArrayBuffer.isView(item)) return item
    const out: Record<string, unknown> = {}
    for (const [key, inner] of Object.entries(item)) {
      Object.defineProperty(out, change(key), { value: walk(inner, depth + 1), enumerable: true, writable: true, configurable: true })
    }
    return out
  }
  return walk(value, 0) as T
}
