import { ResultCodeError } from 'ldapts'
import { BackplaneError, ErrorCode, toBackplaneError } from '../../../core/errors'
import { CERTIFICATE_ERROR_CODES } from '../../../core/tls-codes'

/** LDAP result codes (RFC 4511 §4.1.9) that the engine tells apart. */
export const LdapResult = {
  protocolError: 2,
  timeLimitExceeded: 3,
  sizeLimitExceeded: 4,
  strongerAuthRequired: 8,
  confidentialityRequired: 13,
  noSuchObject: 32,
  invalidDnSyntax: 34,
  invalidCredentials: 49,
  insufficientAccessRights: 50,
  busy: 51,
  unavailable: 52,
  unwillingToPerform: 53,
} as const

/** The LDAP result code of an error the server answered, or undefined for anything else (a socket error). */
export function resultCode(err: unknown): number | undefined {
  return err instanceof ResultCodeError ? err.code : undefined
}

/**
 * What was being done when it failed, for the message and the hint: "binding the service account
 * cn=backplane,…", with the option to fix when the server says the DN is wrong ("userSearchBase").
 * Never a password: only DNs and option names go in here.
 */
export interface LdapScene {
  what: string
  option?: string
}

/** The typed error for anything ldapts or the server answered; `server` is the URL, which has no credentials. */
export function ldapError(err: unknown, server: string, scene: LdapScene, timeoutMs: number): BackplaneError {
  if (err instanceof BackplaneError) return err
  const code = resultCode(err)
  if (code !== undefined) return resultError(code, err as Error, server, scene)
  if (!(err instanceof Error)) return toBackplaneError(err, ErrorCode.E_ENGINE_FAILED)
  const system = (err as NodeJS.ErrnoException).code
  if (typeof system === 'string' && CERTIFICATE_ERROR_CODES.has(system)) {
    return new BackplaneError(ErrorCode.E_TLS_CERTIFICATE, `The certificate of ${server} is not trusted: ${err.message}.`, {
      hint:
        system === 'ERR_TLS_CERT_ALTNAME_INVALID' || system === 'HOSTNAME_MISMATCH'
          ? 'Connect by a host name the certificate names (its subjectAltName), not another name or address of the server.'
          : 'Give the CA file that signed it (caFile), or connect by the host name the certificate names.',
      details: { tlsCode: system },
      cause: err,
    })
  }
  if ((typeof system === 'string' && (system.startsWith('ERR_SSL') || system.startsWith('ERR_TLS') || system === 'EPROTO')) || /SSL routines|wrong version number|TLS/i.test(err.message)) {
    return new BackplaneError(ErrorCode.E_TLS, `The TLS handshake with ${server} failed while ${scene.what}: ${err.message}.`, {
      hint: 'Use ldaps:// only for a port that speaks TLS from the start (636), and StartTLS with ldap:// (389).',
      cause: err,
    })
  }
  if (err.message === 'Connection timeout') {
    return new BackplaneError(ErrorCode.E_TIMEOUT, `No connection to ${server} within ${timeoutMs} ms.`, { hint: 'Check host, port and firewall; raise the timeout only for a slow network.', cause: err })
  }
  if (/Operation timed out/.test(err.message)) {
    return new BackplaneError(ErrorCode.E_TIMEOUT, `${server} did not answer within ${timeoutMs} ms while ${scene.what}.`, {
      hint: 'Is it an LDAP server? A port that speaks TLS from the start needs ldaps://, and the server may be overloaded.',
      cause: err,
    })
  }
  if (/^(Connection closed before message response|Socket error)/.test(err.message)) {
    return new BackplaneError(ErrorCode.E_CONNECTION_RESET, `${server} closed the connection while ${scene.what}.`, {
      hint: 'It may expect TLS (ldaps://, or StartTLS), or it is not an LDAP server.',
      cause: err,
    })
  }
  if (system === 'ECONNREFUSED') {
    return new BackplaneError(ErrorCode.E_CONNECTION_REFUSED, `Nothing listens at ${server}.`, { hint: 'Is the LDAP server running, and are host and port right (389 for ldap://, 636 for ldaps://)?', cause: err })
  }
  const typed = toBackplaneError(err, ErrorCode.E_ENGINE_FAILED)
  return new BackplaneError(typed.code as ErrorCode, `${server}, while ${scene.what}: ${err.message}`, { hint: typed.hint, cause: err })
}

function resultError(code: number, err: Error, server: string, scene: LdapScene): BackplaneError {
  const fix = scene.option ? `Check ${scene.option}: ` : ''
  switch (code) {
    case LdapResult.invalidCredentials:
      return new BackplaneError(ErrorCode.E_AUTH, `${server} refused the credentials while ${scene.what} (invalidCredentials).`, {
        hint: 'Check the bind DN and enter its password again.',
        cause: err,
      })
    case LdapResult.noSuchObject:
      return new BackplaneError(ErrorCode.E_INVALID_OPTIONS, `${server} has no such entry, while ${scene.what} (noSuchObject).`, {
        hint: `${fix}the DN must exist under one of the server's naming contexts (e.g. ou=people,dc=example,dc=com).`,
        cause: err,
      })
    case LdapResult.invalidDnSyntax:
      return new BackplaneError(ErrorCode.E_INVALID_OPTIONS, `${server} says a DN is not valid, while ${scene.what} (invalidDNSyntax).`, {
        hint: `${fix}a DN is attribute=value pairs joined by commas, e.g. ou=people,dc=example,dc=com.`,
        cause: err,
      })
    case LdapResult.insufficientAccessRights:
      return new BackplaneError(ErrorCode.E_PERMISSION, `${server} does not let this account do that, while ${scene.what} (insufficientAccessRights).`, {
        hint: 'Give the service account (bindDn) read access to users and groups, or bind as one that has it.',
        cause: err,
      })
    case LdapResult.confidentialityRequired:
    case LdapResult.strongerAuthRequired:
      return new BackplaneError(ErrorCode.E_TLS, `${server} requires an encrypted connection, while ${scene.what}.`, { hint: 'Turn on StartTLS, or use ldaps://.', cause: err })
    case LdapResult.unwillingToPerform:
      return new BackplaneError(ErrorCode.E_AUTH, `${server} is unwilling to perform it, while ${scene.what} (unwillingToPerform).`, {
        hint: 'The server may refuse anonymous or unencrypted binds: give a bind DN and password, or use TLS.',
        cause: err,
      })
    case LdapResult.timeLimitExceeded:
      return new BackplaneError(ErrorCode.E_TIMEOUT, `${server} hit its time limit while ${scene.what}.`, { hint: 'Narrow the search base or the filter.', cause: err })
    case LdapResult.busy:
    case LdapResult.unavailable:
      return new BackplaneError(ErrorCode.E_CONNECTION, `${server} is busy or unavailable, while ${scene.what}.`, { hint: 'Try again in a moment.', cause: err })
    default:
      return new BackplaneError(ErrorCode.E_ENGINE_FAILED, `${server} answered ${err.message.replace(/ Code: 0x[0-9a-f]+$/, '')} (result ${code}) while ${scene.what}.`, {
        hint: scene.option ? `Check ${scene.option}.` : undefined,
        cause: err,
      })
  }
}
