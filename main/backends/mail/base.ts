import { z } from 'zod'
import { kindSpec, type Backend, type EngineContext } from '../../core/engine'
import { HealthProbe } from '../../core/health-probe'
import type { HealthReport } from '../../core/schemas/health'
import { toBackplaneError } from '../../core/errors'
import type { ErrorPayload } from '../../core/schemas/error'
import type { HealthStep } from '../../core/schemas/health'
import { composeMessage, type ComposedMessage, type EmailMessage, type Envelope } from './message'

export type { ComposedMessage, EmailMessage, EmailAttachment, Envelope } from './message'

/** What every mail alias has: Django's fail_silently and DEFAULT_FROM_EMAIL. */
export const MailOptions = z.object({
  failSilently: z.boolean().default(false).describe('Swallow sending errors and report fewer messages sent (Django: fail_silently).'),
  defaultFrom: z.string().default('webmaster@localhost').describe('From address for messages that name none (Django: DEFAULT_FROM_EMAIL).'),
})
export type MailOptions = z.output<typeof MailOptions>

/** One line of what happened while sending: an SMTP command, a reply, or a note of ours. */
export interface TranscriptLine {
  /** Milliseconds since the send began. */
  ms: number
  direction: 'client' | 'server' | 'info'
  text: string
}

/** A failure explained in plain words: what went wrong, in which terms a person can act on. */
export interface Diagnosis {
  problem: 'dns' | 'refused' | 'timeout' | 'tls-certificate' | 'tls' | 'auth' | 'rejected' | 'too-large' | 'connection' | 'other'
  summary: string
  hint: string
  /** The names the server's certificate is valid for, when it did not match. */
  certificateNames?: string[]
  /** The server's own reply, e.g. "550 5.1.1 No such user". */
  serverResponse?: string
}

/** What "send a test message" shows: each step timed, the session transcript, and a diagnosis on failure. */
export interface SendTrace {
  sent: number
  ok: boolean
  durationMs: number
  steps: HealthStep[]
  transcript: TranscriptLine[]
  error?: ErrorPayload
  diagnosis?: Diagnosis
}

/** Django's BaseEmailBackend: open() a connection, send a batch over it, close(). */
export interface MailBackend extends Backend {
  /** Opens the connection; true if this call opened it (so the caller should close it). */
  open(): Promise<boolean>
  close(): Promise<void>
  sendMessages(messages: readonly EmailMessage[]): Promise<number>
  /** Sends bytes as they are (releasing a captured message); not every custom engine can. */
  sendRaw?(raw: Buffer, envelope: Envelope): Promise<void>
  /** Sends while recording steps and the protocol transcript, for the "send a test message" screen. */
  sendTraced?(messages: readonly EmailMessage[]): Promise<SendTrace>
}

export const mailKind = kindSpec<MailBackend>()({
  kind: 'mail',
  methods: ['open', 'sendMessages'],
  baseOptions: MailOptions.passthrough(),
})

/** Where the `outbox` engine delivers; the outbox store in services implements it. */
export interface OutboxSink {
  deliver(message: { raw: Buffer; envelope: { from: string; to: string[] }; source: string }): Promise<string>
}

declare module '../../core/engine' {
  interface BackendKinds {
    mail: MailBackend
  }
  interface EngineServices {
    outbox: OutboxSink
  }
}

/** A traced send from any backend: its own sendTraced(), or sendMessages() timed as one step. */
export async function sendTraced(backend: MailBackend, messages: readonly EmailMessage[]): Promise<SendTrace> {
  if (backend.sendTraced) return backend.sendTraced(messages)
  const started = performance.now()
  try {
    const sent = await backend.sendMessages(messages)
    const ms = performance.now() - started
    return { sent, ok: true, durationMs: ms, steps: [{ name: 'sendMessages', ok: true, ms }], transcript: [] }
  } catch (err) {
    const ms = performance.now() - started
    const error = toBackplaneError(err).toPayload()
    return { sent: 0, ok: false, durationMs: ms, steps: [{ name: 'sendMessages', ok: false, ms, error }], transcript: [], error }
  }
}

export function isMailBackend(backend: Backend): backend is MailBackend {
  return typeof (backend as Partial<MailBackend>).sendMessages === 'function'
}

/**
 * What every engine shares: composing, the batch loop that reuses one connection (Django's SMTP
 * backend: open() once, send all, close() only if this call opened), fail_silently.
 * An engine supplies deliver() and, when it holds a connection, open() and close().
 */
export abstract class BaseMailBackend implements MailBackend {
  /**
   * Engines that hold one connection or stream set this: Django's SMTP and console backends send a
   * batch under a lock, so two batches never interleave on the same connection or file.
   */
  protected readonly oneBatchAtATime: boolean = false
  private batches: Promise<unknown> = Promise.resolve()

  constructor(
    protected readonly options: MailOptions,
    protected readonly ctx: EngineContext,
  ) {}

  protected abstract deliver(message: ComposedMessage): Promise<void>

  /** Makes a message into bytes and envelope; engines that write Django's own format override it. */
  protected compose(message: EmailMessage): Promise<ComposedMessage> {
    return composeMessage(message, this.options.defaultFrom)
  }

  async open(): Promise<boolean> {
    return false
  }

  async close(): Promise<void> {}

  /** Ends a batch. Django closes the connection only if the batch opened it; a pooling engine may keep it. */
  protected async release(opened: boolean): Promise<void> {
    if (opened) await this.close()
  }

  /** Runs a batch after the ones before it when the engine sends one batch at a time (Django's lock). */
  protected exclusive<T>(run: () => Promise<T>): Promise<T> {
    if (!this.oneBatchAtATime) return run()
    const result = this.batches.then(run)
    this.batches = result.catch(() => undefined)
    return result
  }

  sendMessages(messages: readonly EmailMessage[]): Promise<number> {
    if (messages.length === 0) return Promise.resolve(0)
    return this.exclusive(() => this.sendBatch(messages))
  }

  private async sendBatch(messages: readonly EmailMessage[]): Promise<number> {
    let opened: boolean
    try {
      opened = await this.open()
    } catch (err) {
      if (this.options.failSilently) return 0
      throw err
    }
    let sent = 0
    let failure: { error: unknown } | undefined
    try {
      for (const message of messages) {
        try {
          await this.deliver(await this.compose(message))
          sent++
        } catch (err) {
          if (!this.options.failSilently) throw err
        }
      }
    } catch (err) {
      failure = { error: err }
    }
    try {
      await this.release(opened)
    } catch (err) {
      // Django's close() swallows a failing QUIT under fail_silently.
      if (!this.options.failSilently) failure ??= { error: err }
    }
    if (failure) throw failure.error
    return sent
  }

  sendRaw(raw: Buffer, envelope: Envelope): Promise<void> {
    return this.exclusive(async () => {
      const opened = await this.open()
      try {
        await this.deliver({ raw, envelope, messageId: '' })
      } finally {
        await this.release(opened)
      }
    })
  }

  /**
   * The traced send every engine gets: compose and deliver timed as steps. Engines that speak a
   * protocol (SMTP) override it to add the session transcript and a diagnosis.
   */
  sendTraced(messages: readonly EmailMessage[]): Promise<SendTrace> {
    return this.exclusive(() => this.traceBatch(messages))
  }

  private async traceBatch(messages: readonly EmailMessage[]): Promise<SendTrace> {
    const started = performance.now()
    const steps: HealthStep[] = []
    const transcript: TranscriptLine[] = []
    const step = async <T>(name: string, run: () => Promise<T>): Promise<T> => {
      const t0 = performance.now()
      try {
        const value = await run()
        steps.push({ name, ok: true, ms: performance.now() - t0 })
        return value
      } catch (err) {
        steps.push({ name, ok: false, ms: performance.now() - t0, error: toBackplaneError(err).toPayload() })
        throw err
      }
    }
    let sent = 0
    try {
      const opened = await step('open', () => this.open())
      try {
        for (const [i, message] of messages.entries()) {
          const composed = await step(`compose #${i + 1}`, () => this.compose(message))
          transcript.push({ ms: performance.now() - started, direction: 'info', text: `${composed.raw.length} bytes from ${composed.envelope.from} to ${composed.envelope.to.join(', ')}` })
          await step(`deliver #${i + 1}`, () => this.deliver(composed))
          sent++
        }
      } finally {
        if (opened) await step('close', () => this.release(opened))
      }
      return { sent, ok: true, durationMs: performance.now() - started, steps, transcript }
    } catch (err) {
      const error = toBackplaneError(err).toPayload()
      return { sent, ok: false, durationMs: performance.now() - started, steps, transcript, error }
    }
  }

  /** Engines that reach a server add steps; the default proves a message can be composed. */
  async check(): Promise<HealthReport> {
    const probe = new HealthProbe('mail', this.ctx.alias, this.ctx.engine)
    await probe.step('compose', () => this.compose({ to: ['health@backplane.invalid'], subject: 'health', text: 'ok' }))
    await this.checkSteps(probe)
    if (probe.ok) probe.version ??= await this.serverVersion()
    return probe.report()
  }

  /** Steps of the engine's own between composing and the report (a folder writable, a server reachable). */
  protected async checkSteps(_probe: HealthProbe): Promise<void> {}

  /** What the engine sends through, for the health report; undefined when there is nothing to name. */
  protected async serverVersion(): Promise<string | undefined> {
    return undefined
  }
}
