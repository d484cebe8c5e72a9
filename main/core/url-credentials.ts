/**
 * A password inside a URL (`redis://user:pass@host:6379/0`, `smtp://u:p@ss@host`), found the way
 * redaction finds it: from the ":" after the user name to the last "@", so passwords typed unencoded,
 * with "@" or "/" in them, come out whole and go back exactly as they were typed.
 */
export function splitUrlPassword(text: string): { url: string; password: string } | undefined {
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]{0,30}:\/\//.exec(text)
  if (!scheme) return undefined
  const start = scheme[0].length
  let user = start
  while (user < text.length && !':/@'.includes(text[user]!)) user++
  const at = text.lastIndexOf('@')
  if (text[user] !== ':' || at <= user) return undefined
  const password = text.slice(user + 1, at)
  // Whatever stands between the user and the last "@" is taken for a password, spaces and all: reading
  // "host:8080/path@x" as user "host" and password "8080/path" stores too much, which is the safe mistake.
  if (password === '' || /\s/.test(text.slice(at)) || /\s/.test(text.slice(0, user))) return undefined
  return { url: text.slice(0, user) + text.slice(at), password }
}

/** The URL with the password put back after its user name (`redis://user@host` → `redis://user:pw@host`). */
export function withUrlPassword(url: string, password: string): string {
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]{0,30}:\/\//.exec(url)
  const at = url.lastIndexOf('@')
  if (!scheme || at < scheme[0].length) {
    // No user part: the password has no place but an empty user name's.
    return scheme ? `${scheme[0]}:${password}@${url.slice(scheme[0].length)}` : url
  }
  return `${url.slice(0, at)}:${password}${url.slice(at)}`
}
