/** A message as the API shows it in lists: envelope, headers, and what parsing found. */
export interface StoredMessage {
  id: number
  mailbox: string
  receivedAt: string
  source: string
  authUser: string | null
  envelopeFrom: string
  envelopeTo: string[]
  size: number
  /** False until the body has been parsed and indexed (the headers are read at once). */
  parsed: boolean
  subject: string
  from: string
  to: string[]
  cc: string[]
  date: string | null
  messageId: string | null
  attachments: number
  snippet: string
  parseWarning: string | null
  isRead: boolean
}

export const MESSAGE_COLUMNS = `m.id, m.mailbox, m.received_at, m.source, m.auth_user, m.envelope_from, m.envelope_to, m.size, m.parsed, m.subject,
  m.from_addr, m.to_addrs, m.cc_addrs, m.sent_at, m.message_id, m.attachments, m.snippet, m.parse_warning, m.is_read`

export interface MessageRow {
  id: number
  mailbox: string
  received_at: number
  source: string
  auth_user: string | null
  envelope_from: string
  envelope_to: string
  size: number
  parsed: number
  subject: string
  from_addr: string
  to_addrs: string
  cc_addrs: string
  sent_at: number | null
  message_id: string | null
  attachments: number
  snippet: string
  parse_warning: string | null
  is_read: number
}

export function toStored(r: MessageRow): StoredMessage {
  return {
    id: r.id,
    mailbox: r.mailbox,
    receivedAt: new Date(r.received_at).toISOString(),
    source: r.source,
    authUser: r.auth_user,
    envelopeFrom: r.envelope_from,
    envelopeTo: JSON.parse(r.envelope_to) as string[],
    size: r.size,
    parsed: r.parsed === 1,
    subject: r.subject,
    from: r.from_addr,
    to: JSON.parse(r.to_addrs) as string[],
    cc: JSON.parse(r.cc_addrs) as string[],
    date: r.sent_at === null ? null : new Date(r.sent_at).toISOString(),
    messageId: r.message_id,
    attachments: r.attachments,
    snippet: r.snippet,
    parseWarning: r.parse_warning,
    isRead: r.is_read === 1,
  }
}

/** Recipients as searched by `to:`: the To and Cc headers and every envelope recipient (so Bcc too). */
export function searchableRecipients(to: string[], cc: string[], envelopeTo: string[]): string {
  return [...new Set([...to, ...cc, ...envelopeTo])].join(' ')
}
