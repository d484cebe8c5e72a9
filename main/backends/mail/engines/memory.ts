import { z } from 'zod'
import { defineEngine, type Backend, type EngineContext } from '../../../core/engine'
import type { HealthProbe } from '../../../core/health-probe'
import { BaseMailBackend, MailOptions, type ComposedMessage, type EmailMessage, type Envelope } from '../base'
import { countOf } from '../../../core/schemas/count-noun'

const MemoryOptions = MailOptions.extend({
  maxMessages: z.number().int().min(1).default(1000).describe('Messages kept in the outbox list; the oldest go first when it is full.'),
})
type MemoryOptions = z.output<typeof MemoryOptions>

/** A message the memory engine accepted, as a test reads it back. */
export interface SentMessage {
  /** What was sent; absent for raw bytes released from the capture outbox. */
  message?: EmailMessage
  raw: Buffer
  envelope: Envelope
  messageId: string
  sentAt: Date
}

/**
 * Django's locmem backend: messages are composed (which validates them) and kept in a list that code
 * and tests read, Django's `mail.outbox`. Bounded, unlike Django's, since Backplane runs for days.
 */
export class MemoryMailBackend extends BaseMailBackend {
  readonly outbox: SentMessage[] = []

  constructor(
    private readonly memoryOptions: MemoryOptions,
    ctx: EngineContext,
  ) {
    super(memoryOptions, ctx)
  }

  /** Empties the outbox, as Django's test runner does before each test. */
  clear(): void {
    this.outbox.length = 0
  }

  protected async deliver(composed: ComposedMessage): Promise<void> {
    this.outbox.push({ ...(composed.source ? { message: composed.source } : {}), raw: composed.raw, envelope: composed.envelope, messageId: composed.messageId, sentAt: new Date() })
    const excess = this.outbox.length - this.memoryOptions.maxMessages
    if (excess > 0) this.outbox.splice(0, excess)
  }

  protected override async checkSteps(probe: HealthProbe): Promise<void> {
    await probe.step('outbox', () => this.outbox.length, (n) => `${n} of ${countOf(this.memoryOptions.maxMessages, 'message')} kept`)
  }

  protected override async serverVersion(): Promise<string> {
    return 'in-process list'
  }
}

/** The outbox list of a memory-engine backend, or undefined for any other engine. */
export function memoryOutboxOf(backend: Backend): readonly SentMessage[] | undefined {
  return backend instanceof MemoryMailBackend ? backend.outbox : undefined
}

export const memoryEngine = defineEngine({
  kind: 'mail',
  id: 'memory',
  title: 'Memory',
  description: "Keeps sent messages in a list in memory that code and tests can read, as Django's locmem backend (mail.outbox). Nothing is sent.",
  options: MemoryOptions,
  create: (options, ctx) => new MemoryMailBackend(options, ctx),
})
