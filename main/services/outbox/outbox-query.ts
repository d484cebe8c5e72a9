import { BackplaneError, ErrorCode } from '../../core/errors'

/** A search as SQL: an FTS5 MATCH expression (if any words) and WHERE conditions on messages `m`. */
export interface CompiledQuery {
  match: string | undefined
  where: string[]
  params: (string | number)[]
}

const FIELD_COLUMNS: Record<string, string> = { from: 'from_addr', to: 'to_addrs', subject: 'subject', body: 'body' }
const TOKEN = /(-?)(?:([a-z]+):)?(?:"((?:[^"\\]|\\.)*)"|(\S+))/gi

/**
 * The outbox search language, as in Gmail and Mailpit:
 * words (`word*` for a prefix) and "quoted phrases" anywhere; `from:`, `to:` (To, Cc and every envelope recipient, so Bcc
 * too), `subject:`, `body:`; `has:attachment`; `is:read` / `is:unread`; `before:` / `after:` a date
 * (`2026-11-25`) or date-time; a leading `-` negates a word or field.
 */
export function compileQuery(query: string): CompiledQuery {
  const terms: string[] = []
  const negated: string[] = []
  const where: string[] = []
  const params: (string | number)[] = []
  for (const m of query.matchAll(TOKEN)) {
    const [, negate, rawField, quoted, bare] = m
    const field = rawField?.toLowerCase()
    const value = quoted !== undefined ? quoted.replace(/\\(.)/g, '$1') : (bare ?? '')
    const not = negate === '-'
    if (field === 'has') {
      if (!/^attachments?$/i.test(value)) throw queryError(`has:${value}`, 'Use has:attachment.')
      where.push(not ? 'm.attachments = 0' : 'm.attachments > 0')
    } else if (field === 'is') {
      const v = value.toLowerCase()
      if (v !== 'read' && v !== 'unread') throw queryError(`is:${value}`, 'Use is:read or is:unread.')
      where.push((v === 'read') !== not ? 'm.is_read = 1' : 'm.is_read = 0')
    } else if (field === 'before' || field === 'after') {
      const time = parseDate(value, field)
      where.push(field === 'before' ? 'm.received_at < ?' : 'm.received_at >= ?')
      params.push(time)
    } else if ((field === 'from' || field === 'to') && !not && /^[^@\s]+@[^@\s]+$/.test(value)) {
      // A whole address: the index finds the few messages with its local part, then the columns are
      // compared exactly. A phrase over "example", "com" would walk every message's positions.
      // A local part of punctuation only ("_@…") has no word for the index to find: the columns alone decide.
      const local = value.slice(0, value.indexOf('@'))
      if (/[\p{L}\p{N}]/u.test(local)) terms.push(`${FIELD_COLUMNS[field]} : ${ftsPhrase(local, false)}`)
      // "Name <addr>" or "addr" as a whole, never a substring: `from:ada@example.test` must not find
      // x.ada@example.test or ada@example.test.evil. LIKE and NOCASE ignore ASCII case, as addresses do.
      const bracketed = `%<${value.replace(/[\\%_]/g, (c) => '\\' + c)}>`
      const matches = (column: string) => `(${column} = ? COLLATE NOCASE OR ${column} LIKE ? ESCAPE '\\')`
      if (field === 'from') {
        where.push(matches('m.from_addr'))
        params.push(value, bracketed)
      } else {
        const inList = (column: string) => `EXISTS (SELECT 1 FROM json_each(${column}) WHERE ${matches('value')})`
        where.push(`(${inList('m.to_addrs')} OR ${inList('m.cc_addrs')} OR ${inList('m.envelope_to')})`)
        params.push(value, bracketed, value, bracketed, value, bracketed)
      }
    } else if (field && FIELD_COLUMNS[field]) {
      ;(not ? negated : terms).push(`${FIELD_COLUMNS[field]} : ${ftsPhrase(value, quoted === undefined)}`)
    } else if (field) {
      // Not a known operator: the colon was part of a word (e.g. a time "10:30" or a URL).
      ;(not ? negated : terms).push(ftsPhrase(`${field}:${value}`, quoted === undefined))
    } else if (value) {
      ;(not ? negated : terms).push(ftsPhrase(value, quoted === undefined))
    }
  }
  if (terms.length === 0 && negated.length > 0) {
    // FTS5 cannot start with NOT: exclusions alone become a subquery over the index.
    where.push('m.id NOT IN (SELECT rowid FROM messages_fts WHERE messages_fts MATCH ?)')
    params.push(negated.join(' OR '))
    return { match: undefined, where, params }
  }
  const match = terms.length ? [terms.join(' AND '), ...negated.map((t) => `NOT ${t}`)].join(' ') : undefined
  return { match, where, params }
}

/**
 * A phrase of the value's tokens. Words match whole words; a word ending in `*` matches as a prefix
 * ("ord*" finds "order"). Prefixes are opt-in because FTS5 materialises every posting of a prefix:
 * a common one costs tens of milliseconds on a million messages, a whole word a fraction of one.
 */
function ftsPhrase(value: string, bare: boolean): string {
  const prefix = bare && value.length > 1 && value.endsWith('*')
  const text = prefix ? value.slice(0, -1) : value
  const quoted = `"${text.replace(/"/g, '""')}"`
  return prefix ? `${quoted} *` : quoted
}

function parseDate(value: string, field: string): number {
  const time = /^\d{4}-\d{2}-\d{2}$/.test(value) ? Date.parse(`${value}T00:00:00`) : Date.parse(value)
  if (Number.isNaN(time)) throw queryError(`${field}:${value}`, 'Dates look like 2026-11-25 or 2026-11-25T14:30.')
  return time
}

function queryError(term: string, hint: string): BackplaneError {
  // The term is echoed cut short: a 40 KB term once came back (and was masked) whole.
  const shown = term.length > 80 ? `${term.slice(0, 80)}…` : term
  return new BackplaneError(ErrorCode.E_INVALID_QUERY, `"${shown}" is not a search Backplane understands.`, { hint })
}
