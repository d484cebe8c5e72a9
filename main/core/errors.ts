import type { ErrorPayload } from './schemas/error'
import { redact } from './redact'

/** HTTP status for each error code that is not a server fault; anything else is 500. */
const STATUS_OF_CODE: Record<string, number> = {
  E_UNKNOWN_METHOD: 404,
  E_NOT_FOUND: 404,
  E_INVALID_INPUT: 400,
  E_INVALID_JSON: 400,
  E_INVALID_OPTIONS: 422,
  E_UNAUTHORIZED: 401,
  E_FORBIDDEN: 403,
  E_CONFLICT: 409,
  E_TOO_LARGE: 413,
  E_TIMEOUT: 408,
  E_SETTINGS_CORRUPT: 409,
  E_UNSUPPORTED: 400,
}

export interface ErrorOptions {
  hint?: string
  details?: unknown
  cause?: unknown
  status?: number
}

/** The one error type that crosses layers: a code the UI can act on, a message, a hint saying what to do. */
export class BackplaneError extends Error {
  readonly code: string
  readonly hint: string | undefined
  readonly details: unknown
  readonly status: number

  constructor(code: string, message: string, options: ErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'BackplaneError'
    this.code = code
    this.hint = options.hint
    this.details = options.details
    this.status = options.status ?? STATUS_OF_CODE[code] ?? 500
  }

  toPayload(): ErrorPayload {
    const payload: ErrorPayload = { code: this.code, message: redact(this.message) }
    if (this.hint !== undefined) payload.hint = redact(this.hint)
    if (this.details !== undefined) payload.details = this.details
    return payload
  }
}

/** What Node's system errors mean for someone configuring a backend, and what to do about them. */
const SYSTEM_ERROR_HINTS: Record<string, [string, string]> = {
  ECONNREFUSED: ['E_CONNECTION_REFUSED', 'Nothing is listening there: is the server running, and are host and port right?'],
  ENOTFOUND: ['E_DNS', 'The host name does not resolve: check its spelling, or use an IP address.'],
  EAI_AGAIN: ['E_DNS', 'The DNS lookup failed for now: check the network, then try again.'],
  ETIMEDOUT: ['E_TIMEOUT', 'No answer in time: a firewall may be dropping packets, or the server is overloaded.'],
  ECONNRESET: ['E_CONNECTION_RESET', 'The server closed the connection: it may require TLS, or reject this client.'],
  EHOSTUNREACH: ['E_HOST_UNREACHABLE', 'No route to that host: check the address and the network.'],
  EACCES: ['E_PERMISSION', 'Permission denied: check the file or folder permissions, or pick another location.'],
  EPERM: ['E_PERMISSION', 'The operating system refused the operation: check permissions.'],
  ENOENT: ['E_NOT_FOUND', 'It does not exist: check the path.'],
  EADDRINUSE: ['E_ADDRESS_IN_USE', 'Another program listens on that port: stop it, or choose another port.'],
  ENOSPC: ['E_DISK_FULL', 'The disk is full: free some space and try again.'],
}

/** Turns anything thrown into a BackplaneError, keeping the original as `cause` (never shown to the renderer). */
export function toBackplaneError(err: unknown): BackplaneError {
  if (err instanceof BackplaneError) return err
  if (err instanceof Error) {
    const sysCode = (err as NodeJS.ErrnoException).code
    const mapped = sysCode ? SYSTEM_ERROR_HINTS[sysCode] : undefined
    if (mapped) return new BackplaneError(mapped[0], err.message, { hint: mapped[1], cause: err })
    return new BackplaneError('E_INTERNAL', err.message || err.name, {
      cause: err,
      hint: 'This is unexpected; the log has the details.',
    })
  }
  return new BackplaneError('E_INTERNAL', String(err), { hint: 'This is unexpected; the log has the details.' })
}
