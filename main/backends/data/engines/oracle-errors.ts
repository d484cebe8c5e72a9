import { BackplaneError, ErrorCode } from '../../../core/errors'

/** What node-oracledb's errors carry: `ORA-00942` / `NJS-503` as code, the ORA number, the offset in the SQL. */
interface OracleDriverError {
  message: string
  code?: string
  errorNum?: number
  offset?: number
}

function asDriverError(err: unknown): OracleDriverError | undefined {
  if (typeof err !== 'object' || err === null || typeof (err as { message?: unknown }).message !== 'string') return undefined
  const e = err as OracleDriverError
  if (typeof e.code === 'string' && /^(ORA|PLS|NJS|DPI|TNS)-\d+$/.test(e.code)) return e
  if (typeof e.errorNum === 'number') return e
  return undefined
}

const LOGIN: Record<string, { hint: string }> = {
  'ORA-01017': { hint: 'Check the user name and password (Django: USER, PASSWORD); Oracle compares passwords case-sensitively.' },
  'ORA-28000': { hint: 'The account is locked: an administrator unlocks it with ALTER USER … ACCOUNT UNLOCK.' },
  'ORA-28001': { hint: 'The password has expired: change it (in SQL*Plus, or ALTER USER … IDENTIFIED BY), then enter the new one here.' },
  'ORA-01045': { hint: 'The user may not log in: it needs the CREATE SESSION privilege.' },
}

/** ORA-16000: a standby or a database opened read-only; ORA-01456: a write inside SET TRANSACTION READ ONLY. */
const READ_ONLY = new Set(['ORA-16000', 'ORA-01456'])

/** The system error Thin mode names at the end of NJS-503 ("… could not be established … connect ECONNREFUSED …"). */
const SOCKET_FAULTS: [RegExp, ErrorCode][] = [
  [/\bECONNREFUSED\b/, ErrorCode.E_CONNECTION_REFUSED],
  [/\b(ENOTFOUND|EAI_AGAIN)\b/, ErrorCode.E_DNS],
  [/\bETIMEDOUT\b/, ErrorCode.E_TIMEOUT],
  [/\b(EHOSTUNREACH|ENETUNREACH)\b/, ErrorCode.E_HOST_UNREACHABLE],
  [/\bECONNRESET\b/, ErrorCode.E_CONNECTION_RESET],
]

const NET: Record<string, { code: ErrorCode; hint?: string }> = {
  'NJS-500': { code: ErrorCode.E_CONNECTION_RESET, hint: 'The connection to the server was lost; the next call opens a new one.' },
  'NJS-505': { code: ErrorCode.E_TLS, hint: 'TLS could not start: check the wallet (walletLocation holds ewallet.pem) and its password.' },
  'NJS-506': { code: ErrorCode.E_TLS, hint: 'The TLS handshake failed: check that the port speaks TCPS, and the CA in the wallet.' },
  'NJS-507': { code: ErrorCode.E_TLS_CERTIFICATE, hint: "The server's certificate DN is not sslServerCertDN: check the DN, or leave it empty to match the host name." },
  'NJS-508': { code: ErrorCode.E_TLS_CERTIFICATE, hint: "The server's certificate does not name this host: connect by the name in it, or set sslServerCertDN." },
  'NJS-510': { code: ErrorCode.E_TIMEOUT },
  'NJS-511': { code: ErrorCode.E_CONNECTION, hint: 'The listener answered but refused the connection: check the port and the service name.' },
  'NJS-512': { code: ErrorCode.E_INVALID_OPTIONS, hint: 'Check the connect string.' },
  'NJS-514': { code: ErrorCode.E_INVALID_OPTIONS, hint: 'The connect string is neither Easy Connect (host:port/service) nor a (DESCRIPTION=…) descriptor.' },
  'NJS-515': { code: ErrorCode.E_INVALID_OPTIONS, hint: 'Write Easy Connect as host:port/service_name, or give a (DESCRIPTION=…) descriptor.' },
  'NJS-516': { code: ErrorCode.E_INVALID_OPTIONS, hint: 'A TNS alias needs a tnsnames.ora, which Backplane does not read: give host, port and service name, or a full descriptor.' },
  'NJS-517': { code: ErrorCode.E_INVALID_OPTIONS, hint: 'A TNS alias needs a tnsnames.ora, which Backplane does not read: give host, port and service name, or a full descriptor.' },
  'NJS-518': { code: ErrorCode.E_CONNECTION, hint: 'The listener knows no such service: check the service name (Django: NAME, e.g. FREEPDB1); if NAME is a SID, turn on "NAME is a SID".' },
  'NJS-519': { code: ErrorCode.E_CONNECTION, hint: 'The listener knows no such SID: check NAME, or turn off "NAME is a SID" to use it as a service name.' },
  'NJS-521': { code: ErrorCode.E_CONNECTION_RESET, hint: 'The server closed the connection: it may expect TCPS, or refuse this client.' },
  'NJS-530': { code: ErrorCode.E_DNS },
  'NJS-040': { code: ErrorCode.E_TIMEOUT, hint: 'Every connection of the pool stayed busy: wait for the running queries, or raise the pool size.' },
  'NJS-116': { code: ErrorCode.E_UNSUPPORTED, hint: "The user's password has only the old 10G verifier, which Thin mode cannot use: reset the password on a server with SQLNET.ALLOWED_LOGON_VERSION_SERVER of 12 or more." },
  'NJS-138': { code: ErrorCode.E_UNSUPPORTED, hint: 'Thin mode reaches Oracle Database 12.1 and later only.' },
}

/**
 * node-oracledb's error as a typed one: ORA- and PLS- errors are the server's verdict on the statement
 * (E_SQL with serverCode and the 0-based offset node-oracledb gives), except the login refusals (E_AUTH),
 * read-only refusals (E_READ_ONLY) and ORA-01013, the break() of a cancel (E_CANCELLED); NJS- network
 * errors become their network codes. Anything else is left to the generic mapping.
 */
export function oracleError(err: unknown): BackplaneError | undefined {
  const e = asDriverError(err)
  if (!e) return undefined
  const code = e.code ?? (typeof e.errorNum === 'number' ? `ORA-${String(e.errorNum).padStart(5, '0')}` : '')
  const login = LOGIN[code]
  if (login) return new BackplaneError(ErrorCode.E_AUTH, e.message, { cause: err, hint: login.hint, details: { serverCode: code } })
  if (code === 'ORA-01013') return new BackplaneError(ErrorCode.E_CANCELLED, 'The query was cancelled.', { cause: err, hint: 'Run it again when you want its result.' })
  if (READ_ONLY.has(code)) {
    return new BackplaneError(ErrorCode.E_READ_ONLY, e.message, { cause: err, hint: 'The server keeps this session read-only: only queries run here.', details: { serverCode: code } })
  }
  if (code === 'NJS-503' || code === 'NJS-501') {
    const fault = SOCKET_FAULTS.find(([pattern]) => pattern.test(e.message))
    return new BackplaneError(fault?.[1] ?? ErrorCode.E_CONNECTION, e.message, { cause: err })
  }
  const net = NET[code]
  if (net) return new BackplaneError(net.code, e.message, { cause: err, ...(net.hint ? { hint: net.hint } : {}) })
  // ORA-12xxx are Oracle Net's (TNS) faults: the network, not the statement.
  if (/^ORA-12\d{3}$/.test(code) || code === 'ORA-03113' || code === 'ORA-03114' || code === 'ORA-03135') {
    return new BackplaneError(ErrorCode.E_CONNECTION, e.message, { cause: err, details: { serverCode: code } })
  }
  if (/^(ORA|PLS)-\d+$/.test(code)) {
    return new BackplaneError(ErrorCode.E_SQL, e.message, {
      cause: err,
      hint: 'Oracle rejected the statement; its message says why.',
      details: { serverCode: code, ...(typeof e.offset === 'number' ? { position: e.offset } : {}) },
    })
  }
  return undefined
}
