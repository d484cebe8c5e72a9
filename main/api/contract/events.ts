import { z } from 'zod'
import { HealthReport } from '../../core/schemas'
import { CaptureStatusView, MailboxCounts } from './outbox'

/** Every event the main process pushes, with its payload. */
export const events = {
  'health.changed': HealthReport,
  'settings.changed': z.object({ status: z.enum(['ok', 'created', 'corrupt']), issues: z.number() }),
  /** A captured message was stored and indexed. */
  'outbox.received': z.object({
    id: z.number(),
    mailbox: z.string(),
    subject: z.string(),
    from: z.string(),
    to: z.array(z.string()),
    receivedAt: z.string(),
    size: z.number(),
    attachments: z.number(),
  }),
  /** Messages were read, deleted or added: the counts per mailbox now. */
  'outbox.changed': z.object({ counts: z.array(MailboxCounts) }),
  'capture.status': CaptureStatusView,
  /** The host asks the GUI to show a section (Electron's Go menu). */
  'ui.navigate': z.object({ path: z.string() }),
}

export type Events = typeof events
export type EventName = keyof Events
export type EventPayload<E extends EventName> = z.output<Events[E]>

/** Events that report on backends: their payloads are masked like the answers of `redact` methods. */
export const REDACTED_EVENTS: ReadonlySet<EventName> = new Set<EventName>(['health.changed', 'capture.status'])
