import { z } from 'zod'
import { ErrorPayload } from '../../core/schemas'
import { method } from './define'

export const MessageSummaryView = z.object({
  id: z.number(),
  mailbox: z.string(),
  receivedAt: z.string(),
  source: z.string(),
  authUser: z.string().nullable(),
  envelopeFrom: z.string(),
  envelopeTo: z.array(z.string()),
  size: z.number(),
  parsed: z.boolean(),
  subject: z.string(),
  from: z.string(),
  to: z.array(z.string()),
  cc: z.array(z.string()),
  date: z.string().nullable(),
  messageId: z.string().nullable(),
  attachments: z.number(),
  snippet: z.string(),
  parseWarning: z.string().nullable(),
  isRead: z.boolean(),
})
export type MessageSummaryView = z.infer<typeof MessageSummaryView>

export const MessageDetailView = MessageSummaryView.extend({
  headers: z.array(z.object({ name: z.string(), value: z.string(), decoded: z.string().nullable() })),
  replyTo: z.array(z.string()),
  bcc: z.array(z.string()),
  text: z.string().nullable(),
  html: z.string().nullable(),
  attachmentList: z.array(
    z.object({ index: z.number(), filename: z.string(), contentType: z.string(), size: z.number(), disposition: z.string().nullable(), contentId: z.string().nullable() }),
  ),
})
export type MessageDetailView = z.infer<typeof MessageDetailView>

export const CaptureStatusView = z.object({
  state: z.enum(['running', 'stopped', 'failed']),
  address: z.string().nullable(),
  port: z.number().nullable(),
  startedAt: z.string().nullable(),
  received: z.number(),
  rejected: z.number(),
  connections: z.number(),
  starttls: z.boolean(),
  auth: z.enum(['off', 'any', 'listed']),
  error: ErrorPayload.optional(),
})
export type CaptureStatusView = z.infer<typeof CaptureStatusView>

export const MailboxCounts = z.object({ mailbox: z.string(), total: z.number(), unread: z.number() })

/** The outbox settings as the GUI edits them: capture users say whether a password is set, never which. */
export const OutboxSettingsView = z.object({
  smtp: z.object({
    enabled: z.boolean(),
    host: z.string(),
    port: z.number().int().min(0).max(65535),
    maxSizeMB: z.number().min(0.001).max(1024),
    auth: z.enum(['off', 'any', 'listed']),
    users: z.array(z.object({ username: z.string().min(1), passwordSet: z.boolean() })),
    starttls: z.boolean(),
    requireTls: z.boolean(),
  }),
  mailboxes: z.enum(['single', 'auth-user', 'recipient-domain']),
  retention: z.object({ maxMessages: z.number().int().min(1).nullable(), maxAgeDays: z.number().min(0.001).nullable() }),
  notify: z.boolean(),
})
export type OutboxSettingsView = z.infer<typeof OutboxSettingsView>

const Ids = z.union([z.array(z.number().int()).min(1), z.literal('all')])

export const outboxMethods = {
  'outbox.list': method({
    description: 'Captured messages, newest first, filtered by a search (from:, to:, subject:, has:attachment, is:unread, before:, after:, "phrases").',
    input: z.object({
      query: z.string().default(''),
      mailbox: z.string().optional(),
      limit: z.number().int().min(1).max(500).default(50),
      offset: z.number().int().min(0).default(0),
      beforeId: z.number().int().optional(),
    }),
    output: z.object({ total: z.number(), totalExact: z.boolean(), messages: z.array(MessageSummaryView) }),
  }),
  'outbox.get': method({
    description: 'One message, parsed: headers, text, HTML, attachments.',
    input: z.object({ id: z.number().int(), markRead: z.boolean().default(true) }),
    output: MessageDetailView,
  }),
  'outbox.source': method({
    description: 'The raw message as text (the first maxBytes), for the Raw tab.',
    input: z.object({ id: z.number().int(), maxBytes: z.number().int().min(1).max(16 * 1024 * 1024).default(2 * 1024 * 1024) }),
    output: z.object({ text: z.string(), size: z.number(), truncated: z.boolean() }),
  }),
  'outbox.download': method({
    description: 'The exact bytes received (.eml), base64.',
    input: z.object({ id: z.number().int() }),
    output: z.object({ filename: z.string(), contentBase64: z.string() }),
  }),
  'outbox.attachment': method({
    description: 'One attachment, base64.',
    input: z.object({ id: z.number().int(), index: z.number().int().min(0) }),
    output: z.object({ filename: z.string(), contentType: z.string(), contentBase64: z.string() }),
  }),
  'outbox.markRead': method({
    description: 'Marks messages (or all of a mailbox) read or unread.',
    input: z.object({ ids: Ids, read: z.boolean().default(true), mailbox: z.string().optional() }),
    output: z.object({ changed: z.number() }),
  }),
  'outbox.delete': method({
    description: 'Deletes messages, or all of them (of a mailbox).',
    input: z.object({ ids: Ids, mailbox: z.string().optional() }),
    output: z.object({ deleted: z.number() }),
  }),
  'outbox.counts': method({
    description: 'Messages and unread messages per mailbox.',
    input: z.object({}).default({}),
    output: z.object({ total: z.number(), unread: z.number(), mailboxes: z.array(MailboxCounts) }),
  }),
  'outbox.release': method({
    description: 'Forwards a captured message, bytes unchanged, through a mail alias (e.g. a real SMTP server).',
    input: z.object({ id: z.number().int(), alias: z.string().min(1), to: z.array(z.string().min(3)).optional() }),
    output: z.object({ ok: z.literal(true), to: z.array(z.string()) }),
  }),
  'outbox.status': method({
    redact: true,
    description: 'The SMTP capture server: running or not, where, what it received.',
    input: z.object({}).default({}),
    output: CaptureStatusView,
  }),
  'outbox.settings': method({
    description: 'The capture server and outbox settings.',
    input: z.object({}).default({}),
    output: OutboxSettingsView,
  }),
  'outbox.saveSettings': method({
    description: 'Saves the capture server and outbox settings and applies them; capture users\' passwords go to the secret store.',
    input: z.object({
      settings: OutboxSettingsView,
      /** New passwords by username; null clears one; absent keeps what is stored. Write-only. */
      passwords: z.record(z.string(), z.string().nullable()).default({}),
    }),
    output: OutboxSettingsView,
  }),
}
