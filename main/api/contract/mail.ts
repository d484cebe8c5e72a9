import { z } from 'zod'
import { ErrorPayload } from '../../core/schemas'
import { method } from './define'

const Addresses = z.array(z.string().min(1)).default([])

export const EmailMessageInput = z.object({
  from: z.string().optional(),
  to: Addresses,
  cc: Addresses,
  bcc: Addresses,
  replyTo: Addresses,
  subject: z.string().default(''),
  text: z.string().optional(),
  html: z.string().optional(),
  headers: z.record(z.string(), z.string()).default({}),
  attachments: z
    .array(
      z.object({
        filename: z.string().min(1),
        contentBase64: z.string(),
        contentType: z.string().optional(),
        cid: z.string().optional(),
      }),
    )
    .default([]),
})
export type EmailMessageInput = z.input<typeof EmailMessageInput>

const HealthStepView = z.object({ name: z.string(), ok: z.boolean(), ms: z.number(), detail: z.string().optional(), error: ErrorPayload.optional() })

export const SendTraceView = z.object({
  sent: z.number(),
  ok: z.boolean(),
  durationMs: z.number(),
  steps: z.array(HealthStepView),
  transcript: z.array(z.object({ ms: z.number(), direction: z.enum(['client', 'server', 'info']), text: z.string() })),
  error: ErrorPayload.optional(),
  diagnosis: z
    .object({
      problem: z.enum(['dns', 'refused', 'timeout', 'tls-certificate', 'tls', 'auth', 'rejected', 'too-large', 'connection', 'other']),
      summary: z.string(),
      hint: z.string(),
      certificateNames: z.array(z.string()).optional(),
      serverResponse: z.string().optional(),
    })
    .optional(),
})
export type SendTraceView = z.infer<typeof SendTraceView>

export const mailMethods = {
  'mail.sendTest': method({
    redact: true,
    description: 'Sends messages through a mail alias while recording every step (and, for SMTP, the session transcript and a diagnosis of failures).',
    input: z.object({ alias: z.string().default('default'), messages: z.array(EmailMessageInput).min(1, 'Add a message.') }),
    output: SendTraceView,
  }),
  'mail.send': method({
    description: 'Sends messages through a mail alias, over one connection (Django: send_messages).',
    input: z.object({ alias: z.string().default('default'), messages: z.array(EmailMessageInput).min(1, 'Add a message.') }),
    output: z.object({ sent: z.number() }),
  }),
}
