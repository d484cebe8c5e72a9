import { escape, format, raw, type SqlValue } from 'mysql2'
import { BackplaneError, ErrorCode } from '../../../core/errors'
import { quoteWith, standardDialect, standardLiteral, type SqlDialect } from '../dialect'

/** MySQL's and MariaDB's SQL text: backticks, backslash escapes in strings, `#` comments, `?` placeholders. */
export const mysqlDialect: SqlDialect = {
  ...standardDialect,
  name: 'MySQL/MariaDB',
  placeholder: 'question',
  lexer: { backslashEscapes: true, backticks: true, hashComments: true, executableComments: true },
  quoteIdentifier: (name) => quoteWith('`', name),
  paging: (limit, offset) => `LIMIT ${Math.trunc(limit)}${offset > 0 ? ` OFFSET ${Math.trunc(offset)}` : ''}`,
  literal: mysqlLiteral,
  explain: (sql) => `EXPLAIN ${sql}`,
  // CAST … AS CHAR compares in the connection's collation, which is case-insensitive (utf8mb4_general_ci).
  likeComparison: (column) => `CAST(${column} AS CHAR) LIKE ? ESCAPE '!'`,
  // CREATE, ALTER, DROP, TRUNCATE, RENAME commit the open transaction first: a read-only transaction cannot stop them.
  ddlCommitsImplicitly: true,
  emptyInsert: (table) => `INSERT INTO ${table} () VALUES ()`,
  begin: 'START TRANSACTION',
}

/** A literal for reading: in MySQL's default sql_mode a backslash escapes, so it is doubled as the quote is. */
function mysqlLiteral(value: unknown): string {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'NULL' : `'${value.toISOString().replace('T', ' ').replace('Z', '')}'`
  const text = typeof value === 'string' ? value : typeof value === 'object' && value !== null && !(value instanceof Uint8Array) ? JSON.stringify(value) : undefined
  if (text === undefined) return standardLiteral(value)
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`
}

export interface BoundSql {
  /** The statement with each parameter written in as a literal: what the server parses. */
  sql: string
  /** Maps an offset in `sql` back to the statement as the base sent it (a parameter maps to its `?`). */
  sentOffset(offset: number): number
}

/**
 * The parameters written into the statement on the client, as mysql2's text protocol does (server-side
 * prepared statements would change the result types and refuse some statements). mysql2's own scanner
 * finds the placeholders: formatting with a one-character marker for each keeps every offset, so the
 * placeholders are where the two texts differ. The connection's sql_mode never has NO_BACKSLASH_ESCAPES
 * (see the engine's session setup), so mysql2's backslash escaping is the server's.
 */
export function bindParameters(sql: string, params: readonly unknown[]): BoundSql {
  if (params.length === 0) return { sql, sentOffset: (offset) => offset }
  const marked = format(sql, params.map(() => raw('\u0000')))
  const positions: number[] = []
  for (let i = 0; i < sql.length && marked.length === sql.length; i++) if (marked[i] !== sql[i]) positions.push(i)
  if (positions.length !== params.length) {
    throw new BackplaneError(ErrorCode.E_INVALID_INPUT, `The statement has ${positions.length} placeholder(s) (?) but ${params.length} parameter(s) were given.`, {
      hint: 'Give one parameter for each ? in the statement (a ? inside quotes or a comment is not one).',
    })
  }
  // Where each written value starts in the output, and how long it is, for mapping offsets back.
  const pieces: { out: number; at: number; length: number }[] = []
  let out = ''
  let copied = 0
  positions.forEach((at, i) => {
    out += sql.slice(copied, at)
    // Parameters are the JSON cells' decoded values (fromJsonParam): text, numbers, booleans, null, bytes, lists.
    const literal = escape(params[i] as SqlValue, false, 'Z')
    pieces.push({ out: out.length, at, length: literal.length })
    out += literal
    copied = at + 1
  })
  out += sql.slice(copied)
  return {
    sql: out,
    sentOffset(offset) {
      let shift = 0
      for (const piece of pieces) {
        if (offset < piece.out) break
        if (offset < piece.out + piece.length) return piece.at
        shift = piece.out + piece.length - (piece.at + 1)
      }
      return offset - shift
    },
  }
}

/**
 * Where a syntax error is, from the server's "… near '<text>' at line N": the text is where the parser
 * stopped (cut to 80 characters), found at or after the start of line N of the statement as parsed; an
 * empty text means the statement ended too early. 0-based, in `parsed`.
 */
export function nearPosition(message: string, parsed: string): number | undefined {
  const match = /near '([\s\S]*)' at line (\d+)\s*$/.exec(message)
  if (!match) return undefined
  const near = match[1]!
  let lineStart = 0
  for (let line = 1; line < Number(match[2]); line++) {
    const eol = parsed.indexOf('\n', lineStart)
    if (eol < 0) break
    lineStart = eol + 1
  }
  if (near === '') return parsed.trimEnd().length
  const at = parsed.indexOf(near, lineStart)
  if (at >= 0) return at
  const anywhere = parsed.indexOf(near)
  return anywhere >= 0 ? anywhere : undefined
}
