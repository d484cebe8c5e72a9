import { z } from 'zod'
import type { Backend, EngineContext, KindSpec } from '../../core/engine'
import { HealthProbe } from '../../core/health-probe'
import type { HealthReport } from '../../core/schemas/health'
import { composeMessage, type ComposedMessage, type EmailMessage } from './message'

export type { ComposedMessage, EmailMessage, EmailAttachment, Envelope } from './message'

/** What every mail alias has: Django's fail_silently and DEFAULT_FROM_EMAIL. */
export const MailOptions = z.object({
  failSilently: z.boolean().default(false).describe('Swallow sending errors and report fewer messages sent (Django: fail_silently).'),
  defaultFrom: z.string().default('webmaster@localhost').describe('From address for messages that name none (Django: DEFAULT_FROM_EMAIL).'),
})
export type MailOptions = z.output<typeof MailOptions>

/** Django's BaseEmailBackend: open() a connection, send a batch over it, close(). */
export interface MailBackend extends Backend {
  /** Opens the connection; true if this call opened it (so the caller should close it). */
  open(): Promise<boolean>
  close(): Promise<void>
  sendMessages(messages: readonly EmailMessage[]): Promise<number>
}

export const mailKind: KindSpec = {
  kind: 'mail',
  methods: ['open', 'close', 'sendMessages'],
  baseOptions: MailOptions.passthrough(),
}

/** Where the `outbox` engine delivers; the outbox store in services implements it. */
export interface OutboxSink {
  deliver(message: { raw: Buffer; envelope: { from: string; to: string[] }; source: string }): Promise<string>
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
  constructor(
    protected readonly options: MailOptions,
    protected readonly ctx: EngineContext,
  ) {}

  protected abstract deliver(message: ComposedMessage): Promise<void>

  async open(): Promise<boolean> {
    return false
  }

  async close(): Promise<void> {}

  async sendMessages(messages: readonly EmailMessage[]): Promise<number> {
    if (messages.length === 0) return 0
    let opened: boolean
    try {
      opened = await this.open()
    } catch (err) {
      if (this.options.failSilently) return 0
      throw err
    }
    let sent = 0
    try {
      for (const message of messages) {
        try {
          await this.deliver(await composeMessage(message, this.options.defaultFrom))
          sent++
        } catch (err) {
          if (!this.options.failSilently) throw err
        }
      }
    } finally {
      if (opened) await this.close()
    }
    return sent
  }

  /** Engines that reach a server add steps; the default proves a message can be composed. */
  async check(): Promise<HealthReport> {
    const probe = new HealthProbe('mail', this.ctx.alias, this.ctx.engine)
    await probe.step('compose', () => composeMessage({ to: ['health@backplane.invalid'], subject: 'health', text: 'ok' }, this.options.defaultFrom))
    await this.checkSteps(probe)
    return probe.report()
  }

  protected async checkSteps(_probe: HealthProbe): Promise<void> {}
}
