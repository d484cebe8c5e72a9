/** One operator of the outbox search language (docs/outbox.md, main/services/outbox/outbox-query.ts). */
export interface SearchOperator {
  /** What is inserted into the box when the operator is picked from the help. */
  insert: string
  example: string
  meaning: string
}

export const SEARCH_OPERATORS: readonly SearchOperator[] = [
  { insert: 'from:', example: 'from:alice@example.test', meaning: 'Sender; a full address matches exactly' },
  { insert: 'to:', example: 'to:bob@example.test', meaning: 'To, Cc and every envelope recipient (Bcc too)' },
  { insert: 'subject:', example: 'subject:reset', meaning: 'Words in the subject' },
  { insert: 'body:', example: 'body:token', meaning: 'Words in the text' },
  { insert: 'has:attachment', example: 'has:attachment', meaning: 'With attachments' },
  { insert: 'is:unread', example: 'is:unread', meaning: 'Not opened yet (is:read for the others)' },
  { insert: 'before:', example: 'before:2026-11-25', meaning: 'Received before a date or date-time' },
  { insert: 'after:', example: 'after:2026-11-25T14:30', meaning: 'Received on or after a date or date-time' },
  { insert: '""', example: '"password reset"', meaning: 'Words in this order' },
  { insert: '-', example: '-from:noreply', meaning: 'Leave out what matches' },
]

/**
 * The query with an operator added at the end, separated by a space, and where the caret goes:
 * after `from:` to type the value, inside `""` for a phrase, after a complete one such as
 * `has:attachment` ready for the next term. An operator already there is not added twice.
 */
export function appendOperator(query: string, insert: string): { query: string; caret: number } {
  const trimmed = query.trimEnd()
  const complete = !insert.endsWith(':') && insert !== '""' && insert !== '-'
  if (complete && trimmed.split(/\s+/).includes(insert)) return { query: `${trimmed} `, caret: trimmed.length + 1 }
  const prefix = trimmed === '' ? '' : `${trimmed} `
  const next = `${prefix}${insert}${complete ? ' ' : ''}`
  const caret = insert === '""' ? next.length - 1 : next.length
  return { query: next, caret }
}
