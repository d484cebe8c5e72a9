import { timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import { BackplaneError, ErrorCode } from '../../core/errors'
import type { ServeSessions } from './serve-session'

/**
 * The two checks every request passes before anything else: the Host and Origin headers must name
 * this server on loopback (a DNS-rebinding page names its own host), and the token must match, or
 * the session cookie a visit with the token left (serve-session.ts).
 */
export class RequestGuard {
  private hosts = new Set<string>()
  private origins = new Set<string>()
  private readonly token: Buffer

  /** Without `sessions` (the desktop app's API for the command line) only the token is accepted. */
  constructor(
    token: string,
    readonly sessions?: ServeSessions,
  ) {
    this.token = Buffer.from(token)
  }

  /** Called once the port is known (it may have been 0, "any free port"). */
  listenOn(port: number, extraHosts: readonly string[] = []): void {
    const names = ['127.0.0.1', 'localhost', '[::1]', ...extraHosts]
    this.hosts = new Set(names.map((h) => `${h}:${port}`))
    this.origins = new Set(names.map((h) => `http://${h}:${port}`))
  }

  checkOrigin(req: IncomingMessage): void {
    const host = req.headers.host
    if (!host || !this.hosts.has(host.toLowerCase())) {
      throw new BackplaneError(ErrorCode.E_FORBIDDEN, `Host "${host ?? ''}" is not this Backplane server.`, {
        hint: 'Connect to 127.0.0.1 or localhost with the port Backplane printed.',
      })
    }
    const origin = req.headers.origin
    if (origin !== undefined && origin !== 'null' && !this.origins.has(origin.toLowerCase())) {
      throw new BackplaneError(ErrorCode.E_FORBIDDEN, `Requests from ${origin} are not allowed.`, {
        hint: 'Only the Backplane GUI itself (or a client sending no Origin) may call the API.',
      })
    }
    if (origin === 'null') {
      throw new BackplaneError(ErrorCode.E_FORBIDDEN, 'Requests from an opaque origin (a sandboxed page or file) are not allowed.')
    }
  }

  /** The token, or a live session cookie; returns the session when that is what was accepted. */
  checkToken(req: IncomingMessage, url: URL): string | undefined {
    const session = this.sessionOf(req)
    if (session) return session
    this.checkGivenToken(req, url)
    return undefined
  }

  /** The token itself, in the Authorization header or `?token=`: what signs a browser in. */
  checkGivenToken(req: IncomingMessage, url: URL): void {
    const header = req.headers.authorization
    const given = header?.startsWith('Bearer ') ? header.slice(7).trim() : (url.searchParams.get('token') ?? '')
    if (!sameSecret(Buffer.from(given), this.token)) {
      throw new BackplaneError(ErrorCode.E_UNAUTHORIZED, given ? 'The token is wrong.' : 'A token is required.', {
        hint: 'Send "Authorization: Bearer <token>" (or ?token=) with the token Backplane printed at start, or set BACKPLANE_TOKEN.',
      })
    }
  }

  /** The live session the request's cookie names, if any. */
  sessionOf(req: IncomingMessage): string | undefined {
    return this.sessions?.find(req.headers.cookie)
  }
}

function sameSecret(given: Buffer, expected: Buffer): boolean {
  return given.length === expected.length && timingSafeEqual(given, expected)
}
