/** A URL's `scheme://`, at the start of a text. */
export const SCHEME_PREFIX = /^[A-Za-z][A-Za-z0-9+.-]{0,30}:\/\//

/**
 * Where the password of a URL lies: the URL's text runs from `from` (just after its `scheme://`) to
 * `end`; the password from the ":" after the user name to the last "@". So passwords typed unencoded,
 * with "@" or "/" in them, are found whole. The one rule for redaction and for moving passwords into the
 * secret store, so both always agree on what a URL's password is.
 */
export function passwordSpan(text: string, from: number, end: number): { colon: number; at: number } | undefined {
  let user = from
  while (user < end && !':/@'.includes(text[user]!)) user++
  const at = text.lastIndexOf('@', end - 1)
  if (text[user] !== ':' || at <= user) return undefined
  return { colon: user, at }
}

/**
 * A password inside a URL option (`redis://user:pass@host:6379/0`, `smtp://u:p@ss@host`), taken out so it
 * can go into the secret store, and put back exactly as it was typed.
 */
export function splitUrlPassword(text: string): { url: string; password: string } | undefined {
  const scheme = SCHEME_PREFIX.exec(text)
  if (!scheme) return undefined
  const span = passwordSpan(text, scheme[0].length, text.length)
  if (!span) return undefined
  const { colon: user, at } = span
  const password = text.slice(user + 1, at)
  // Whatever stands between the user and the last "@" is taken for a password, spaces and all: reading
  // "host:8080/path@x" as user "host" and password "8080/path" stores too much, which is the safe mistake.
  if (password === '' || /\s/.test(text.slice(at)) || /\s/.test(text.slice(0, user))) return undefined
  return { url: text.slice(0, user) + text.slice(at), password }
}

/** The URL with the password put back after its user name (`redis://user@host` → `redis://user:pw@host`). */
export function withUrlPassword(url: string, password: string): string {
  const scheme = SCHEME_PREFIX.exec(url)
  const at = url.lastIndexOf('@')
  if (!scheme || at < scheme[0].length) {
    // No user part: the password has no place but an empty user name's.
    return scheme ? `${scheme[0]}:${password}@${url.slice(scheme[0].length)}` : url
  }
  return `${url.slice(0, at)}:${password}${url.slice(at)}`
}
