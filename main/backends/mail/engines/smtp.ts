import { z } from 'zod'
import { defineEngine, secretString, type EngineContext } from '../../../core/engine'
import { resolveInDataDir } from '../../../core/data-dir'
import { BackplaneError, ErrorCode } from '../../../core/errors'
import { rememberSecret } from '../../../core/redact'
import type { HealthReport } from '../../../core/schemas/health'
import { BaseMailBackend, MailOptions, type ComposedMessage, type EmailMessage, type SendTrace } from '../base'
import { diagnose } from './smtp-diagnosis'
import { fetchCertificate, SmtpSession, type SmtpConfig, type TlsObservation } from './smtp-session'
import { SmtpTranscript } from './smtp-transcript'

const SmtpOptions = MailOptions.extend({
  host: z.string().min(1).default('localhost').describe('The mail server: host name or address (Django: EMAIL_HOST).'),
  port: z.number().int().min(1).max(65535).default(25).describe('25 for relays, 587 for submission with STARTTLS, 465 for implicit TLS (Django: EMAIL_PORT).'),
  username: z.string().default('').describe('Login name; with a password, Backplane logs in with AUTH (Django: EMAIL_HOST_USER).'),
  password: secretString('Login password, kept in the secret store (Django: EMAIL_HOST_PASSWORD).').optional(),
  useTls: z.boolean().default(false).describe('Upgrade the connection with STARTTLS, usually on port 587 (Django: EMAIL_USE_TLS).'),
  useSsl: z.boolean().default(false).describe('TLS from the first byte, usually on port 465 (Django: EMAIL_USE_SSL).'),
  sslCertfile: z.string().optional().describe('Client certificate (PEM file) for servers that ask for one (Django: EMAIL_SSL_CERTFILE).'),
  sslKeyfile: z.string().optional().describe("The client certificate's private key (PEM file) (Django: EMAIL_SSL_KEYFILE)."),
  caFile: z.string().optional().describe("A CA certificate (PEM file) to trust besides the usual ones, or the server's own self-signed certificate."),
  allowUntrustedCertificate: z.boolean().default(false).describe('Accept any server certificate unchecked. For test servers only: anyone in between could read the mail and the password.'),
  timeout: z.number().positive().default(30).describe('Seconds to wait for the connection and for each reply (Django: EMAIL_TIMEOUT).'),
  localHostname: z.string().optional().describe("The name to announce in EHLO; this computer's name by default (Django: DNS_NAME)."),
  pool: z.boolean().default(false).describe('Keep the connection open after a batch and reuse it for the next, instead of one connection per batch.'),
  poolIdleTimeout: z.number().positive().default(60).describe('Seconds a pooled connection may stay idle before it is closed.'),
}).superRefine((options, ctx) => {
  if (options.useTls && options.useSsl) {
    ctx.addIssue({ code: 'custom', path: ['useSsl'], message: 'useTls (STARTTLS) and useSsl (implicit TLS) are mutually exclusive: turn one of them off.' })
  }
  if (options.sslKeyfile && !options.sslCertfile) {
    ctx.addIssue({ code: 'custom', path: ['sslCertfile'], message: 'A key file needs its certificate file.' })
  }
})
type SmtpOptions = z.output<typeof SmtpOptions>

/** Lines kept from a connection that lives long (a pooled one), for diagnosing its failures. */
const KEPT_LINES = 200

/**
 * Django's SMTP backend on nodemailer's SMTP client: open() connects once and the batch reuses the
 * connection, one batch at a time (Django's lock); close() sends QUIT. With `pool`, the connection
 * outlives the batch for the next one. sendTraced() and check() record the session's transcript.
 */
export class SmtpBackend extends BaseMailBackend {
  protected override readonly oneBatchAtATime: boolean = true
  private readonly config: SmtpConfig
  private session: SmtpSession | undefined
  /** Set while a pooled connection waits for the next batch. */
  private idle: NodeJS.Timeout | undefined

  constructor(
    private readonly smtp: SmtpOptions,
    ctx: EngineContext,
  ) {
    super(smtp, ctx)
    const path = (p: string | undefined) => (p ? resolveInDataDir(ctx.dataDir, p) : undefined)
    this.config = {
      host: smtp.host,
      port: smtp.port,
      security: smtp.useSsl ? 'ssl' : smtp.useTls ? 'starttls' : 'none',
      username: smtp.username,
      password: smtp.password ?? '',
      timeoutMs: smtp.timeout * 1000,
      allowUntrustedCertificate: smtp.allowUntrustedCertificate,
      ...(smtp.localHostname ? { localHostname: smtp.localHostname } : {}),
      ...(smtp.caFile ? { caFile: path(smtp.caFile) } : {}),
      ...(smtp.sslCertfile ? { certFile: path(smtp.sslCertfile) } : {}),
      ...(smtp.sslKeyfile ? { keyFile: path(smtp.sslKeyfile) } : {}),
    }
    // Whatever library puts it into a log line or an error, the password and its base64 forms are masked.
    const { username, password } = this.config
    if (password) for (const form of [password, b64(password), b64(`\0${username}\0${password}`)]) rememberSecret(form)
  }

  override async open(): Promise<boolean> {
    if (this.session?.usable) {
      // Opened by the caller (Django: "Nothing to do if the connection is already open"), or taken from the pool.
      if (!this.idle) return false
      clearTimeout(this.idle)
      this.idle = undefined
      return true
    }
    this.clearIdle()
    this.session = await this.connect(new SmtpTranscript(this.config, this.config.host, KEPT_LINES))
    return true
  }

  override async close(): Promise<void> {
    this.clearIdle()
    const session = this.session
    this.session = undefined
    await session?.quit()
  }

  /** A pooled connection goes back to wait for the next batch; otherwise it closes, as Django's does. */
  protected override async release(opened: boolean): Promise<void> {
    if (!opened) return
    if (!this.smtp.pool || !this.session?.usable) return this.close()
    this.idle = setTimeout(() => void this.close().catch((err: Error) => this.ctx.log.debug(`closing the idle connection: ${err.message}`)), this.smtp.poolIdleTimeout * 1000)
    this.idle.unref()
  }

  protected async deliver(message: ComposedMessage): Promise<void> {
    const session = this.session
    if (!session?.usable) throw new BackplaneError(ErrorCode.E_NOT_OPEN, 'The SMTP connection is not open.', { hint: 'Call open() first, or send with sendMessages(), which opens it.' })
    try {
      await session.send(message.envelope, message.raw)
    } catch (err) {
      const { error } = await this.diagnosed(err, session.transcript, {})
      // smtplib resets the transaction after a refusal, so the next message of the batch starts clean.
      if (session.usable) await session.reset().catch(() => undefined)
      throw error
    }
  }

  override sendTraced(messages: readonly EmailMessage[]): Promise<SendTrace> {
    return this.exclusive(() => this.traceSession(messages))
  }

  /** A connection of its own from connect to QUIT, every line and step recorded, a diagnosis on failure. */
  private async traceSession(messages: readonly EmailMessage[]): Promise<SendTrace> {
    const transcript = new SmtpTranscript(this.config, this.config.host)
    const seen: TlsObservation = {}
    let session: SmtpSession | undefined
    let sent = 0
    try {
      session = await SmtpSession.open(this.config, transcript, seen)
      for (const [i, message] of messages.entries()) {
        const composed = await transcript.timed(`compose #${i + 1}`, () => this.compose(message), (c) => `${c.raw.length} bytes from ${c.envelope.from} to ${c.envelope.to.join(', ')}`)
        await session.send(composed.envelope, composed.raw)
        sent++
      }
      await session.quit()
      return { sent, ok: true, durationMs: transcript.elapsed, steps: transcript.steps, transcript: transcript.lines }
    } catch (err) {
      const { error, diagnosis } = await this.diagnosed(err, transcript, seen)
      await session?.quit()
      return { sent, ok: false, durationMs: transcript.elapsed, steps: transcript.steps, transcript: transcript.lines, error: error.toPayload(), ...(diagnosis ? { diagnosis } : {}) }
    }
  }

  /** Connects, EHLO, STARTTLS and AUTH as configured, then QUIT: each a step of the report. */
  override async check(): Promise<HealthReport> {
    const transcript = new SmtpTranscript(this.config, this.config.host)
    const seen: TlsObservation = {}
    const report = { kind: 'mail', alias: this.ctx.alias, engine: this.ctx.engine, checkedAt: '' }
    try {
      const session = await SmtpSession.open(this.config, transcript, seen)
      const summary = [session.secure ? (this.config.security === 'ssl' ? 'implicit TLS' : 'STARTTLS') : 'no TLS', session.authenticated ? `logged in as ${this.config.username}` : 'no login'].join(', ')
      await session.quit()
      const latencyMs = Math.round(transcript.elapsed * 100) / 100
      return { ...report, state: 'ok', latencyMs, summary, ...(transcript.greeting ? { version: transcript.greeting.replace(/^220[ -]/, '') } : {}), steps: transcript.steps, checkedAt: new Date().toISOString() }
    } catch (err) {
      const { error } = await this.diagnosed(err, transcript, seen)
      return { ...report, state: 'down', latencyMs: null, steps: transcript.steps, error: error.toPayload(), checkedAt: new Date().toISOString() }
    }
  }

  private async connect(transcript: SmtpTranscript): Promise<SmtpSession> {
    const seen: TlsObservation = {}
    try {
      return await SmtpSession.open(this.config, transcript, seen)
    } catch (err) {
      throw (await this.diagnosed(err, transcript, seen)).error
    }
  }

  /** The diagnosis of a failure, recorded as the failing step of the transcript. */
  private async diagnosed(err: unknown, transcript: SmtpTranscript, seen: TlsObservation) {
    const result = await diagnose(err, {
      config: this.config,
      step: transcript.failingStep,
      certificate: seen.certificate,
      fetchCertificate: async () => {
        transcript.note('fetching the certificate again, unverified and without logging in, to show its names')
        return fetchCertificate(this.config)
      },
      scrub: (text) => transcript.scrub(text),
    })
    transcript.fail(result.error.toPayload())
    return result
  }

  private clearIdle(): void {
    if (this.idle) clearTimeout(this.idle)
    this.idle = undefined
  }
}

function b64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64')
}

export const smtpEngine = defineEngine({
  kind: 'mail',
  id: 'smtp',
  title: 'SMTP server',
  description: "Sends through an SMTP server, as Django's SMTP backend: one connection per batch, STARTTLS or implicit TLS, login with AUTH.",
  options: SmtpOptions,
  create: (options, ctx) => new SmtpBackend(options, ctx),
})
