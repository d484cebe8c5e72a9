/**
 * Paths inside an alias's options as the API spells them (main/api/contract/settings.ts): segments
 * joined by "/", with "~0" and "~1" escaping "~" and "/" inside a segment (as RFC 6901 does), and "*"
 * in a pattern standing for every item of an array: `servers/1/password` matches `servers/*\/password`.
 * They key the form's errors as well, so a server issue lands on the field it names.
 */
export function joinPath(segments: readonly string[]): string {
  return segments.map((segment) => segment.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')
}

export function splitPath(path: string): string[] {
  return path === '' ? [] : path.split('/').map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
}

export function matchesPattern(segments: readonly string[], patterns: readonly string[]): boolean {
  return patterns.some((pattern) => {
    const parts = splitPath(pattern)
    return parts.length === segments.length && parts.every((part, i) => (part === '*' ? /^\d+$/.test(segments[i] ?? '') : part === segments[i]))
  })
}

/**
 * Whether a typed URL carries a password (`redis://user:pw@host`), which the server moves into the
 * secret store on save. Only for saying so beside the box: the server decides, with the same rule
 * (the ":" after the user name up to the last "@", a port is not a password).
 */
export function urlHasPassword(text: string): boolean {
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]{0,30}:\/\//.exec(text)
  if (!scheme || /\s/.test(text)) return false
  const rest = text.slice(scheme[0].length)
  const colon = rest.search(/[:/@]/)
  const at = rest.lastIndexOf('@')
  if (colon === -1 || rest[colon] !== ':' || at <= colon) return false
  const password = rest.slice(colon + 1, at)
  // "host:8080/path@x" is a port and a path with an "@" in it; a password of digits alone is a password.
  return password !== '' && !/^\d{1,5}\//.test(password)
}
