// Every secret value the process has read is remembered here, so that no log line, error message
// or crash report can carry it out, whichever library put it into the text.
const known = new Set<string>()
const MIN_LENGTH = 3
const MASK = '«redacted»'

export function rememberSecret(value: string): void {
  if (value.length >= MIN_LENGTH) known.add(value)
}

export function forgetSecret(value: string): void {
  known.delete(value)
}

/** Credentials inside URLs (scheme://user:password@host) are masked even when never stored as secrets. */
const URL_PASSWORD = /(\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:)([^\s@/]+)(@)/gi

export function redact(text: string): string {
  let out = text.replace(URL_PASSWORD, `$1${MASK}$3`)
  for (const secret of known) {
    if (out.includes(secret)) out = out.split(secret).join(MASK)
  }
  return out
}
