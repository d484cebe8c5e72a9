import { timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import { BackplaneError, ErrorCode } from '../../core/errors'
import { cookieFrom, serveSession, type ServeSession } from './serve-session'

/**
 * The two checks every request passes before anything else: the Host and Origin headers must name
 * this server on loopback (a DNS-rebinding page names its own host), and the token must match, or
 * the session cookie a visit with the token left (serve-session.ts).
 */
export class RequestGuard {
  private hosts = new Set<string>()
  private origins = new Set<string>()
  private readonly token: Buffer
  readonly session: ServeSession
  private readonly sessionValue: Buffer

  constructor(token: string) {
    this.token = Buffer.from(token)
    this.session = serveSession(token)
    this.sessionValue = Buffer.from(this.session.value)
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

  checkToken(req: IncomingMessage, url: URL): void {
    if (this.hasSession(req)) return
    this.checkGivenToken(req, url)
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

  /** Whether the request carries this server's session cookie. */
  hasSession(req: IncomingMessage): boolean {
    const value = cookieFrom(req.headers.cookie, this.session.name)
    return value !== undefined && sameSecret(Buffer.from(value), this.sessionValue)
  }
}

function sameSecret(given: Buffer, expected: Buffer): boolean {
  return given.length === expected.length && timingSafeEqual(given, expected)
}
