import type { ErrorPayload } from './schemas/error'
import { ERROR_CATALOGUE, ErrorCode, isErrorCode, statusOfCode } from './schemas/error-codes'
import { redact, redactDeep } from './redact'

export { ErrorCode } from './schemas/error-codes'

export interface ErrorOptions {
  hint?: string | undefined
  details?: unknown
  cause?: unknown
  status?: number
}

/** The one error type that crosses layers: a code the UI can act on, a message, a hint saying what to do. */
export class BackplaneError extends Error {
  /** One of ErrorCode, or a custom engine's own code (kept as the engine threw it). */
  readonly code: string
  readonly hint: string | undefined
  readonly details: unknown
  readonly status: number

  constructor(code: ErrorCode, message: string, options: ErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'BackplaneError'
    this.code = code
    this.hint = options.hint ?? ERROR_CATALOGUE[code].hint
    this.details = options.details
    this.status = options.status ?? statusOfCode(code)
  }

  /**
   * An error a custom engine threw with a code of its own (`{ code: 'E_SMS_QUOTA', hint }`): it reaches
   * the GUI as the engine wrote it, as docs/custom-engines.md promises, answered as a backend failure.
   */
  static fromEngine(code: string, message: string, options: ErrorOptions = {}): BackplaneError {
    const error = new BackplaneError(ErrorCode.E_ENGINE_FAILED, message, { ...options, status: options.status ?? statusOfCode(code) })
    ;(error as { code: string }).code = code
    ;(error as { hint: string | undefined }).hint = options.hint ?? (isErrorCode(code) ? ERROR_CATALOGUE[code].hint : undefined)
    return error
  }

  /** What leaves the process: message, hint and details with every known secret and URL password masked. */
  toPayload(): ErrorPayload {
    const payload: ErrorPayload = { code: this.code, message: redact(this.message) }
    if (this.hint !== undefined) payload.hint = redact(this.hint)
    if (this.details !== undefined) payload.details = redactDeep(this.details)
    return payload
  }
}

/** What Node's system errors mean for someone configuring a backend. */
const SYSTEM_ERROR_CODES: Record<string, ErrorCode> = {
  ECONNREFUSED: ErrorCode.E_CONNECTION_REFUSED,
  ENOTFOUND: ErrorCode.E_DNS,
  EAI_AGAIN: ErrorCode.E_DNS,
  ETIMEDOUT: ErrorCode.E_TIMEOUT,
  ECONNRESET: ErrorCode.E_CONNECTION_RESET,
  // A write into a connection the server has closed (it was killed, or restarted) fails so.
  EPIPE: ErrorCode.E_CONNECTION_RESET,
  ECONNABORTED: ErrorCode.E_CONNECTION_RESET,
  EHOSTUNREACH: ErrorCode.E_HOST_UNREACHABLE,
  EACCES: ErrorCode.E_PERMISSION,
  EPERM: ErrorCode.E_PERMISSION,
  ENOENT: ErrorCode.E_NOT_FOUND,
  EADDRINUSE: ErrorCode.E_ADDRESS_IN_USE,
  ENOSPC: ErrorCode.E_DISK_FULL,
  EROFS: ErrorCode.E_PERMISSION,
  ENAMETOOLONG: ErrorCode.E_INVALID_NAME,
  ELOOP: ErrorCode.E_INVALID_NAME,
  ENOTDIR: ErrorCode.E_NOT_A_DIRECTORY,
  EISDIR: ErrorCode.E_IS_DIRECTORY,
  ENXIO: ErrorCode.E_UNSUPPORTED,
  ENODEV: ErrorCode.E_UNSUPPORTED,
}

const SYSTEM_HINTS: Partial<Record<string, string>> = {
  EAI_AGAIN: 'The DNS lookup failed for now: check the network, then try again.',
  EPERM: 'The operating system refused the operation: check permissions.',
  EPIPE: 'The server closed the connection while Backplane was writing: is it still running? The next call connects again.',
  ECONNABORTED: 'The connection was aborted: is the server still running? The next call connects again.',
  ENOENT: 'It does not exist: check the path.',
  EROFS: 'The file system is read-only.',
  ENAMETOOLONG: 'The name is too long for the file system: use a shorter one.',
  ELOOP: 'The path has too many symbolic links, or a link where none may be.',
  ENOTDIR: 'A part of the path is a file, not a folder.',
  EISDIR: 'It is a folder, not a file.',
  ENXIO: 'It is a device or special file that cannot be used here.',
  ENODEV: 'It is a device or special file that cannot be used here.',
}

/** A code an engine may throw on an Error of its own: `E_` and capitals, as ours are. */
const ENGINE_CODE = /^E_[A-Z0-9_]{1,60}$/

/**
 * Codes that only Backplane itself may answer with: an engine claiming one (a 401 that a client would
 * take for a bad token, a 500 "bug in Backplane", "untrusted") is reported as the engine failing instead.
 */
const BACKPLANE_ONLY: ReadonlySet<string> = new Set<ErrorCode>([
  ErrorCode.E_UNAUTHORIZED,
  ErrorCode.E_FORBIDDEN,
  ErrorCode.E_UNKNOWN_METHOD,
  ErrorCode.E_INVALID_JSON,
  ErrorCode.E_METHOD_NOT_ALLOWED,
  ErrorCode.E_REQUEST_TIMEOUT,
  ErrorCode.E_INTERNAL,
  ErrorCode.E_BAD_OUTPUT,
  ErrorCode.E_ENGINE_UNTRUSTED,
  ErrorCode.E_ALIAS_CHANGED,
  ErrorCode.E_SETTINGS_CORRUPT,
  ErrorCode.E_NOT_CORRUPT,
  ErrorCode.E_DISCONNECTED,
  ErrorCode.E_CLIENT,
])

/** The error an engine threw, with a code only Backplane may use replaced by E_ENGINE_FAILED. */
export function asEngineError(error: BackplaneError): BackplaneError {
  if (!BACKPLANE_ONLY.has(error.code)) return error
  return new BackplaneError(ErrorCode.E_ENGINE_FAILED, `${error.message} (the engine answered ${error.code}, a code only Backplane uses)`, { cause: error })
}

/**
 * Turns anything thrown into a BackplaneError, keeping the original as `cause` (never shown to the
 * renderer). An error carrying a code of ours or an engine's own (`E_…`) keeps it and its hint.
 */
export function toBackplaneError(err: unknown, fallback: ErrorCode = ErrorCode.E_INTERNAL): BackplaneError {
  try {
    return convert(err, fallback)
  } catch {
    // A Proxy or a getter that throws when the error is looked at: say so rather than fail again.
    return new BackplaneError(fallback, 'An error was thrown that could not be read (its properties throw).')
  }
}

function convert(err: unknown, fallback: ErrorCode): BackplaneError {
  if (err instanceof BackplaneError) return err
  if (err instanceof Error || (typeof err === 'object' && err !== null && typeof (err as Error).message === 'string')) {
    const e = err as Error & { code?: unknown; hint?: unknown; details?: unknown }
    const message = String(e.message || e.name || 'Unknown error')
    const hint = typeof e.hint === 'string' ? e.hint : undefined
    if (typeof e.code === 'string') {
      const system = SYSTEM_ERROR_CODES[e.code]
      if (system) return new BackplaneError(system, message, { hint: hint ?? SYSTEM_HINTS[e.code], cause: err })
      if (ENGINE_CODE.test(e.code)) return asEngineError(BackplaneError.fromEngine(e.code, message, { hint, details: e.details, cause: err }))
    }
    return new BackplaneError(fallback, message, { cause: err, hint })
  }
  return new BackplaneError(fallback, typeof err === 'symbol' ? err.toString() : String(err))
}
