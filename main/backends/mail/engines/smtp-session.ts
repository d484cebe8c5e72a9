import { readFile } from 'node:fs/promises'
import { checkServerIdentity, connect as tlsConnect, rootCertificates, TLSSocket, type ConnectionOptions, type PeerCertificate } from 'node:tls'
import SMTPConnection, { type SMTPConnectionSendInfo } from 'nodemailer/lib/smtp-connection'
import { BackplaneError, ErrorCode } from '../../../core/errors'
import type { Envelope } from '../message'
import type { SmtpTranscript } from './smtp-transcript'

/** Everything a connection needs, from the engine's options (paths already resolved). */
export interface SmtpConfig {
  host: string
  port: number
  /** Django's use_tls (STARTTLS) and use_ssl (implicit TLS); neither means plain SMTP, as in Django. */
  security: 'none' | 'starttls' | 'ssl'
  username: string
  password: string
  timeoutMs: number
  localHostname?: string
  caFile?: string
  certFile?: string
  keyFile?: string
  allowUntrustedCertificate: boolean
}

/** What nodemailer adds to the errors it reports. */
export interface SmtpError extends Error {
  code?: string
  originalCode?: string
  response?: string
  responseCode?: number
  command?: string
  timeoutType?: string
  recipient?: string
  /** Recipients refused at RCPT TO, when all of them were. */
  rejected?: string[]
}

/** What the TLS layer showed while connecting, for the diagnosis of a failure. */
export interface TlsObservation {
  certificate?: PeerCertificate
}

/**
 * One SMTP connection (nodemailer's SMTPConnection) as promises: open() connects, says EHLO, upgrades
 * with STARTTLS and logs in as configured; send() runs one transaction; quit() ends politely. Errors are
 * nodemailer's own (see SmtpError); the engine turns them into a diagnosis.
 */
export class SmtpSession {
  private ended = false

  private constructor(
    private readonly connection: SMTPConnection,
    readonly transcript: SmtpTranscript,
    private readonly timeoutMs: number,
  ) {
    // nodemailer emits 'error' besides failing the operation under way; without a listener it would throw.
    connection.on('error', () => undefined)
    connection.once('end', () => (this.ended = true))
  }

  static async open(config: SmtpConfig, transcript: SmtpTranscript, seen: TlsObservation = {}): Promise<SmtpSession> {
    const t = config.timeoutMs
    const connection = new SMTPConnection({
      host: config.host,
      port: config.port,
      secure: config.security === 'ssl',
      requireTLS: config.security === 'starttls',
      // Django never upgrades unless EMAIL_USE_TLS is set, even when the server offers STARTTLS.
      ignoreTLS: config.security === 'none',
      ...(config.localHostname ? { name: config.localHostname } : {}),
      connectionTimeout: t,
      greetingTimeout: t,
      socketTimeout: t,
      dnsTimeout: t,
      logger: transcript.logger(),
      transactionLog: true,
      tls: await tlsOptions(config, seen),
    })
    const session = new SmtpSession(connection, transcript, t)
    transcript.begin(config.security === 'ssl')
    try {
      await session.run<void>((done) => connection.connect((err) => done(err ?? null)))
      // Django logs in only when both are set (smtp.py: `if self.username and self.password`).
      if (config.username && config.password) {
        await session.run<boolean | undefined>((done) => connection.login({ user: config.username, pass: config.password }, (err, ok) => done(err, ok)))
      }
    } catch (err) {
      session.destroy()
      throw err
    }
    return session
  }

  /** Whether the connection can still carry a message. */
  get usable(): boolean {
    return !this.ended && this.connection.stage === 'connected'
  }

  get secure(): boolean {
    return this.connection.secure
  }

  get authenticated(): boolean {
    return this.connection.authenticated
  }

  send(envelope: Envelope, raw: Buffer): Promise<SMTPConnectionSendInfo> {
    return this.run<SMTPConnectionSendInfo>((done) => this.connection.send({ from: envelope.from, to: envelope.to, size: raw.length }, raw, (err, info) => done(err, info)))
  }

  /** RSET after a failed transaction, as smtplib does, so the next message starts clean. */
  async reset(): Promise<void> {
    await this.run<boolean | undefined>((done) => this.connection.reset((err, ok) => done(err, ok)))
  }

  /** QUIT and wait for the server to close, no longer than the timeout (Django: connection.quit()). */
  async quit(): Promise<void> {
    if (!this.usable) return this.destroy()
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.destroy()
        resolve()
      }, Math.min(this.timeoutMs, 5000))
      this.connection.once('end', () => {
        clearTimeout(timer)
        resolve()
      })
      this.connection.quit()
    })
  }

  destroy(): void {
    this.ended = true
    this.connection.close()
  }

  /** Runs one operation: settles with its callback, or with the error or end that comes first. */
  private run<T>(start: (done: (err: Error | null | undefined, value?: T) => void) => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let settled = false
      const finish = (err: Error | null | undefined, value?: T) => {
        if (settled) return
        settled = true
        this.connection.off('error', finish)
        this.connection.off('end', closed)
        if (err) reject(err)
        else resolve(value as T)
      }
      const closed = () => finish(Object.assign(new Error('The server closed the connection'), { code: 'ECONNECTION' }))
      this.connection.once('error', finish)
      this.connection.once('end', closed)
      start(finish)
    })
  }
}

/** TLS options from the engine's: CA, client certificate, verification; the certificate seen is kept. */
async function tlsOptions(config: SmtpConfig, seen: TlsObservation): Promise<ConnectionOptions> {
  const options: ConnectionOptions = {
    rejectUnauthorized: !config.allowUntrustedCertificate,
    checkServerIdentity: (host, certificate) => {
      seen.certificate = certificate
      return checkServerIdentity(host, certificate)
    },
  }
  // A CA file is trusted besides the usual roots (Node would otherwise trust it alone).
  if (config.caFile) options.ca = [...rootCertificates, await readPem(config.caFile, 'caFile')]
  if (config.certFile) options.cert = await readPem(config.certFile, 'sslCertfile')
  if (config.keyFile) options.key = await readPem(config.keyFile, 'sslKeyfile')
  return options
}

async function readPem(path: string, option: string): Promise<string> {
  try {
    return await readFile(path, 'utf8')
  } catch (err) {
    throw new BackplaneError(ErrorCode.E_TLS_FILE, `Cannot read ${option} "${path}" (${(err as NodeJS.ErrnoException).code ?? 'error'}).`, {
      hint: `Check the path in ${option}: a PEM file that Backplane may read; relative paths start in the data directory.`,
      cause: err,
    })
  }
}

/**
 * The certificate the server presents, fetched without verifying it and without logging in, to tell
 * someone which names it carries after verification refused it.
 */
export async function fetchCertificate(config: SmtpConfig): Promise<PeerCertificate | undefined> {
  const timeout = Math.min(config.timeoutMs, 10_000)
  if (config.security === 'ssl') {
    return new Promise((resolve) => {
      const socket = tlsConnect({ host: config.host, port: config.port, rejectUnauthorized: false, timeout, ...(/^[\d.:]+$/.test(config.host) ? {} : { servername: config.host }) }, () => {
        resolve(socket.getPeerCertificate())
        socket.destroy()
      })
      socket.on('error', () => resolve(undefined))
      socket.on('timeout', () => {
        socket.destroy()
        resolve(undefined)
      })
    })
  }
  const connection = new SMTPConnection({ host: config.host, port: config.port, requireTLS: true, connectionTimeout: timeout, greetingTimeout: timeout, socketTimeout: timeout, tls: { rejectUnauthorized: false } })
  connection.on('error', () => undefined)
  return new Promise((resolve) => {
    connection.once('end', () => resolve(undefined))
    connection.connect((err) => {
      const socket = connection._socket
      const certificate = !err && socket instanceof TLSSocket ? socket.getPeerCertificate() : undefined
      resolve(certificate)
      connection.quit()
    })
  })
}
