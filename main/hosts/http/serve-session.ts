import { createHash, createHmac } from 'node:crypto'

/**
 * Serve mode's browser session: after one visit with `?token=`, an HttpOnly, SameSite=Strict cookie
 * stands in for the token, so a reload, a bookmark of `/#/mail` or a second tab needs nothing more
 * (Mailpit needs nothing at all; Jupyter works the same way).
 *
 * The cookie holds an HMAC of the token, not the token: it unlocks this browser's page and nothing
 * else (curl and scripts keep using the token). It is derived, not stored, so it survives a restart
 * with the same token and dies with `--new-token`. Cookies ignore ports, so its name carries a digest
 * of the token: two servers on one machine keep their sessions apart.
 */
export const SESSION_MAX_AGE_S = 30 * 24 * 3600

export interface ServeSession {
  /** The cookie's name, `backplane_session_<digest>`. */
  readonly name: string
  /** What a signed-in browser sends back. */
  readonly value: string
}

export function serveSession(token: string): ServeSession {
  const digest = createHash('sha256').update(`backplane cookie name\0${token}`).digest('hex').slice(0, 12)
  return { name: `backplane_session_${digest}`, value: createHmac('sha256', token).update('backplane serve session v1').digest('base64url') }
}

/** The Set-Cookie header that signs this browser in. */
export function signInCookie(session: ServeSession): string {
  return `${session.name}=${session.value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${SESSION_MAX_AGE_S}`
}

/** The Set-Cookie header that signs it out again. */
export function signOutCookie(session: ServeSession): string {
  return `${session.name}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`
}

/** A cookie's value from a Cookie header (`a=1; b=2`), or undefined. Values are compared, never decoded. */
export function cookieFrom(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined
  for (const part of header.split(';')) {
    const eq = part.indexOf('=')
    if (eq !== -1 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim()
  }
  return undefined
}
