import addressparser from 'nodemailer/lib/addressparser'
import MailComposer from 'nodemailer/lib/mail-composer'
import { BackplaneError, ErrorCode } from '../../core/errors'

export interface EmailAttachment {
  filename: string
  content: Buffer
  contentType?: string
  /** Set for inline images: the HTML refers to them as `cid:<cid>`. */
  cid?: string
}

/** Django's EmailMessage / EmailMultiAlternatives, as plain data. */
export interface EmailMessage {
  from?: string
  to?: string[]
  cc?: string[]
  bcc?: string[]
  replyTo?: string[]
  subject?: string
  text?: string
  html?: string
  headers?: Record<string, string>
  attachments?: EmailAttachment[]
}

export interface Envelope {
  from: string
  to: string[]
}

/** A message made into RFC 5322 bytes, with the SMTP envelope it travels in. */
export interface ComposedMessage {
  raw: Buffer
  envelope: Envelope
  messageId: string
  /** The message it was composed from; absent for raw bytes sent as they are (sendRaw). */
  source?: EmailMessage
}

/**
 * Builds the message with nodemailer's MailComposer: MIME structure, RFC 2047 headers for
 * non-ASCII, Message-ID and Date. Bcc goes into the envelope only, never into the headers.
 */
export async function composeMessage(message: EmailMessage, defaultFrom: string): Promise<ComposedMessage> {
  const from = message.from || defaultFrom
  recipientsOf(message)
  const composer = new MailComposer({
    from,
    to: message.to,
    cc: message.cc,
    bcc: message.bcc,
    replyTo: message.replyTo,
    subject: message.subject ?? '',
    text: message.text,
    html: message.html,
    headers: message.headers,
    attachments: message.attachments?.map((a) => ({
      filename: a.filename,
      content: a.content,
      ...(a.contentType ? { contentType: a.contentType } : {}),
      ...(a.cid ? { cid: a.cid } : {}),
    })),
  })
  const node = composer.compile()
  const envelope = node.getEnvelope()
  const raw = await node.build()
  return {
    raw,
    envelope: { from: envelope.from || from, to: envelope.to },
    messageId: node.messageId(),
    source: message,
  }
}

/** To, Cc and Bcc together; a message without any is refused, whatever the engine. */
function recipientsOf(message: EmailMessage): string[] {
  const recipients = [...(message.to ?? []), ...(message.cc ?? []), ...(message.bcc ?? [])]
  if (recipients.length === 0) {
    throw new BackplaneError(ErrorCode.E_NO_RECIPIENTS, 'The message has no recipients.', { hint: 'Add at least one address to To, Cc or Bcc.' })
  }
  return recipients
}

/** The SMTP envelope without composing: the bare From address and every recipient's address. */
export function envelopeOf(message: EmailMessage, defaultFrom: string): Envelope {
  const bare = (list: string[]) => addressparser(list.join(', '), { flatten: true }).map((a) => a.address).filter(Boolean)
  const from = message.from || defaultFrom
  return { from: bare([from])[0] ?? from, to: bare(recipientsOf(message)) }
}
