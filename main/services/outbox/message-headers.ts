import { addressParser, decodeWords, type Address } from 'postal-mime'

/** What the list needs, read from the header block alone: cheap enough to do before the 250. */
export interface HeaderSummary {
  subject: string
  from: string
  to: string[]
  cc: string[]
  /** The Date header as epoch ms, when it parses. */
  date: number | null
  messageId: string | null
  hasHeaders: boolean
}

const MAX_HEADER_BYTES = 256 * 1024
const HEADER_LINE = /^([\x21-\x39\x3b-\x7e]+):[ \t]*(.*)$/

/**
 * Reads Subject, From, To, Cc, Date and Message-ID without parsing the MIME body (about 1/20 of a full
 * parse): RFC 5322 unfolding, RFC 2047 words decoded, headers as UTF-8 (what SMTPUTF8 senders send).
 */
export function headerSummary(raw: Buffer): HeaderSummary {
  let end = raw.indexOf('\r\n\r\n')
  if (end === -1) end = raw.indexOf('\n\n')
  const block = raw.subarray(0, end === -1 ? Math.min(raw.length, MAX_HEADER_BYTES) : Math.min(end, MAX_HEADER_BYTES)).toString('utf8')
  const headers = new Map<string, string>()
  let valid = 0
  for (const line of block.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const match = HEADER_LINE.exec(line)
    if (!match) continue
    valid++
    const key = match[1]!.toLowerCase()
    if (!headers.has(key)) headers.set(key, match[2]!.trim())
  }
  const date = headers.has('date') ? Date.parse(headers.get('date')!) : NaN
  return {
    subject: decode(headers.get('subject') ?? ''),
    from: addresses(headers.get('from'))[0] ?? '',
    to: addresses(headers.get('to')),
    cc: addresses(headers.get('cc')),
    date: Number.isNaN(date) ? null : date,
    messageId: headers.get('message-id') ?? null,
    hasHeaders: valid > 0,
  }
}

function decode(value: string): string {
  try {
    return decodeWords(value)
  } catch {
    return value
  }
}

function addresses(value: string | undefined): string[] {
  if (!value) return []
  const display = (a: Address): string[] => {
    if (a.group) return a.group.flatMap(display)
    const name = a.name ? decode(a.name) : ''
    return [name ? `${name} <${a.address}>` : a.address]
  }
  try {
    return addressParser(value).flatMap(display)
  } catch {
    return [value]
  }
}
