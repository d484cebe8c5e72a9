import type { ScriptRules } from './sql-dialect'

/** One statement of the editor's text: where it is, without the `;` that ends it, trimmed. */
export interface StatementSpan {
  from: number
  to: number
  text: string
}

/**
 * Where the text is code, and where the `;` that end statements are. The renderer cannot import the
 * server's scanner (main/backends/data/sql-text.ts), so this follows the same rules in short: quotes,
 * comments and dollar quotes hide a `;`, and a trigger or block body runs to its END. It only has to
 * agree with the server on where statements are, for "run the statement under the cursor" and for
 * underlining the one that failed.
 */
function scan(sql: string, rules: ScriptRules): { ends: number[]; code: Uint8Array } {
  const code = new Uint8Array(sql.length)
  const ends: number[] = []
  const n = sql.length
  const isWord = (c: string | undefined) => c !== undefined && /[A-Za-z0-9_$]/.test(c)
  let i = 0
  while (i < n) {
    const c = sql[i]!
    const next = sql[i + 1]
    if (c === "'" || c === '"' || (c === '`' && rules.backticks)) {
      const escapes = rules.backslashEscapes || (rules.dollarQuotes && c === "'" && /[eE]/.test(sql[i - 1] ?? '') && !isWord(sql[i - 2]))
      i = skipQuoted(sql, i, c, Boolean(escapes) && c !== '`')
    } else if (c === '[' && rules.brackets) {
      const close = sql.indexOf(']', i + 1)
      i = close < 0 ? n : close + 1
    } else if ((c === '-' && next === '-') || (c === '#' && rules.hashComments)) {
      const eol = sql.indexOf('\n', i)
      i = eol < 0 ? n : eol
    } else if (c === '/' && next === '*') {
      const close = sql.indexOf('*/', i + 2)
      i = close < 0 ? n : close + 2
    } else if (c === '$' && rules.dollarQuotes && !isWord(sql[i - 1]) && /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.test(sql.slice(i, i + 66))) {
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i, i + 66))![0]
      const close = sql.indexOf(tag, i + tag.length)
      i = close < 0 ? n : close + tag.length
    } else if (rules.oracle && (c === 'q' || c === 'Q') && next === "'" && !isWord(sql[i - 1])) {
      const open = sql[i + 2] ?? ''
      const closer = ({ '[': ']', '(': ')', '{': '}', '<': '>' } as Record<string, string>)[open] ?? open
      const close = sql.indexOf(`${closer}'`, i + 3)
      i = close < 0 ? n : close + 2
    } else {
      if (c === ';') ends.push(i)
      else code[i] = 1
      i++
    }
  }
  return { ends, code }
}

function skipQuoted(sql: string, from: number, quote: string, backslashEscapes: boolean): number {
  for (let i = from + 1; i < sql.length; i++) {
    const c = sql[i]
    if (backslashEscapes && c === '\\') i++
    else if (c === quote) {
      if (sql[i + 1] !== quote) return i + 1
      i++
    }
  }
  return sql.length
}

const BLOCK_START = /^(create\s+(or\s+replace\s+)?(temp\s+|temporary\s+)?(trigger|procedure|function|package|type|event)\b|begin\b|declare\b)/i

/** Whether a `;` right after `text` is inside a body (BEGIN … END not yet closed). */
function insideBlock(text: string, code: Uint8Array, offset: number, rules: ScriptRules): boolean {
  const head = withoutLeadingComments(text)
  const atomic = /\bbegin\s+atomic\b/i.test(text)
  if (!BLOCK_START.test(head) && !atomic) return false
  // PostgreSQL's function bodies are dollar-quoted, so only its triggers and BEGIN ATOMIC hold bare `;`.
  if (rules.dollarQuotes && !atomic && !/^create\s+(or\s+replace\s+)?(temp\s+|temporary\s+)?trigger/i.test(head)) return false
  if (/^create\b/i.test(head) && !/\b(begin|as|is)\b/i.test(text)) return false
  let depth = 0
  for (const m of text.matchAll(/\b(begin|case|end(?:\s+(?:if|loop|case))?|if|loop)\b/gi)) {
    if (!code[offset + m.index]) continue
    const word = m[1]!.toLowerCase().replace(/\s+/, ' ')
    // IF and LOOP are not counted, and neither are their END IF and END LOOP (IF( is also a function).
    if (word === 'end' || word === 'end case') depth--
    else if (word === 'begin' || word === 'case') depth++
  }
  return depth > 0
}

function withoutLeadingComments(text: string): string {
  let rest = text.trimStart()
  for (;;) {
    if (rest.startsWith('--') || rest.startsWith('#')) rest = rest.slice(rest.includes('\n') ? rest.indexOf('\n') : rest.length).trimStart()
    else if (rest.startsWith('/*')) rest = rest.slice(rest.includes('*/') ? rest.indexOf('*/') + 2 : rest.length).trimStart()
    else return rest
  }
}

/** Every statement of a script, in order, as the server will run them. */
export function splitScript(sql: string, rules: ScriptRules): StatementSpan[] {
  const { ends, code } = scan(sql, rules)
  const spans: StatementSpan[] = []
  const push = (from: number, to: number) => {
    const raw = sql.slice(from, to)
    const text = raw.trim()
    if (text === '' || withoutLeadingComments(text) === '') return
    const start = from + (raw.length - raw.trimStart().length)
    spans.push({ from: start, to: start + text.length, text })
  }
  let start = 0
  for (const end of ends) {
    if (insideBlock(sql.slice(start, end), code, start, rules)) continue
    push(start, end)
    start = end + 1
  }
  push(start, sql.length)
  return rules.oracle ? spans.flatMap((span) => splitOnSlashLines(span)) : spans
}

/** Oracle's SQL*Plus habit: a line holding only `/` ends a PL/SQL block. */
function splitOnSlashLines(span: StatementSpan): StatementSpan[] {
  const out: StatementSpan[] = []
  const line = /\n[ \t]*\/[ \t]*(?:\n|$)/g
  let from = 0
  const take = (to: number) => {
    const raw = span.text.slice(from, to)
    const text = raw.trim()
    if (text) {
      const at = span.from + from + (raw.length - raw.trimStart().length)
      out.push({ from: at, to: at + text.length, text })
    }
  }
  for (const m of span.text.matchAll(line)) {
    take(m.index)
    from = m.index + m[0].length
  }
  take(span.text.length)
  return out
}

/**
 * The statement the cursor is in: the one it touches (its `;` included), else the one that ends
 * before it on the same stretch of text, else the next one. Undefined for a text of comments only.
 */
export function statementAt(sql: string, pos: number, rules: ScriptRules): StatementSpan | undefined {
  const spans = splitScript(sql, rules)
  const touching = spans.find((s) => pos >= s.from && pos <= s.to + 1)
  if (touching) return touching
  const before = spans.filter((s) => s.to < pos).at(-1)
  // After the last statement, or in the blank lines below one, DBeaver and TablePlus run that one.
  if (before && (!/\n\s*\n/.test(sql.slice(before.to, pos)) || !spans.some((s) => s.from > pos))) return before
  return spans.find((s) => s.from > pos) ?? before
}

/** The statement's first keyword, for a result tab's title ("SELECT", "INSERT"). */
export function leadingKeyword(sql: string): string {
  const match = /^[\s(]*([A-Za-z]+)/.exec(withoutLeadingComments(sql))
  return match ? match[1]!.toUpperCase() : 'SQL'
}

/** Whether running the statement again only reads (so "load more rows" may run it again). */
export function onlyReads(sql: string): boolean {
  const head = leadingKeyword(sql)
  // SELECT … INTO makes a table; FOR UPDATE takes locks.
  if (head === 'SELECT') return !/\b(into|for\s+update)\b/i.test(sql)
  if (head === 'WITH') return !/\b(insert|update|delete|merge|into)\b/i.test(sql)
  return ['VALUES', 'TABLE', 'SHOW', 'DESCRIBE', 'DESC'].includes(head)
}
