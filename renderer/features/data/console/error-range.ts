import type { ScriptRules } from './sql-dialect'
import { splitScript } from './sql-statements'

export interface TextRange {
  from: number
  to: number
}

interface Failure {
  statementIndex: number
  message: string
  /** 0-based offset into the text that was sent, when the server said where. */
  position?: number | undefined
}

/** The word at `at` (an identifier, a number, a keyword), or the one character there. */
function wordAt(text: string, at: number): TextRange {
  const from = Math.max(0, Math.min(at, text.length - 1))
  const word = /^[\p{L}\p{N}_$]+/u.exec(text.slice(from))
  return { from, to: from + (word ? word[0].length : 1) }
}

/**
 * The text a message points at: SQLite's `near "FROM"` and MySQL's `near 'FROM x'` (the rest of the
 * statement from the error on), SQLite's `no such column: nme`, or the first name quoted in it
 * (MySQL's `Unknown column 'nme'`, PostgreSQL's `column "nme" does not exist`).
 */
function pointedAt(message: string): { text: string; exact: boolean }[] {
  const found: { text: string; exact: boolean }[] = []
  const near = /near (?:"([^"]+)"|'([^']{1,40}))/.exec(message)
  if (near?.[1]) found.push({ text: near[1], exact: true })
  else if (near?.[2]?.trim()) found.push({ text: near[2].trim(), exact: false })
  const noSuch = /no such \w+: ([^\s,;]+)/i.exec(message)
  if (noSuch?.[1]) found.push({ text: noSuch[1].replace(/^\w+\./, ''), exact: true })
  const quoted = /["'`]([^"'`\s]{1,128})["'`]/.exec(message)
  if (quoted?.[1] && !near) found.push({ text: quoted[1], exact: true })
  return found
}

/**
 * Where to underline a failure in the text that was sent: the server's position when it gave one;
 * else the token its message names, inside the failing statement; else that whole statement.
 */
export function errorRange(sent: string, failure: Failure, rules: ScriptRules): TextRange {
  if (sent.length === 0) return { from: 0, to: 0 }
  if (typeof failure.position === 'number' && Number.isFinite(failure.position)) return wordAt(sent, Math.trunc(failure.position))
  const statement = splitScript(sent, rules)[failure.statementIndex]
  const span = statement ?? { from: 0, to: sent.length, text: sent }
  // The `;` that ends the statement is not part of it, but SQLite may name it (`near ";"`).
  const region = sent.slice(span.from, span.to + 1)
  for (const { text, exact } of pointedAt(failure.message)) {
    const at = region.indexOf(text)
    const found = at >= 0 ? at : region.toLowerCase().indexOf(text.toLowerCase())
    if (found >= 0) return exact ? { from: span.from + found, to: span.from + found + text.length } : wordAt(sent, span.from + found)
  }
  return { from: span.from, to: span.to }
}
