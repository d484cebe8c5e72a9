import { z } from 'zod'
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

export const mailMethods = {
  'mail.send': method({
    description: 'Sends messages through a mail alias, over one connection (Django: send_messages).',
    input: z.object({ alias: z.string().default('default'), messages: z.array(EmailMessageInput).min(1, 'Add a message.') }),
    output: z.object({ sent: z.number() }),
  }),
}
