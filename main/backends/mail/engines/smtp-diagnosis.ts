import type { PeerCertificate } from 'node:tls'
import { CERTIFICATE_ERROR_CODES } from '../../../core/tls-codes'
import { BackplaneError, ErrorCode } from '../../../core/errors'
import type { Diagnosis } from '../base'
import type { SmtpConfig, SmtpError } from './smtp-session'

/** What a failure is known by: the error, where it happened, and what the TLS layer showed. */
export interface FailureContext {
  config: SmtpConfig
  /** The step under way or refused (from the transcript), when nodemailer does not name the command. */
  step: string | undefined
  certificate: PeerCertificate | undefined
  /** Fetches the certificate again without verifying it, when verification refused it unseen. */
  fetchCertificate: () => Promise<PeerCertificate | undefined>
  scrub: (text: string) => string
}

const CODE_OF: Record<Diagnosis['problem'], ErrorCode> = {
  dns: ErrorCode.E_DNS,
  refused: ErrorCode.E_CONNECTION_REFUSED,
  timeout: ErrorCode.E_TIMEOUT,
  'tls-certificate': ErrorCode.E_TLS_CERTIFICATE,
  tls: ErrorCode.E_TLS,
  auth: ErrorCode.E_AUTH,
  rejected: ErrorCode.E_SMTP_REJECTED,
  'too-large': ErrorCode.E_TOO_LARGE,
  connection: ErrorCode.E_CONNECTION,
  other: ErrorCode.E_SMTP,
}

/**
 * Says in plain words what went wrong with an SMTP session and what to change, and gives the error to
 * throw (or report) with the same words. Errors of our own (an unreadable certificate file, a message
 * without recipients) pass through without a diagnosis.
 */
export async function diagnose(err: unknown, context: FailureContext): Promise<{ error: BackplaneError; diagnosis?: Diagnosis }> {
  if (err instanceof BackplaneError) return { error: err }
  const e = (err instanceof Error ? err : new Error(String(err))) as SmtpError
  const diagnosis = await explain(e, context)
  diagnosis.summary = context.scrub(diagnosis.summary)
  diagnosis.hint = context.scrub(diagnosis.hint)
  if (diagnosis.serverResponse) diagnosis.serverResponse = context.scrub(diagnosis.serverResponse)
  const error = new BackplaneError(CODE_OF[diagnosis.problem], diagnosis.summary, {
    hint: diagnosis.hint,
    details: { problem: diagnosis.problem, ...(diagnosis.serverResponse ? { serverResponse: diagnosis.serverResponse } : {}), ...(diagnosis.certificateNames ? { certificateNames: diagnosis.certificateNames } : {}) },
    cause: err,
  })
  return { error, diagnosis }
}

async function explain(e: SmtpError, context: FailureContext): Promise<Diagnosis> {
  const { config } = context
  const where = `${config.host}:${config.port}`
  const system = e.originalCode ?? e.code ?? ''
  const step = e.command && e.command !== 'CONN' && e.command !== 'API' ? e.command : (context.step ?? 'connect')
  const seconds = `${config.timeoutMs / 1000} s`
  const message = context.scrub(e.message)

  if (e.code === 'EDNS' || ['ENOTFOUND', 'EAI_AGAIN', 'ENODATA', 'ESERVFAIL', 'EAI_NONAME'].includes(system)) {
    return {
      problem: 'dns',
      summary: `The host name "${config.host}" does not resolve (${system || 'DNS error'}).`,
      hint: system === 'EAI_AGAIN' ? 'The DNS lookup failed for now: check the network connection, then try again.' : 'Check the spelling of host, or use the server\'s IP address. A name known only inside a company network needs that network (or its VPN).',
    }
  }
  if (system === 'ECONNREFUSED') {
    return {
      problem: 'refused',
      summary: `Nothing accepts connections on ${where}: the connection was refused.`,
      hint: `Check that the mail server runs and listens on port ${config.port}. Submission is usually port 587 (useTls, STARTTLS) or 465 (useSsl); relays listen on 25.`,
    }
  }
  if (e.code === 'ETIMEDOUT' || system === 'ETIMEDOUT') return timeout(e, config, where, step, seconds)
  if (CERTIFICATE_ERROR_CODES.has(system) || /self[- ]signed|altnames|unable to verify|certificate has expired/i.test(e.message)) {
    return certificate(e, context, system)
  }
  if (e.code === 'ETLS' || system.startsWith('ERR_SSL') || /SSL routines|TLS/.test(e.message)) {
    const plainServer = /wrong version number|packet length too long|unknown protocol/i.test(e.message)
    return {
      problem: 'tls',
      summary: `The TLS ${step === 'STARTTLS' ? 'upgrade (STARTTLS)' : 'handshake'} with ${where} failed: ${firstLine(message)}`,
      hint: plainServer
        ? `The server does not start with TLS on port ${config.port}: turn off useSsl and turn on useTls to upgrade with STARTTLS (ports 25 and 587), or use the implicit-TLS port (465).`
        : /STARTTLS/i.test(message) && config.security === 'starttls'
          ? 'The server does not offer STARTTLS: turn off useTls, or connect to its implicit-TLS port (465) with useSsl.'
          : 'Check useTls/useSsl against the port, and the TLS versions the server accepts.',
    }
  }
  if (e.code === 'EAUTH') {
    const missing = /Missing credentials/.test(e.message)
    return {
      problem: 'auth',
      summary: missing ? 'The server wants a login, but no username and password are set.' : `The server refused the login of "${config.username}"${e.response ? `: ${e.response}` : '.'}`,
      hint: missing ? 'Set username and password.' : 'Check username and password. Some providers want an app password, or SMTP AUTH turned on for the account.',
      ...(e.response ? { serverResponse: e.response } : {}),
    }
  }
  if (e.responseCode || e.code === 'EMESSAGE' || e.code === 'EENVELOPE') return refusal(e, config, step)
  if (['ECONNECTION', 'ECONNRESET', 'EPIPE', 'ESOCKET'].includes(system) || e.code === 'ECONNECTION') {
    return {
      problem: 'connection',
      summary: `${where} closed the connection during ${step}${e.response ? `: ${e.response}` : '.'}`,
      hint:
        config.security !== 'ssl' && ['greeting', 'EHLO', 'connect'].includes(step)
          ? 'The server may expect TLS from the first byte (usually port 465): turn on useSsl. Or it refuses connections from this address.'
          : 'The server ended the session: see the transcript for its last reply.',
      ...(e.response ? { serverResponse: e.response } : {}),
    }
  }
  return { problem: 'other', summary: `Sending failed during ${step}: ${firstLine(message)}`, hint: 'See the transcript for the server\'s last reply.' }
}

function timeout(e: SmtpError, config: SmtpConfig, where: string, step: string, seconds: string): Diagnosis {
  // nodemailer's phase timers and its inactivity timer race when they are equal: the step decides.
  const phase = ({ DNS: 'CONNECT_TIMEOUT', connect: 'CONNECT_TIMEOUT', 'connect (TLS)': 'CONNECT_TIMEOUT', greeting: 'GREETING_TIMEOUT', 'TLS handshake': 'UPGRADE_TIMEOUT' } as Record<string, string>)[step] ?? e.timeoutType
  switch (phase) {
    case 'CONNECT_TIMEOUT':
      return {
        problem: 'timeout',
        summary: `No connection to ${where} within ${seconds} (step: ${step}).`,
        hint: 'A firewall may drop the packets, or the host is down: check host and port. Raise timeout if the network is just slow.',
      }
    case 'GREETING_TIMEOUT':
      return {
        problem: 'timeout',
        summary: `${where} accepted the connection but sent no greeting within ${seconds} (step: greeting).`,
        hint:
          config.security === 'ssl'
            ? 'Check that this port speaks SMTP; raise timeout if the server is just slow.'
            : 'A server on an implicit-TLS port (usually 465) waits for the TLS handshake first: turn on useSsl. Otherwise the port does not speak SMTP, or the server is overloaded.',
      }
    case 'UPGRADE_TIMEOUT':
      return { problem: 'timeout', summary: `The TLS handshake with ${where} did not finish within ${seconds} (step: TLS handshake).`, hint: 'The server may not speak TLS after STARTTLS; check useTls and the port.' }
    default:
      return { problem: 'timeout', summary: `${where} did not answer within ${seconds} (step: ${step}).`, hint: 'The server is slow or stuck at this step: raise timeout, or try again later.' }
  }
}

async function certificate(e: SmtpError, context: FailureContext, system: string): Promise<Diagnosis> {
  const { config } = context
  const cert = context.certificate ?? (await context.fetchCertificate())
  const names = cert ? certificateNames(cert) : []
  const named = names.length ? ` It is for ${names.join(', ')}.` : ''
  const coversHost = names.some((name) => matchesHost(name, config.host))
  if (system === 'ERR_TLS_CERT_ALTNAME_INVALID' || /altnames/i.test(e.message)) {
    return {
      problem: 'tls-certificate',
      summary: `The server's certificate is not valid for "${config.host}", the name Backplane connected to.${named}`,
      hint: `Set host to a name the certificate lists (one that reaches this server), or give the server a certificate for "${config.host}".`,
      certificateNames: names,
    }
  }
  const why =
    system === 'CERT_HAS_EXPIRED' || /expired/i.test(e.message)
      ? 'it has expired'
      : system === 'CERT_NOT_YET_VALID'
        ? 'it is not valid yet'
        : system === 'DEPTH_ZERO_SELF_SIGNED_CERT' || /self[- ]signed/i.test(e.message)
          ? 'it is self-signed'
          : 'it is signed by an authority this computer does not trust'
  return {
    problem: 'tls-certificate',
    summary: `The server's certificate cannot be verified: ${why}.${named}`,
    hint:
      (why.includes('valid') || why.includes('expired')
        ? 'Renew the server\'s certificate, or check this computer\'s clock.'
        : 'To trust it, set caFile to the server\'s certificate (or the CA that signed it). For a test server only, turn on allowUntrustedCertificate, which accepts any certificate without checking it.') +
      (names.length && !coversHost ? ` Its names do not include "${config.host}" either: connect with one of them.` : ''),
    certificateNames: names,
  }
}

function refusal(e: SmtpError, config: SmtpConfig, step: string): Diagnosis {
  const reply = e.response
  const code = e.responseCode ?? 0
  const recipients = e.recipient ? [e.recipient] : (e.rejected ?? [])
  const at = step === 'RCPT TO' && recipients.length ? `RCPT TO ${recipients.map((r) => `<${r}>`).join(', ')}` : step
  const base = reply ? { serverResponse: reply } : {}
  if (code === 552 || /size larger than allowed|too (big|large)/i.test(`${e.message} ${reply ?? ''}`)) {
    return { problem: 'too-large', summary: `The server refused the message as too large at ${at}${reply ? `: ${reply}` : '.'}`, hint: 'Send smaller attachments, or link to the files instead.', ...base }
  }
  if (code === 530 || /authentication required/i.test(reply ?? '')) {
    return { problem: 'rejected', summary: `The server wants a login before ${at}: ${reply}`, hint: config.username ? 'The login did not happen: set both username and password.' : 'Set username and password.', ...base }
  }
  const temporary = code >= 400 && code < 500
  const hints: Record<string, string> = {
    'MAIL FROM': 'The server does not accept this sender: use an address it allows (often only the account\'s own), or set defaultFrom.',
    'RCPT TO': 'Check the recipient address. A relay refuses recipients outside its own domains unless you log in.',
    DATA: 'The server refused the message itself (content or policy checks).',
    'message data': 'The server refused the message itself after reading it (spam, virus or policy checks).',
  }
  return {
    problem: 'rejected',
    summary: `The server ${temporary ? 'temporarily refused' : 'refused'} ${at}${reply ? ` with ${reply}` : ''}.`,
    hint: temporary ? 'A 4xx reply means "try again later" (greylisting, rate limits, a full mailbox).' : (hints[step] ?? 'See the transcript for the server\'s reply.'),
    ...base,
  }
}

/** The subject's CN and every subjectAltName (DNS names and IP addresses), without repeats. */
export function certificateNames(cert: PeerCertificate): string[] {
  const names: string[] = []
  const cn = cert.subject?.CN
  for (const name of Array.isArray(cn) ? cn : cn ? [cn] : []) names.push(name)
  for (const entry of (cert.subjectaltname ?? '').split(/,\s*/)) {
    const value = entry.replace(/^(DNS|IP Address):/, '')
    if (value && value !== entry) names.push(value)
  }
  return [...new Set(names)]
}

function matchesHost(name: string, host: string): boolean {
  if (name.startsWith('*.')) return host.toLowerCase().endsWith(name.slice(1).toLowerCase()) && !host.slice(0, -(name.length - 1)).includes('.')
  return name.toLowerCase() === host.toLowerCase()
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.replace(/^\w+:error:[0-9A-F]+:SSL routines:[^:]*:/, '').replace(/:\.\.\/deps\/.*$/, '')
}
