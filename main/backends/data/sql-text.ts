import type { LexerRules, SqlDialect } from './dialect'

/**
 * A scanner that knows where SQL text is code and where it is a string, a quoted identifier or a comment,
 * so that `?` placeholders are translated and scripts split on `;` only in code. It is not a parser: it
 * tracks exactly the lexical states that can hide a `?` or a `;`.
 */

export interface ScannedStatement {
  /** The statement's text without the `;` that ended it, trimmed. */
  text: string
  /** Offset of `text` in the script, so that a server's error position maps back onto the editor. */
  start: number
}

type Visit = (kind: 'code' | 'placeholder' | 'escaped-question' | 'end', at: number) => void

/** Walks the text once, calling `visit` for each character of code, each `?` and each `;`. */
function scan(sql: string, rules: LexerRules, visit: Visit): void {
  let i = 0
  let inExecutable = false
  const n = sql.length
  const isWord = (c: string | undefined) => c !== undefined && /[A-Za-z0-9_$]/.test(c)
  while (i < n) {
    const c = sql[i]!
    const next = sql[i + 1]
    if (c === "'" || c === '"') {
      // An E'…' string (PostgreSQL) takes backslash escapes even where standard strings do not.
      const escaped = rules.backslashEscapes || (rules.dollarQuotes && c === "'" && /[eE]/.test(sql[i - 1] ?? '') && !isWord(sql[i - 2]))
      i = skipQuoted(sql, i, c, Boolean(escaped))
      continue
    }
    if (c === '`' && rules.backticks) {
      i = skipQuoted(sql, i, '`', false)
      continue
    }
    if (c === '[' && rules.brackets) {
      const close = sql.indexOf(']', i + 1)
      i = close < 0 ? n : close + 1
      continue
    }
    if (c === '-' && next === '-' && (!rules.hashComments || i + 2 >= n || /\s/.test(sql[i + 2]!))) {
      const eol = sql.indexOf('\n', i)
      i = eol < 0 ? n : eol
      continue
    }
    if (c === '#' && rules.hashComments) {
      const eol = sql.indexOf('\n', i)
      i = eol < 0 ? n : eol
      continue
    }
    if (c === '/' && next === '*') {
      const executable = rules.executableComments ? /^\/\*M?!\d{0,6}/.exec(sql.slice(i, i + 10)) : null
      if (executable) {
        // Its body is code: scanning goes on inside it, and its closing `*\/` is skipped on the way.
        i += executable[0].length
        inExecutable = true
        continue
      }
      i = skipBlockComment(sql, i, Boolean(rules.dollarQuotes))
      continue
    }
    if (inExecutable && c === '*' && next === '/') {
      inExecutable = false
      i += 2
      continue
    }
    if (c === '$' && rules.dollarQuotes && !isWord(sql[i - 1])) {
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i, i + 66))
      if (tag) {
        const close = sql.indexOf(tag[0], i + tag[0].length)
        i = close < 0 ? n : close + tag[0].length
        continue
      }
    }
    if (rules.oracleQuotes && (c === 'q' || c === 'Q') && next === "'" && !isWord(sql[i - 1])) {
      const open = sql[i + 2] ?? ''
      const closer = ({ '[': ']', '(': ')', '{': '}', '<': '>' } as Record<string, string>)[open] ?? open
      const close = sql.indexOf(`${closer}'`, i + 3)
      i = close < 0 ? n : close + 2
      continue
    }
    if (c === '?') {
      // `??` is a literal `?` (PostgreSQL's jsonb operators), as JDBC spells it.
      if (next === '?') {
        visit('escaped-question', i)
        i += 2
        continue
      }
      visit('placeholder', i)
      i++
      continue
    }
    visit(c === ';' ? 'end' : 'code', i)
    i++
  }
}

function skipQuoted(sql: string, from: number, quote: string, backslashEscapes: boolean): number {
  let i = from + 1
  while (i < sql.length) {
    const c = sql[i]
    if (backslashEscapes && c === '\\') {
      i += 2
      continue
    }
    if (c === quote) {
      if (sql[i + 1] === quote) {
        i += 2
        continue
      }
      return i + 1
    }
    i++
  }
  return sql.length
}

/** PostgreSQL nests block comments; the others end at the first `*\/`. */
function skipBlockComment(sql: string, from: number, nested: boolean): number {
  let depth = 0
  let i = from
  while (i < sql.length) {
    if (sql[i] === '/' && sql[i + 1] === '*') {
      depth++
      i += 2
      if (!nested && depth > 1) depth = 1
      continue
    }
    if (sql[i] === '*' && sql[i + 1] === '/') {
      depth--
      i += 2
      if (depth === 0) return i
      continue
    }
    i++
  }
  return sql.length
}

export interface TranslatedSql {
  sql: string
  /** How many `?` there were. */
  placeholders: number
  /** Maps a 0-based offset in the translated text back to the caller's text. */
  originalOffset(offset: number): number
}

/**
 * `?` → `$1` or `:1` (or what `write` makes of the n-th, such as a literal for display), only where `?`
 * is code; `??` → `?`. With `parameters: false` (a statement sent
 * without any, such as a script's) a `?` stays a `?`, so PostgreSQL's jsonb `?` operator works unescaped.
 */
export function translatePlaceholders(
  sql: string,
  dialect: Pick<SqlDialect, 'placeholder' | 'lexer'>,
  { parameters = true, write }: { parameters?: boolean; write?: (n: number) => string } = {},
): TranslatedSql {
  // Where each piece starts in the output and in the input, for mapping a server's error position back.
  const shifts: { out: number; in: number }[] = [{ out: 0, in: 0 }]
  let out = ''
  let copiedTo = 0
  let count = 0
  const replace = (at: number, length: number, written: string) => {
    out += sql.slice(copiedTo, at)
    shifts.push({ out: out.length, in: at })
    out += written
    copiedTo = at + length
    shifts.push({ out: out.length, in: copiedTo })
  }
  scan(sql, dialect.lexer, (kind, at) => {
    if (kind === 'escaped-question') replace(at, 2, '?')
    if (kind !== 'placeholder') return
    count++
    if (!parameters) return
    if (write) replace(at, 1, write(count))
    else if (dialect.placeholder === 'dollar') replace(at, 1, `$${count}`)
    else if (dialect.placeholder === 'colon') replace(at, 1, `:${count}`)
  })
  out += sql.slice(copiedTo)
  return { sql: out, placeholders: count, originalOffset: (offset) => mapBack(shifts, offset) }
}

function mapBack(shifts: { out: number; in: number }[], offset: number): number {
  let best = shifts[0]!
  for (const s of shifts) if (s.out <= offset) best = s
  return best.in + (offset - best.out)
}

const BLOCK_START = /^create\s+(or\s+replace\s+)?(temp\s+|temporary\s+)?(trigger|procedure|function|package|type|event)\b/i
/** An anonymous PL/SQL block (Oracle only: elsewhere BEGIN starts a transaction). */
const PLSQL_BLOCK = /^(begin|declare)\b/i

/**
 * Splits a script into statements on `;` in code. A statement with a body that holds `;` of its own (a
 * trigger, a `BEGIN ATOMIC` function, an Oracle PL/SQL block) runs to its matching END; Oracle's blocks
 * also end at a line holding only `/`.
 */
export function splitStatements(sql: string, rules: LexerRules): ScannedStatement[] {
  const ends: number[] = []
  const codeMask = new Uint8Array(sql.length)
  scan(sql, rules, (kind, at) => {
    if (kind === 'end') ends.push(at)
    else codeMask[at] = 1
  })
  const statements: ScannedStatement[] = []
  const push = (from: number, to: number) => {
    const raw = sql.slice(from, to)
    const lead = raw.length - raw.trimStart().length
    const text = raw.trim()
    if (text && !isOnlyComments(text, rules)) statements.push({ text, start: from + lead })
  }
  // Oracle: a line holding only `/` (in code) ends whatever is open, as in SQL*Plus; `;` splits within.
  for (const [from, to] of rules.oracleQuotes ? slashLines(sql, codeMask) : [[0, sql.length] as const]) {
    let start = from
    for (const end of ends) {
      if (end < start || end >= to) continue
      const sofar = sql.slice(start, end)
      // A PL/SQL unit holds `;` of its own in its declarations and body; only the `/` line ends it.
      if (rules.oracleQuotes && PLSQL_UNIT.test(stripLeadingComments(sofar, rules))) continue
      if (insideBlock(sofar, codeMask, start, rules)) continue
      push(start, end)
      start = end + 1
    }
    const rest = sql.slice(start, to)
    // The unit's last `;` is its own; dropped like every statement's, for the engine to put back.
    push(start, PLSQL_UNIT.test(stripLeadingComments(rest, rules)) && rules.oracleQuotes ? start + rest.replace(/;\s*$/, '').length : to)
  }
  return statements
}

/** DECLARE and BEGIN blocks and the CREATE of a stored unit: PL/SQL, whose `;` end its own statements. */
const PLSQL_UNIT = /^(begin|declare|create\s+(or\s+replace\s+)?((non)?editionable\s+)?(procedure|function|package|trigger|type|library)\b)/i

/** [from, to] of the pieces between lines holding only `/` where that `/` is code (not in a string or comment). */
function slashLines(sql: string, codeMask: Uint8Array): (readonly [number, number])[] {
  const pieces: (readonly [number, number])[] = []
  const line = /^[ \t]*\/[ \t]*$/gm
  let from = 0
  let m: RegExpExecArray | null
  while ((m = line.exec(sql))) {
    const at = m.index + m[0].indexOf('/')
    if (!codeMask[at]) continue
    pieces.push([from, m.index])
    from = m.index + m[0].length
  }
  pieces.push([from, sql.length])
  return pieces
}

/** Whether `;` at the end of `text` falls inside a trigger or block body (BEGIN … END not yet closed). */
function insideBlock(text: string, codeMask: Uint8Array, offset: number, rules: LexerRules): boolean {
  const head = stripLeadingComments(text, rules)
  const atomic = /\bbegin\s+atomic\b/i.test(text)
  const plsql = Boolean(rules.oracleQuotes) && PLSQL_BLOCK.test(head)
  if (!BLOCK_START.test(head) && !atomic && !plsql) return false
  // PostgreSQL's DO and CREATE FUNCTION bodies are dollar-quoted strings, so their `;` never reach here.
  if (rules.dollarQuotes && !atomic && !/^create\s+(or\s+replace\s+)?(temp\s+|temporary\s+)?trigger/i.test(head)) return false
  if (!plsql && !/\b(begin|as|is)\b/i.test(text)) return false
  let depth = 0
  const words = /\b(begin|case|end|if|loop)\b/gi
  let m: RegExpExecArray | null
  while ((m = words.exec(text))) {
    if (!codeMask[offset + m.index]) continue
    const w = m[1]!.toLowerCase()
    const after = text.slice(m.index + w.length).trimStart().toLowerCase()
    if (w === 'end') {
      // END IF, END LOOP, END CASE close what IF/LOOP/CASE opened; both count, so they cancel out.
      depth--
      if (/^(if|loop|case)\b/.test(after)) words.lastIndex = m.index + w.length + (text.slice(m.index + w.length).length - after.length) + after.match(/^\w+/)![0].length
    } else if (w === 'if' || w === 'loop') {
      // Only PL/SQL and MySQL blocks have IF … END IF; in SQL, IF( is a function.
      if (/^\(/.test(after) || /\bend\s*$/i.test(text.slice(0, m.index))) continue
      depth++
    } else depth++
  }
  return depth > 0
}

function isOnlyComments(text: string, rules: LexerRules): boolean {
  return stripLeadingComments(text, rules) === ''
}

function stripLeadingComments(text: string, rules: LexerRules): string {
  let rest = text.trimStart()
  for (;;) {
    if (rest.startsWith('--')) rest = rest.slice(rest.indexOf('\n') < 0 ? rest.length : rest.indexOf('\n')).trimStart()
    else if (rules.hashComments && rest.startsWith('#')) rest = rest.slice(rest.indexOf('\n') < 0 ? rest.length : rest.indexOf('\n')).trimStart()
    else if (rules.executableComments && /^\/\*M?!/.test(rest)) return rest.replace(/^\/\*M?!\d{0,6}\s*/, '')
    else if (rest.startsWith('/*')) rest = rest.slice(skipBlockComment(rest, 0, Boolean(rules.dollarQuotes))).trimStart()
    else return rest
  }
}

/** The statement's first keyword in capitals (`SELECT`, `WITH`), past comments and opening parentheses. */
export function firstKeyword(sql: string, rules: LexerRules): string | undefined {
  const head = stripLeadingComments(sql, rules).replace(/^\(+\s*/, '')
  return /^[A-Za-z_]+/.exec(head)?.[0].toUpperCase()
}

/** The words that are code (not inside strings, quoted identifiers or comments), in capitals. */
export function codeWords(sql: string, rules: LexerRules): string[] {
  let code = ''
  let last = -1
  scan(sql, rules, (kind, at) => {
    // Something skipped (a string, a comment) separates words as a space would.
    if (at !== last + 1) code += ' '
    code += kind === 'code' ? sql[at] : ' '
    last = at
  })
  return code.toUpperCase().match(/[A-Z_][A-Z0-9_$]*/g) ?? []
}

/** Where `needle` first stands in code (not in a string, quoted name or comment), or -1. */
export function indexInCode(sql: string, needle: string, rules: LexerRules): number {
  if (!needle) return -1
  const code = new Uint8Array(sql.length)
  scan(sql, rules, (kind, at) => {
    if (kind !== 'escaped-question') code[at] = 1
    else code[at] = code[at + 1] = 1
  })
  // A word is found as a whole word: "t" is not the t of "SELECT".
  const word = /^\w/.test(needle) && /\w$/.test(needle)
  const isWordChar = (c: string | undefined) => c !== undefined && /\w/.test(c)
  for (let at = sql.indexOf(needle); at >= 0; at = sql.indexOf(needle, at + 1)) {
    let inCode = true
    for (let k = at; k < at + needle.length && inCode; k++) inCode = code[k] === 1
    if (inCode && word && (isWordChar(sql[at - 1]) || isWordChar(sql[at + needle.length]))) inCode = false
    if (inCode) return at
  }
  return -1
}
