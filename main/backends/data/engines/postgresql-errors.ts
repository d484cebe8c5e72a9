import { CERTIFICATE_ERROR_CODES } from '../../../core/tls-codes'
import { BackplaneError, ErrorCode, toBackplaneError } from '../../../core/errors'
import type { SshTunnel } from '../../../core/ssh/tunnel'

/**
 * What PostgreSQL's and node-postgres's errors mean for someone using or configuring the alias. The
 * server's errors carry a SQLSTATE (https://www.postgresql.org/docs/current/errcodes-appendix.html);
 * the driver's own are plain Errors, recognised by their code or their (stable) message.
 */

/** The fields of pg-protocol's DatabaseError that are used here; recognised by shape, not by class. */
export interface ServerError extends Error {
  code: string
  severity?: string
  position?: string
  detail?: string
  hint?: string
  where?: string
  schema?: string
  table?: string
  column?: string
  constraint?: string
  /** Set by the session: `position` as a 0-based offset in UTF-16 units of the SQL as sent. */
  offset?: number
}

export function isServerError(err: unknown): err is ServerError {
  if (!(err instanceof Error)) return false
  const e = err as Partial<ServerError>
  return typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code) && typeof e.severity === 'string'
}

/** Whether the connection is gone after this error, so that its session must not go back to the pool. */
export function endsConnection(err: unknown): boolean {
  if (err instanceof BackplaneError) return false
  if (!isServerError(err)) return true
  return err.severity === 'FATAL' || err.severity === 'PANIC' || err.code.startsWith('08') || err.code.startsWith('57P')
}

/** PostgreSQL counts `position` in characters from 1; a string here counts UTF-16 units from 0. */
export function offsetInText(sql: string, position: number): number {
  let units = 0
  let chars = 0
  for (const ch of sql) {
    if (chars >= position - 1) break
    units += ch.length
    chars++
  }
  return units
}

export interface ErrorContext {
  alias: string
  readOnly: boolean
  /** `host:port` as configured (not the tunnel's local end), for messages. */
  server: string
  database: string
  user: string
  /** The tunnel, whose last error explains a connection the SSH server closed. */
  tunnel?: SshTunnel | undefined
}

/** The typed error for anything pg threw, or undefined when it is nothing this engine knows. */
export function postgresqlError(err: unknown, context: ErrorContext): BackplaneError | undefined {
  if (err instanceof BackplaneError) return err
  if (isServerError(err)) return serverError(err, context)
  if (!(err instanceof Error)) return undefined
  const code = (err as { code?: unknown }).code
  const message = err.message
  if (message === 'The server does not support SSL connections') {
    return new BackplaneError(ErrorCode.E_TLS, `The server ${context.server} does not offer TLS, and sslmode asks for it.`, {
      hint: "Set sslmode to 'prefer' (TLS when offered) or 'disable', or turn on ssl in the server's postgresql.conf.",
      cause: err,
    })
  }
  if (typeof code === 'string' && CERTIFICATE_ERROR_CODES.has(code)) {
    return new BackplaneError(ErrorCode.E_TLS_CERTIFICATE, `The certificate of ${context.server} is not trusted: ${message}.`, {
      hint: "Give the CA that signed it in sslrootcert (the server's own certificate when it is self-signed), or set sslmode to 'require' to encrypt without checking who answers.",
      details: { tlsCode: code },
      cause: err,
    })
  }
  if ((typeof code === 'string' && (code.startsWith('ERR_SSL') || code === 'EPROTO' || code.startsWith('ERR_TLS'))) || message === 'There was an error establishing an SSL connection') {
    return new BackplaneError(ErrorCode.E_TLS, `The TLS handshake with ${context.server} failed: ${message}.`, {
      hint: "Check that the port is PostgreSQL's, or set sslmode to 'disable' if the server has no TLS.",
      cause: err,
    })
  }
  if (/timeout exceeded when trying to connect|connection timeout/i.test(message)) {
    return new BackplaneError(ErrorCode.E_TIMEOUT, `No connection to ${context.server} within the connect timeout.`, {
      hint: 'Check host, port and firewall; or all pooled connections are busy: raise the pool size, or wait for the running queries.',
      cause: err,
    })
  }
  if (/password must be a string/i.test(message)) {
    return new BackplaneError(ErrorCode.E_AUTH, `The server ${context.server} asks for a password, and the alias has none.`, {
      hint: 'Enter the password of the alias (Django: PASSWORD).',
      cause: err,
    })
  }
  if (/^Connection terminated|not queryable|^Client was closed/i.test(message) || code === 'ECONNRESET' || code === 'EPIPE') {
    if (context.tunnel?.lastError) return context.tunnel.lastError
    return new BackplaneError(ErrorCode.E_CONNECTION_RESET, `The connection to ${context.server} was lost: ${message}.`, {
      hint: 'Backplane connects again on the next call; if this repeats, check the server log.',
      cause: err,
    })
  }
  // ECONNREFUSED, ENOTFOUND, ETIMEDOUT, …: the network's own codes.
  const system = toBackplaneError(err)
  return system.code === ErrorCode.E_INTERNAL ? undefined : system
}

function serverError(err: ServerError, context: ErrorContext): BackplaneError {
  const detail = err.detail ? `: ${err.detail}` : ''
  const details = {
    serverCode: err.code,
    ...(err.position ? { position: err.offset ?? Number(err.position) - 1 } : {}),
    ...(err.detail ? { detail: err.detail } : {}),
    ...(err.where ? { where: err.where } : {}),
    ...(err.schema ? { schema: err.schema } : {}),
    ...(err.table ? { table: err.table } : {}),
    ...(err.column ? { column: err.column } : {}),
    ...(err.constraint ? { constraint: err.constraint } : {}),
  }
  const typed = (code: ErrorCode, message: string, hint?: string) => new BackplaneError(code, message, { hint: hint ?? err.hint, details, cause: err })
  switch (err.code) {
    case '28P01':
    case '28000':
      return typed(
        ErrorCode.E_AUTH,
        `The server ${context.server} refused the login of "${context.user}" to "${context.database}": ${err.message}.`,
        err.code === '28P01'
          ? 'Check the user and password of the alias (Django: USER, PASSWORD).'
          : "Check the user; or the server's pg_hba.conf has no line for this client (a hostssl line needs sslmode 'require' or stricter).",
      )
    case '3D000':
      return typed(ErrorCode.E_NOT_FOUND, `The database "${context.database}" does not exist on ${context.server}.`, `Check the database name (Django: NAME), or create it: createdb ${context.database}.`)
    case '25006':
      return typed(
        ErrorCode.E_READ_ONLY,
        context.readOnly ? `Alias "${context.alias}" is read-only: ${err.message}.` : `The server refused a write: ${err.message}.`,
        context.readOnly ? undefined : 'The server is read-only (a standby, or default_transaction_read_only is on): connect to the primary to write.',
      )
    case '57014':
      // The statement was stopped at the server: by cancel(), or by statement_timeout.
      return typed(ErrorCode.E_CANCELLED, `The statement was cancelled: ${err.message}.`, 'Run it again when you want its result.')
    case '53300':
      return typed(ErrorCode.E_CONNECTION, `The server ${context.server} has no connection to spare: ${err.message}.`, 'Lower the pool size of this or other aliases, or raise max_connections on the server.')
    case '57P03':
      return typed(ErrorCode.E_CONNECTION, `The server ${context.server} does not take connections now: ${err.message}.`, 'It is starting up or shutting down; try again in a moment.')
  }
  // On a read-only alias each statement runs in a read-only transaction, where these refuse to run at all.
  if (context.readOnly && err.code === '25001') {
    return typed(ErrorCode.E_READ_ONLY, `Alias "${context.alias}" is read-only, and this cannot run in its read-only transaction: ${err.message}.`, 'Turn off "read only" for this alias in Settings if you really mean to run it.')
  }
  if (endsConnection(err)) {
    return typed(ErrorCode.E_CONNECTION_RESET, `The server ended the connection: ${err.message}.`, 'Backplane connects again on the next call.')
  }
  return typed(ErrorCode.E_SQL, `${err.message}${detail}`)
}
