import type { LexerRules } from './dialect'
import { codeWords, firstKeyword } from './sql-text'

/**
 * Statement kinds that only read. Used as a second fence on servers where DDL commits the transaction
 * first (MySQL, Oracle): there the read-only transaction stops every DML however it is spelled, and this
 * list stops the DDL the transaction cannot. Unknown kinds are refused, not guessed at.
 */
const READERS = new Set(['SELECT', 'WITH', 'SHOW', 'EXPLAIN', 'DESCRIBE', 'DESC', 'TABLE', 'VALUES'])

export function isReaderKeyword(sql: string, rules: LexerRules): boolean {
  return READERS.has(firstKeyword(sql, rules) ?? '')
}

/**
 * Why a statement would destroy data, if it would: DROP and TRUNCATE, and DELETE or UPDATE without a
 * WHERE (in code, not in a string or comment). The GUI asks before running these on a writable alias.
 */
export function destructiveReason(sql: string, rules: LexerRules): string | undefined {
  const first = firstKeyword(sql, rules)
  if (first === 'DROP') return 'drops an object'
  if (first === 'TRUNCATE') return 'empties a table'
  const words = codeWords(sql, rules)
  if (first === 'ALTER' && words.includes('DROP')) return 'drops part of a table'
  if ((first === 'DELETE' || first === 'UPDATE') && !words.includes('WHERE')) return `${first === 'DELETE' ? 'deletes' : 'updates'} every row (no WHERE)`
  return undefined
}
