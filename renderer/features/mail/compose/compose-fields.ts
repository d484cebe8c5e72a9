import type { EmailMessageInput } from '../../../../main/api/contract'

/** What the compose form edits; attachments are tracked apart while they are read. */
export interface ComposeDraft {
  from: string
  to: string[]
  cc: string[]
  bcc: string[]
  subject: string
  text: string
  withHtml: boolean
  html: string
}

export const EMPTY_DRAFT: ComposeDraft = { from: '', to: [], cc: [], bcc: [], subject: '', text: '', withHtml: false, html: '' }

/** Loose on purpose ("Ada <ada@example.test>" is fine): the mail engine parses addresses for real. */
const looksLikeAddress = (value: string) => /@[^@\s>]+>?\s*$/.test(value)

export function composeErrors(draft: ComposeDraft): Partial<Record<'to' | 'cc' | 'bcc' | 'from', string>> {
  const errors: Partial<Record<'to' | 'cc' | 'bcc' | 'from', string>> = {}
  for (const field of ['to', 'cc', 'bcc'] as const) {
    const bad = draft[field].filter((address) => !looksLikeAddress(address))
    if (bad.length > 0) errors[field] = `Not an address: ${bad.join(', ')}`
  }
  if (draft.to.length + draft.cc.length + draft.bcc.length === 0) errors.to = 'Add at least one recipient.'
  if (draft.from.trim() !== '' && !looksLikeAddress(draft.from)) errors.from = 'Not an address.'
  return errors
}

export function toMessage(draft: ComposeDraft, attachments: EmailMessageInput['attachments']): EmailMessageInput {
  return {
    ...(draft.from.trim() ? { from: draft.from.trim() } : {}),
    to: draft.to,
    cc: draft.cc,
    bcc: draft.bcc,
    subject: draft.subject,
    ...(draft.text ? { text: draft.text } : {}),
    ...(draft.withHtml && draft.html ? { html: draft.html } : {}),
    attachments,
  }
}
