import PostalMime, { decodeWords, type Email } from 'postal-mime'
import { BackplaneError, ErrorCode } from '../../core/errors'
import type { OutboxStore, StoredMessage } from './outbox-store'

export interface AttachmentInfo {
  index: number
  filename: string
  contentType: string
  size: number
  disposition: string | null
  contentId: string | null
}

export interface MessageDetail extends StoredMessage {
  /** As received (`value`), and with RFC 2047 encoded words decoded when there were any (`decoded`). */
  headers: { name: string; value: string; decoded: string | null }[]
  replyTo: string[]
  /** Envelope recipients that no header names: the Bcc recipients. */
  bcc: string[]
  text: string | null
  html: string | null
  attachmentList: AttachmentInfo[]
}

/** Parses a stored message in full for the message view; the list only ever needs the summary. */
export async function messageDetail(store: OutboxStore, id: number): Promise<MessageDetail> {
  const stored = store.get(id)
  const email = await parse(store.raw(id))
  const named = new Set([...stored.to, ...stored.cc].map(addressOf))
  return {
    ...stored,
    headers: email?.headers.map((h) => ({ name: h.originalKey || h.key, value: h.value, decoded: decodedHeader(h.value) })) ?? [],
    replyTo: (email?.replyTo ?? []).map((a) => (a.name ? `${a.name} <${a.address ?? ''}>` : (a.address ?? ''))),
    bcc: stored.envelopeTo.filter((r) => !named.has(r.toLowerCase())),
    text: email?.text ?? null,
    html: email?.html ?? null,
    attachmentList: (email?.attachments ?? []).map((a, index) => ({
      index,
      filename: a.filename ?? `attachment-${index + 1}`,
      contentType: a.mimeType,
      size: byteLength(a.content),
      disposition: a.disposition,
      contentId: a.contentId ?? null,
    })),
  }
}

export async function attachmentOf(store: OutboxStore, id: number, index: number): Promise<{ filename: string; contentType: string; content: Buffer }> {
  const email = await parse(store.raw(id))
  const attachment = email?.attachments[index]
  if (!attachment) throw new BackplaneError(ErrorCode.E_NOT_FOUND, `Message ${id} has no attachment ${index}.`)
  return { filename: attachment.filename ?? `attachment-${index + 1}`, contentType: attachment.mimeType, content: toBuffer(attachment.content) }
}

export async function parse(raw: Buffer): Promise<Email | undefined> {
  try {
    return await PostalMime.parse(raw)
  } catch {
    return undefined
  }
}

export function toBuffer(content: ArrayBuffer | Uint8Array | string): Buffer {
  if (typeof content === 'string') return Buffer.from(content, 'utf8')
  return content instanceof Uint8Array ? Buffer.from(content.buffer, content.byteOffset, content.byteLength) : Buffer.from(content)
}

/** The header with its encoded words (`=?utf-8?b?4oCT?=`) decoded, or null when it has none. */
export function decodedHeader(value: string): string | null {
  if (!value.includes('=?')) return null
  try {
    const decoded = decodeWords(value)
    return decoded === value ? null : decoded
  } catch {
    return null
  }
}

function byteLength(content: ArrayBuffer | Uint8Array | string): number {
  return typeof content === 'string' ? Buffer.byteLength(content) : content.byteLength
}

function addressOf(display: string): string {
  const match = /<([^>]+)>\s*$/.exec(display)
  return (match ? match[1]! : display).trim().toLowerCase()
}
