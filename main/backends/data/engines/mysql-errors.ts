import { CERTIFICATE_ERROR_CODES } from '../../../core/tls-codes'
import { BackplaneError, ErrorCode, toBackplaneError } from '../../../core/errors'
import type { SshTunnel } from '../../../core/ssh/tunnel'
import { readOnlyRefusal } from '../base'
import { nearPosition, type BoundSql } from './mysql-sql'

/** What a mysql2 error carries: `errno`/`sqlState`/`sqlMessage` from the server, `code` from either. */
export interface MysqlDriverError extends Error {
  code?: string
  errno?: number
  sqlState?: string
  sqlMessage?: string
  fatal?: boolean
}

export interface ErrorScene {
  alias: string
  /** `host:port` (or the socket) as configured, for messages. */
  server: string
  user: string
  database: string
  readOnly: boolean
  connectTimeoutSeconds: number
  /** The tunnel, whose own failure explains a connection that it closed. */
  tunnel?: SshTunnel | undefined
}

/** The server's errors that KILL QUERY or a statement time limit end a statement with. */
export const INTERRUPTED = new Set([1317, 3024, 1969])

export function isInterrupted(err: unknown): boolean {
  return INTERRUPTED.has((err as MysqlDriverError | undefined)?.errno ?? 0)
}

/** The server's "your connection was killed" (KILL, MariaDB's 1927; MySQL's idle timeout, 4031), sent just before it closes it. */
const CONNECTION_ENDED = new Set([1927, 4031])

/** Whether the connection is gone after this error, so that the session must not be reused. */
export function isConnectionLost(err: unknown): boolean {
  const e = err as MysqlDriverError | undefined
  return Boolean(e?.fatal) || CONNECTION_ENDED.has(e?.errno ?? 0)
}

const NETWORK_CODES = new Set(['PROTOCOL_CONNECTION_LOST', 'ECONNRESET', 'EPIPE', 'PROTOCOL_SEQUENCE_TIMEOUT', 'PROTOCOL_PACKETS_OUT_OF_ORDER'])

/**
 * A mysql2 error as a typed one. Server errors are E_SQL with `details.serverCode` (ER_PARSE_ERROR), the
 * errno, the SQLSTATE and, for syntax errors, the position in the SQL as sent; logins, missing databases,
 * read-only refusals and network faults get their own codes. A query stopped by KILL QUERY stays E_SQL
 * (ER_QUERY_INTERRUPTED): the base turns it into E_CANCELLED when it was a cancel.
 */
export function mysqlError(err: unknown, scene: ErrorScene, bound?: BoundSql): BackplaneError {
  if (err instanceof BackplaneError) return err
  const e = (err ?? {}) as MysqlDriverError
  const message = e.sqlMessage ?? e.message ?? String(err)
  const options = { cause: err }
  if (typeof e.errno === 'number' && e.sqlState !== undefined && e.sqlMessage !== undefined && !CONNECTION_ENDED.has(e.errno)) {
    switch (e.errno) {
      case 1045:
      case 1698:
        return new BackplaneError(ErrorCode.E_AUTH, `${scene.server} refused the login of "${scene.user}": ${message}`, {
          ...options,
          hint: 'Check USER and PASSWORD, and that this user may connect from this computer (the host part of its account).',
        })
      case 1130:
        return new BackplaneError(ErrorCode.E_AUTH, message, { ...options, hint: `The server has no account "${scene.user}" for connections from this computer: create one (CREATE USER … @host) or connect from an allowed host.` })
      case 1044:
        return new BackplaneError(ErrorCode.E_PERMISSION, message, { ...options, hint: `GRANT "${scene.user}" access to the database, or name another one in NAME.` })
      case 1049:
        return new BackplaneError(ErrorCode.E_NOT_FOUND, `The database "${scene.database}" does not exist on ${scene.server}.`, {
          ...options,
          hint: `Create it (CREATE DATABASE \`${scene.database.replace(/`/g, '``')}\`) or correct NAME in the alias.`,
          details: { serverCode: e.code, errno: e.errno, sqlState: e.sqlState },
        })
      case 1040:
      case 1203:
        return new BackplaneError(ErrorCode.E_CONNECTION, message, { ...options, hint: 'The server has no connection left for this user: lower the pool size, or raise max_connections / max_user_connections.' })
      case 1792:
        if (scene.readOnly) return new BackplaneError(ErrorCode.E_READ_ONLY, readOnlyRefusal(scene.alias).message, { ...options, details: { serverCode: e.code, errno: e.errno } })
        return new BackplaneError(ErrorCode.E_READ_ONLY, message, { ...options, hint: 'The transaction was started READ ONLY: commit or roll it back, and write in a new one.' })
      case 1290:
        if (/read[-_ ]only/i.test(message)) {
          return new BackplaneError(ErrorCode.E_READ_ONLY, message, { ...options, hint: 'The server itself is read-only (a replica, or read_only is set): write on the primary.' })
        }
        break
    }
    const position = e.errno === 1064 && bound ? nearPosition(message, bound.sql) : undefined
    return new BackplaneError(ErrorCode.E_SQL, message, {
      ...options,
      hint: INTERRUPTED.has(e.errno) ? 'The statement was stopped (KILL QUERY, or a statement time limit).' : 'The database rejected the statement; its message says why.',
      details: { serverCode: e.code, errno: e.errno, sqlState: e.sqlState, ...(position !== undefined && bound ? { position: bound.sentOffset(position) } : {}) },
    })
  }
  return connectionError(e, scene) ?? toBackplaneError(err)
}

function connectionError(e: MysqlDriverError, scene: ErrorScene): BackplaneError | undefined {
  const code = e.code ?? ''
  const options = { cause: e }
  const lost = NETWORK_CODES.has(code) || CONNECTION_ENDED.has(e.errno ?? 0) || /connection is in closed state|connection lost/i.test(e.message ?? '')
  // Through a tunnel, the socket mysql2 saw close was closed by the tunnel, whose error says why.
  if ((lost || code === 'ECONNREFUSED') && scene.tunnel?.lastError) return scene.tunnel.lastError
  if (code === 'ECONNREFUSED') {
    return new BackplaneError(ErrorCode.E_CONNECTION_REFUSED, `Nothing answers at ${scene.server}.`, { ...options, hint: 'Is MySQL/MariaDB running there, and are HOST and PORT right? (3306 is the usual port.)' })
  }
  if (code === 'ETIMEDOUT') {
    return new BackplaneError(ErrorCode.E_TIMEOUT, `${scene.server} did not answer within ${scene.connectTimeoutSeconds} s.`, { ...options, hint: 'Check HOST and PORT, and that no firewall drops the packets.' })
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new BackplaneError(ErrorCode.E_DNS, `The host name of ${scene.server} does not resolve.`, { ...options, hint: 'Check HOST: its spelling, or use an IP address.' })
  }
  if (lost) {
    return new BackplaneError(ErrorCode.E_CONNECTION_RESET, `The connection to ${scene.server} was lost (${e.message}).`, {
      ...options,
      hint: 'The server closed it (a restart, KILL, wait_timeout) or the network dropped it; the next call opens a new one.',
    })
  }
  if (code === 'HANDSHAKE_NO_SSL_SUPPORT') {
    return new BackplaneError(ErrorCode.E_TLS, `${scene.server} does not offer TLS, and this alias requires it.`, { ...options, hint: 'Set TLS to "off" or "preferred", or give the server a certificate (ssl_cert, ssl_key).' })
  }
  if (CERTIFICATE_ERROR_CODES.has(code)) {
    return new BackplaneError(ErrorCode.E_TLS_CERTIFICATE, `The certificate of ${scene.server} is not trusted: ${e.message}.`, {
      ...options,
      hint: 'Give the CA file that signed it (sslCa), check that HOST is a name in the certificate, or use TLS "required" to encrypt without checking it.',
    })
  }
  if (code === 'EPROTO' || code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS')) {
    return new BackplaneError(ErrorCode.E_TLS, `The TLS handshake with ${scene.server} failed: ${e.message}.`, options)
  }
  return undefined
}
