import { isIP } from 'node:net'
import { format } from 'node:util'
import { toBackplaneError, ErrorCode } from '../../../core/errors'
import type { HealthStep } from '../../../core/schemas/health'
import type { TranscriptLine } from '../base'

const MASK = '«redacted»'

interface OpenStep {
  name: string
  started: number
  /** What the step was about (a recipient), shown before the server's reply. */
  subject?: string
}

/** nodemailer's bunyan-style logger, as SMTPConnection calls it. */
export type SmtpLogger = Record<'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal', (entry: { tnx?: string } | undefined, message?: string, ...args: unknown[]) => void>

/**
 * The SMTP session as it happened, from nodemailer's transaction log: every command and reply with its
 * time, and steps timed from each command to its reply (replies come in command order, also when
 * pipelined), plus the phases without a command of ours: DNS, connect, greeting, TLS handshake and the
 * message data. Credentials never get in: AUTH lines are replaced, and every line is scrubbed of the
 * password and its base64 forms.
 */
export class SmtpTranscript {
  readonly lines: TranscriptLine[] = []
  readonly steps: HealthStep[] = []
  private readonly started = performance.now()
  private readonly open: OpenStep[] = []
  private readonly secrets: string[]
  private connectName = 'connect'
  /** The last step that failed, answered or not. */
  failedStep: string | undefined
  /** The server's greeting, e.g. "220 mx.example.test ESMTP Postfix". */
  greeting: string | undefined
  /** The last reply to a command, for errors that do not carry one. */
  lastReply: string | undefined

  /**
   * @param limit lines and steps kept (the newest): a pooled connection lives long, a traced one does not.
   */
  constructor(
    credentials: { username: string; password: string },
    private readonly host: string,
    private readonly limit = Infinity,
  ) {
    const { username, password } = credentials
    this.secrets = password
      ? [password, base64(password), base64(`\0${username}\0${password}`), base64(`${username}\0${password}`)].filter((s) => s.length >= 3)
      : []
  }

  get elapsed(): number {
    return performance.now() - this.started
  }

  /** Removes the password, raw or base64, from any text. */
  scrub(text: string): string {
    let out = text
    for (const secret of this.secrets) out = out.split(secret).join(MASK)
    return out
  }

  /** Starts the session: a DNS step for a name, straight to connect for an address. */
  begin(secure: boolean): void {
    this.connectName = secure ? 'connect (TLS)' : 'connect'
    this.openPhase(isIP(this.host) ? this.connectName : 'DNS')
  }

  /** The logger to give SMTPConnection (with transactionLog on, never debug: that would log the message). */
  logger(): SmtpLogger {
    const log = (level: string) => (entry: { tnx?: string } | undefined, message?: string, ...args: unknown[]) => {
      if (level === 'warn' || level === 'error' || level === 'fatal') return // failures are reported by fail()
      this.onLog(entry?.tnx ?? '', format(message ?? '', ...args))
    }
    return { trace: log('trace'), debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error'), fatal: log('fatal') }
  }

  /** Times something of ours (composing a message) as a step of its own. */
  async timed<T>(name: string, run: () => Promise<T>, detail?: (value: T) => string): Promise<T> {
    const t0 = performance.now()
    try {
      const value = await run()
      this.steps.push({ name, ok: true, ms: round(performance.now() - t0), ...(detail ? { detail: this.scrub(detail(value)) } : {}) })
      return value
    } catch (err) {
      this.steps.push({ name, ok: false, ms: round(performance.now() - t0), error: toBackplaneError(err).toPayload() })
      throw err
    }
  }

  note(text: string): void {
    this.line('info', text)
  }

  /** Marks the step under way as failed (the error of the whole session) and drops steps never answered. */
  fail(error: { code: string; message: string; hint?: string }): void {
    const failed = this.open.shift()
    if (failed) {
      this.steps.push({ name: failed.name, ok: false, ms: round(performance.now() - failed.started), error: { ...error, message: this.scrub(error.message) } })
      this.failedStep = failed.name
    }
    this.open.length = 0
    this.note(`failed: ${error.message}`)
  }

  /** The step under way, or else the last one the server refused: where a failure happened. */
  get failingStep(): string | undefined {
    return this.open[0]?.name ?? this.failedStep
  }

  private onLog(tnx: string, text: string): void {
    if (tnx === 'client') return this.onClient(text)
    if (tnx === 'server') return this.onServer(text)
    if (tnx === 'dns') {
      if (this.open[0]?.name !== 'DNS') return
      this.close(true, text.replace(/ \[cache \w+\]$/, ''))
      this.openPhase(this.connectName)
    } else if (tnx === 'network' && /established/.test(text) && this.open[0]?.name.startsWith('connect')) {
      this.close(true, text.replace(/^.*established to /, ''))
      this.openPhase('greeting')
    } else if (/upgraded with STARTTLS/.test(text) && this.open[0]?.name === 'TLS handshake') {
      this.close(true)
    }
    if (!/handshake finished|Closing connection/.test(text)) this.note(text)
  }

  private onClient(raw: string): void {
    const auth = this.open.find((s) => s.name === 'AUTH')
    let text = raw
    if (auth) {
      // Continuation lines of an AUTH exchange carry credentials (AUTH LOGIN sends them one by one).
      text = '«credentials hidden»'
    } else if (/^AUTH\s/i.test(raw)) {
      text = `${raw.split(/\s+/).slice(0, 2).join(' ')}${raw.split(/\s+/).length > 2 ? ' «credentials hidden»' : ''}`
      this.openPhase('AUTH')
    } else {
      const verb = /^(MAIL FROM|RCPT TO|[A-Z]+)/i.exec(raw)?.[1]?.toUpperCase() ?? raw
      if (this.open[0]?.name === 'TLS handshake') this.close(true)
      this.openPhase(verb, verb === 'RCPT TO' ? raw.slice('RCPT TO:'.length).trim() : undefined)
    }
    this.line('client', text)
  }

  private onServer(text: string): void {
    for (const line of text.split('\n')) this.line('server', line)
    const code = Number(/^(\d{3})/.exec(text)?.[1] ?? 0)
    const reply = text.split('\n').pop() ?? text
    const step = this.open[0]
    if (!step) return
    if (step.name === 'greeting') this.greeting = text.split('\n')[0]
    else this.lastReply = reply
    if (step.name === 'AUTH' && code === 334) return
    const lines = text.split('\n')
    // An EHLO reply says what the server offers: that is the detail worth keeping.
    const offered = lines.length > 1 && code === 250 ? `${code} ${lines.slice(1).map((l) => l.slice(4)).join(', ')}` : reply
    this.close(code >= 200 && code < 400, offered)
    if (step.name === 'STARTTLS' && code === 220) this.openPhase('TLS handshake')
    if (step.name === 'DATA' && code === 354) this.openPhase('message data')
  }

  private openPhase(name: string, subject?: string): void {
    this.open.push({ name, started: performance.now(), ...(subject ? { subject } : {}) })
  }

  private close(ok: boolean, reply?: string): void {
    const step = this.open.shift()
    if (!step) return
    const detail = [step.subject, reply].filter(Boolean).join(': ')
    const done: HealthStep = { name: step.name, ok, ms: round(performance.now() - step.started) }
    if (detail) done.detail = this.scrub(detail)
    if (!ok) {
      if (reply) done.error = { code: ErrorCode.E_SMTP_REPLY, message: this.scrub(reply) }
      this.failedStep = step.name
    }
    this.steps.push(done)
  }

  private line(direction: TranscriptLine['direction'], text: string): void {
    this.lines.push({ ms: round(this.elapsed), direction, text: this.scrub(text) })
    if (this.lines.length > this.limit) this.lines.shift()
    if (this.steps.length > this.limit) this.steps.shift()
  }
}

function base64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64')
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100
}
