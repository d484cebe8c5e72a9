import { z } from 'zod'
import { isPlainObject, type SettingsDocument } from '../../core/settings/settings-document'

const SecretRefOrUnset = z.object({ $secret: z.string() }).strict().optional()

/** settings.json → services.outbox: the SMTP capture server and what the outbox keeps. */
export const OutboxSettings = z.object({
  smtp: z
    .object({
      enabled: z.boolean().default(true).describe('Run the SMTP capture server.'),
      host: z.string().default('127.0.0.1').describe('Address to listen on; keep it on loopback unless other machines must send here.'),
      port: z.number().int().min(0).max(65535).default(1025).describe('Port to listen on (1025 is what Mailpit and MailDev use).'),
      maxSizeMB: z.number().min(0.001).max(1024).default(30).describe('Larger messages are refused with 552 and not stored.'),
      auth: z.enum(['off', 'any', 'listed']).default('off').describe('SMTP AUTH: off, accept any credentials, or only the listed users.'),
      users: z.array(z.object({ username: z.string().min(1), password: SecretRefOrUnset })).default([]),
      starttls: z.boolean().default(false).describe('Offer STARTTLS with a self-signed certificate generated for this machine.'),
      requireTls: z.boolean().default(false).describe('Refuse AUTH and mail until the client has started TLS.'),
    })
    .prefault({}),
  mailboxes: z.enum(['single', 'auth-user', 'recipient-domain']).default('single').describe('Keep captured mail apart per SMTP AUTH user or per recipient domain, so several projects can share one Backplane.'),
  retention: z
    .object({
      maxMessages: z.number().int().min(1).nullable().default(50_000).describe('Keep at most this many messages (oldest go first); empty keeps all.'),
      maxAgeDays: z.number().min(0.001).nullable().default(null).describe('Delete messages older than this many days; empty keeps them.'),
    })
    .prefault({}),
  notify: z.boolean().default(false).describe('Show a desktop notification when mail arrives.'),
})
export type OutboxSettings = z.output<typeof OutboxSettings>
export type OutboxSettingsInput = z.input<typeof OutboxSettings>

/** The outbox settings in a document, with defaults for what is missing; problems as paths from the root. */
export function readOutboxSettings(doc: SettingsDocument): { settings: OutboxSettings; problems: { path: string[]; message: string }[] } {
  const services = isPlainObject(doc.services) ? doc.services : {}
  const parsed = OutboxSettings.safeParse(services.outbox ?? {})
  if (parsed.success) return { settings: parsed.data, problems: [] }
  return {
    settings: OutboxSettings.parse({}),
    problems: parsed.error.issues.map((i) => ({ path: ['services', 'outbox', ...i.path.map(String)], message: i.message })),
  }
}
