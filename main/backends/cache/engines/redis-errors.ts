import { CERTIFICATE_ERROR_CODES } from '../../../core/tls-codes'
import { BackplaneError, ErrorCode, toBackplaneError } from '../../../core/errors'


/** ioredis's words for a connection that is not there (any more); the socket's own error, if any, came before. */
const CLOSED = /^(Connection is closed\.|Stream isn't writeable|Reached the max retries per request limit)/

/**
 * The typed error for anything ioredis or the server answered. `server` names it without its password;
 * `socketError` is the last error the connection reported, which says why it closed (ioredis rejects
 * the command itself with only "Connection is closed.").
 */
export function redisError(err: unknown, server: string, socketError?: Error): BackplaneError {
  if (err instanceof BackplaneError) return err
  if (!(err instanceof Error)) return toBackplaneError(err, ErrorCode.E_ENGINE_FAILED)
  if (CLOSED.test(err.message)) {
    if (socketError && socketError !== err && !CLOSED.test(socketError.message)) {
      // The socket's error says why, when it says something more precise than "closed" (refused, TLS…).
      const why = redisError(socketError, server)
      if (why.code !== ErrorCode.E_ENGINE_FAILED) return why
    }
    return new BackplaneError(ErrorCode.E_CONNECTION_RESET, `The Redis server ${server} closed the connection.`, {
      hint: 'Is the server still running? Backplane connects again on the next call.',
      cause: err,
    })
  }
  if (err.name === 'ReplyError') return replyError(err, server)
  const code = (err as { code?: unknown }).code
  if (typeof code === 'string' && CERTIFICATE_ERROR_CODES.has(code)) {
    return new BackplaneError(ErrorCode.E_TLS_CERTIFICATE, `The certificate of ${server} is not trusted: ${err.message}.`, {
      hint: 'Give the CA file that signed it (tlsCaFile), or connect by the host name the certificate names.',
      details: { tlsCode: code },
      cause: err,
    })
  }
  if ((typeof code === 'string' && (code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS') || code === 'EPROTO')) || /SSL routines|wrong version number/i.test(err.message)) {
    return new BackplaneError(ErrorCode.E_TLS, `The TLS handshake with ${server} failed: ${err.message}.`, {
      hint: 'Use rediss:// only for a server that speaks TLS on that port, and redis:// for one that does not.',
      cause: err,
    })
  }
  if (err.message === 'Command timed out') {
    return new BackplaneError(ErrorCode.E_TIMEOUT, `The Redis server ${server} did not answer within the command timeout.`, {
      hint: 'The server may be overloaded or blocked by a long command; raise commandTimeoutSeconds if it is only slow.',
      cause: err,
    })
  }
  if (code === 'ETIMEDOUT' || /connect ETIMEDOUT/.test(err.message)) {
    // A plain Redis port that is sent a TLS hello waits for the rest of a command line: no error, just silence.
    const hint = server.startsWith('rediss:') ? 'Check host, port and firewall, and that the port speaks TLS (else use redis://).' : 'Check host, port and firewall.'
    return new BackplaneError(ErrorCode.E_TIMEOUT, `No connection to ${server} within the connect timeout.`, { hint, cause: err })
  }
  if (/Unknown RESP type|Protocol error/i.test(err.message)) {
    return new BackplaneError(ErrorCode.E_CONNECTION, `${server} does not answer as a Redis server does (${err.message}).`, {
      hint: 'Check the port: something else listens there, or it expects TLS (rediss://).',
      cause: err,
    })
  }
  const typed = toBackplaneError(err, ErrorCode.E_ENGINE_FAILED)
  return typed.code === ErrorCode.E_ENGINE_FAILED ? typed : new BackplaneError(typed.code as ErrorCode, `${server}: ${err.message}`, { hint: typed.hint, cause: err })
}

/** An error the server answered: its first word says what kind (WRONGPASS, NOAUTH, NOPERM, READONLY…). */
function replyError(err: Error, server: string): BackplaneError {
  const word = /^-?([A-Z]+)/.exec(err.message)?.[1] ?? ''
  const message = err.message.replace(/^-/, '')
  if (word === 'WRONGPASS' || /invalid password|without any password configured|but no password is set/i.test(message)) {
    return new BackplaneError(ErrorCode.E_AUTH, `The Redis server ${server} refused the user name and password (${message}).`, {
      hint: 'Check the password (and the ACL user name, if the server has users).',
      cause: err,
    })
  }
  if (word === 'NOAUTH') {
    return new BackplaneError(ErrorCode.E_AUTH, `The Redis server ${server} needs a password, and the alias gives none.`, {
      hint: 'Enter the password of the alias (Django: OPTIONS PASSWORD, or the one in LOCATION).',
      cause: err,
    })
  }
  if (word === 'NOPERM') {
    return new BackplaneError(ErrorCode.E_PERMISSION, `The Redis server ${server} does not allow this user that command or key (${message}).`, {
      hint: "Grant the alias's ACL user the command (ACL SETUSER), or use another user.",
      cause: err,
    })
  }
  if (word === 'READONLY') {
    return new BackplaneError(ErrorCode.E_READ_ONLY, `${server} is a read-only replica.`, {
      hint: 'The first location takes the writes (as in Django): put the primary first.',
      cause: err,
    })
  }
  if (word === 'WRONGTYPE') {
    return new BackplaneError(ErrorCode.E_INVALID_INPUT, 'The key holds a Redis hash, list, set or other type, not a cache entry.', {
      hint: 'Look at it in the key browser; Django\'s cache API reads and writes plain string values only.',
      cause: err,
    })
  }
  if (word === 'LOADING') {
    return new BackplaneError(ErrorCode.E_TIMEOUT, `The Redis server ${server} is still loading its data.`, { hint: 'Try again in a moment.', cause: err })
  }
  return new BackplaneError(ErrorCode.E_ENGINE_FAILED, `The Redis server ${server} answered: ${message}`, {
    hint: word === 'OOM' ? 'Redis is at its maxmemory and its eviction policy keeps every key: raise maxmemory or choose an allkeys-* policy.' : undefined,
    cause: err,
  })
}
