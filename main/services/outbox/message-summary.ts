import type { Email } from 'postal-mime'
import type { HeaderSummary } from './message-headers'

/** What the list, the search index and the live events need of a message; the rest is parsed on open. */
export interface MessageSummary extends Omit<HeaderSummary, 'hasHeaders'> {
  attachments: number
  snippet: string
  /** Plain text of the body for the full-text index (capped). */
  body: string
  warning: string | null
}

/**
 * Reduces a parsed message to its summary. It must stay self-contained — no imports, no closures —
 * because the parse worker receives its source text (Function.prototype.toString) and runs it there:
 * one definition for both threads.
 */
export function summarizeMessage(email: Email): MessageSummary {
  const MAX_BODY = 100_000
  const display = (a: { name?: string; address?: string; group?: { name?: string; address?: string }[] } | undefined): string[] => {
    if (!a) return []
    if (a.group) return a.group.flatMap((m) => display(m))
    const address = a.address ?? ''
    return [a.name ? `${a.name} <${address}>` : address]
  }
  const list = (items: unknown[] | undefined): string[] => (items ?? []).flatMap((a) => display(a as Parameters<typeof display>[0]))
  const htmlToText = (html: string): string =>
    html
      .replace(/<(style|script|head)[\s\S]*?<\/\1>/gi, ' ')
      .replace(/<br\s*\/?>|<\/(p|div|tr|li|h\d)>/gi, '\n')
      .replace(/<[^>]+>/g, ' ')
      .replace(/&nbsp;/g, ' ')
      .replace(/&amp;/g, '&')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
  const text = email.text ?? (email.html ? htmlToText(email.html) : '')
  const warnings: string[] = []
  if (email.headers.length === 0) warnings.push('The message has no headers.')
  else if (!email.from) warnings.push('The message has no From header.')
  const date = email.date ? Date.parse(email.date) : NaN
  if (email.date && Number.isNaN(date)) warnings.push(`The Date header "${email.date}" does not parse.`)
  if (text.includes('\ufffd')) warnings.push('Some text could not be decoded with its declared charset.')
  return {
    subject: email.subject ?? '',
    from: display(email.from as Parameters<typeof display>[0])[0] ?? '',
    to: list(email.to),
    cc: list(email.cc),
    date: Number.isNaN(date) ? null : date,
    messageId: email.messageId ?? null,
    attachments: email.attachments.filter((a) => a.disposition !== 'inline' || !a.contentId).length,
    snippet: text.replace(/\s+/g, ' ').trim().slice(0, 200),
    body: text.length > MAX_BODY ? text.slice(0, MAX_BODY) : text,
    warning: warnings.length ? warnings.join(' ') : null,
  }
}

/** The summary of a message that could not be parsed at all: shown raw, with the reason. */
export function unparsedSummary(reason: string): MessageSummary {
  return { subject: '', from: '', to: [], cc: [], date: null, messageId: null, attachments: 0, snippet: '', body: '', warning: `Could not parse the message: ${reason}` }
}
