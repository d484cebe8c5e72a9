import { createHash, randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { writeFileAtomic } from '../../core/atomic-write'

/**
 * Serve mode's browser sessions: after one visit with `?token=`, an HttpOnly, SameSite=Strict cookie
 * stands in for the token, so a reload, a bookmark of `/#/mail` or a second tab needs nothing more
 * (Mailpit needs nothing at all; Jupyter works the same way).
 *
 * Each sign-in gets a random session secret of its own, kept on the server as a SHA-256 only (the file
 * does not hold a usable cookie): the server enforces its expiry, sign-out revokes it and closes its
 * sockets, and a new token ends every session. Cookies ignore ports, so a server on another port of
 * 127.0.0.1 that the browser visits receives this cookie too (docs/security.md): that is why sessions
 * are revocable and expire instead of being a fixed function of the token.
 */
export const SESSION_MAX_AGE_S = 30 * 24 * 3600

const SESSIONS_FILE_VERSION = 1

interface StoredSession {
  /** SHA-256 of the secret the cookie holds, hex. */
  hash: string
  expiresAt: number
}

export class ServeSessions {
  /** The cookie's name, `backplane_session_<digest of the token>`: two servers on one host keep theirs apart. */
  readonly cookieName: string
  private readonly tokenDigest: string
  private sessions = new Map<string, StoredSession>()
  private readonly closers = new Map<string, Set<() => void>>()

  /** `file` keeps sessions across restarts (0600); without it they live as long as the process. */
  constructor(
    token: string,
    private readonly file?: string,
    private readonly now: () => number = Date.now,
  ) {
    this.tokenDigest = createHash('sha256').update(`backplane serve token\0${token}`).digest('hex')
    this.cookieName = `backplane_session_${this.tokenDigest.slice(0, 12)}`
    this.load()
  }

  /** Signs a browser in: a new secret, for the Set-Cookie header. */
  async create(): Promise<string> {
    const secret = randomBytes(32).toString('base64url')
    const hash = hashOf(secret)
    this.sessions.set(hash, { hash, expiresAt: this.now() + SESSION_MAX_AGE_S * 1000 })
    await this.save()
    return secret
  }

  /** The session a Cookie header carries, if it is one of ours and has not expired. */
  find(cookieHeader: string | undefined): string | undefined {
    const secret = cookieFrom(cookieHeader, this.cookieName)
    if (!secret || secret.length > 128) return undefined
    const hash = hashOf(secret)
    // Looked up by the secret's hash: what a lookup's timing could tell is about the hash, not the secret.
    const session = this.sessions.get(hash)
    if (!session) return undefined
    if (session.expiresAt <= this.now()) {
      this.sessions.delete(hash)
      return undefined
    }
    return hash
  }

  /** Runs `close` when the session ends (its WebSockets); returns the function that unregisters it. */
  onEnd(session: string, close: () => void): () => void {
    let set = this.closers.get(session)
    if (!set) this.closers.set(session, (set = new Set()))
    set.add(close)
    return () => set.delete(close)
  }

  /** Signs the browser of this Cookie header out: its session ends here and now, sockets included. */
  async revoke(cookieHeader: string | undefined): Promise<void> {
    const session = this.find(cookieHeader)
    if (!session) return
    this.sessions.delete(session)
    for (const close of this.closers.get(session) ?? []) close()
    this.closers.delete(session)
    await this.save()
  }

  signInCookie(secret: string): string {
    return `${this.cookieName}=${secret}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${SESSION_MAX_AGE_S}`
  }

  signOutCookie(): string {
    return `${this.cookieName}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`
  }

  private load(): void {
    if (!this.file) return
    try {
      const stored = JSON.parse(readFileSync(this.file, 'utf8')) as { version?: number; token?: string; sessions?: StoredSession[] }
      // Sessions of another token (--new-token, another BACKPLANE_TOKEN) are over.
      if (stored.version !== SESSIONS_FILE_VERSION || stored.token !== this.tokenDigest || !Array.isArray(stored.sessions)) return
      const now = this.now()
      for (const s of stored.sessions) {
        if (typeof s?.hash === 'string' && /^[0-9a-f]{64}$/.test(s.hash) && typeof s.expiresAt === 'number' && s.expiresAt > now) this.sessions.set(s.hash, s)
      }
    } catch {
      // None yet, or unreadable: no browser is signed in, and the next sign-in writes it anew.
    }
  }

  private async save(): Promise<void> {
    if (!this.file) return
    const now = this.now()
    const sessions = [...this.sessions.values()].filter((s) => s.expiresAt > now)
    await writeFileAtomic(this.file, JSON.stringify({ version: SESSIONS_FILE_VERSION, token: this.tokenDigest, sessions }) + '\n', 0o600)
  }
}

function hashOf(secret: string): string {
  return createHash('sha256').update(secret).digest('hex')
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
