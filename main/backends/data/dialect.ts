/**
 * What differs in the SQL text between servers. The base builds every statement it makes (pages, filters,
 * edits, EXPLAIN) through the engine's dialect, so neither the renderer nor an engine writes SQL by string
 * pasting of its own.
 */
export interface SqlDialect {
  /** For messages: "PostgreSQL", "MariaDB/MySQL". */
  readonly name: string
  /** How a caller's `?` is written for the server: kept (`?`), numbered `$1` (PostgreSQL) or `:1` (Oracle). */
  readonly placeholder: 'question' | 'dollar' | 'colon'
  /** The lexical rules the statement scanner needs (which quotes, comments and escapes exist). */
  readonly lexer: LexerRules
  /** `"name"`, `` `name` ``; doubles the quote character inside. */
  quoteIdentifier(name: string): string
  /** `LIMIT 10 OFFSET 20` or `OFFSET 20 ROWS FETCH NEXT 10 ROWS ONLY`, appended after ORDER BY. */
  paging(limit: number, offset: number): string
  /** A value written as a literal, for display of a planned statement only (execution binds parameters). */
  literal(value: unknown): string
  /** The statement that shows the plan of `sql`, or undefined when the server has no such form. */
  explain(sql: string): string | undefined
  /** A case-insensitive LIKE on the column as text, with one `?` for the pattern and `!` as its escape character: `CAST(c AS text) ILIKE ? ESCAPE '!'`. */
  likeComparison(quotedColumn: string): string
  /**
   * Whether DDL commits the open transaction first (MySQL, Oracle): then a read-only transaction cannot stop
   * it, and a read-only alias also refuses every statement that is not a reader (see readers.ts).
   */
  readonly ddlCommitsImplicitly: boolean
  /** Starts a transaction for a change set. */
  readonly begin: string
  /** An insert of a row with every column at its default (`DEFAULT VALUES`, MySQL's `() VALUES ()`). */
  emptyInsert?(qualifiedTable: string, firstColumn: string): string
}

export interface LexerRules {
  /** `$tag$ … $tag$` strings (PostgreSQL). */
  dollarQuotes?: boolean
  /** A backslash escapes the next character inside '…' and "…" (MySQL's default sql_mode). */
  backslashEscapes?: boolean
  /** `` `name` `` identifiers (MySQL, SQLite). */
  backticks?: boolean
  /** `[name]` identifiers (SQLite). */
  brackets?: boolean
  /** `# comment` to end of line (MySQL). */
  hashComments?: boolean
  /** `q'[…]'` alternative quoting (Oracle). */
  oracleQuotes?: boolean
  /** `/*! … *\/` and `/*M! … *\/` run as code (MySQL, MariaDB: every mysqldump file starts with them). */
  executableComments?: boolean
}

/** A quote character doubled inside, which is how every server here escapes it. */
export function quoteWith(quote: string, name: string, closing = quote): string {
  return `${quote}${name.split(closing).join(closing + closing)}${closing}`
}

/** The literal forms every dialect shares; engines override for bytes, booleans and dates. */
export function standardLiteral(value: unknown, bytes: (b: Uint8Array) => string = (b) => `X'${Buffer.from(b).toString('hex')}'`): string {
  if (value === null || value === undefined) return 'NULL'
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : `'${String(value)}'`
  if (typeof value === 'bigint') return value.toString()
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE'
  if (value instanceof Uint8Array) return bytes(value)
  if (value instanceof Date) return `'${value.toISOString()}'`
  const text = typeof value === 'string' ? value : JSON.stringify(value)
  return `'${text.split("'").join("''")}'`
}

/** ANSI SQL as SQLite and PostgreSQL mostly speak it; engines spread it and override what differs. */
export const standardDialect: SqlDialect = {
  name: 'SQL',
  placeholder: 'question',
  lexer: {},
  quoteIdentifier: (name) => quoteWith('"', name),
  paging: (limit, offset) => `LIMIT ${Math.trunc(limit)}${offset > 0 ? ` OFFSET ${Math.trunc(offset)}` : ''}`,
  literal: (value) => standardLiteral(value),
  explain: (sql) => `EXPLAIN ${sql}`,
  likeComparison: (column) => `${column} LIKE ? ESCAPE '!'`,
  ddlCommitsImplicitly: false,
  begin: 'BEGIN',
}
