import { z } from 'zod'
import { HealthReport } from '../../core/schemas'
import { CaptureStatusView, MailboxCounts } from './outbox'
import { TransferView } from './storage'

/** Every event the main process pushes, with its payload; each says in its description when it comes. */
export const events = {
  'health.changed': HealthReport.describe("An alias's health was checked: its new HealthReport."),
  'settings.changed': z.object({ status: z.enum(['ok', 'created', 'corrupt']), issues: z.number() }).describe('The settings were saved, reloaded or edited by hand: their status and how many issues they have.'),
  'outbox.received': z.object({
    id: z.number(),
    mailbox: z.string(),
    subject: z.string(),
    from: z.string(),
    to: z.array(z.string()),
    receivedAt: z.string(),
    size: z.number(),
    attachments: z.number(),
  }).describe('A captured message was stored and indexed: its summary.'),
  'outbox.changed': z.object({ counts: z.array(MailboxCounts) }).describe('Messages were read, deleted or added: the counts per mailbox now.'),
  'capture.status': CaptureStatusView.describe('The SMTP capture server started, stopped or failed: its status.'),
  'data.exportProgress': z
    .object({ queryId: z.string(), rows: z.number(), bytes: z.number() })
    .describe('A desktop export to a file wrote more rows (at most four times a second): its queryId, rows and bytes so far.'),
  'cache.workloadProgress': z
    .object({ runId: z.string(), alias: z.string(), elapsedSeconds: z.number(), durationSeconds: z.number(), operations: z.number(), opsPerSecond: z.number(), errors: z.number() })
    .describe('A workload run measured more (about four times a second): its runId, time so far and ops/s.'),
  'storage.transfer': TransferView.describe('A transfer was queued, progressed (at most four times a second), finished, failed or was cancelled: its TransferView.'),
  'ui.navigate': z.object({ path: z.string() }).describe("The host asks the GUI to show a section (the desktop app's Go menu)."),
}

export type Events = typeof events
export type EventName = keyof Events
export type EventPayload<E extends EventName> = z.output<Events[E]>

/** Events that report on backends: their payloads are masked like the answers of `redact` methods. */
export const REDACTED_EVENTS: ReadonlySet<EventName> = new Set<EventName>(['health.changed', 'capture.status'])
