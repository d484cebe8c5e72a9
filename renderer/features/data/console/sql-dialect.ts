import { MariaSQL, MSSQL, MySQL, PLSQL, PostgreSQL, SQLite, StandardSQL, type SQLDialect } from '@codemirror/lang-sql'

/** The lexical rules the console splits a script by: which quotes and comments hide a `;`. */
export interface ScriptRules {
  /** `$tag$ … $tag$` strings (PostgreSQL). */
  dollarQuotes?: boolean
  /** `\'` inside strings (MySQL). */
  backslashEscapes?: boolean
  backticks?: boolean
  /** `[name]` identifiers (SQLite, SQL Server). */
  brackets?: boolean
  /** `# comment` (MySQL). */
  hashComments?: boolean
  /** `q'[…]'` strings and blocks ended by a `/` line (Oracle). */
  oracle?: boolean
}

export interface ConsoleDialect {
  /** For CodeMirror: highlighting and keyword completion. */
  editor: SQLDialect
  rules: ScriptRules
  /** How a name that needs quoting is written. */
  quote: (name: string) => string
  /** Whether an unquoted name keeps its case (PostgreSQL folds to lower case, so "Users" must be quoted). */
  foldsToLower: boolean
  /** A statement worth trying first, for the empty console. */
  example: string
}

const doubleQuoted = (name: string) => `"${name.replaceAll('"', '""')}"`
const backticked = (name: string) => `\`${name.replaceAll('`', '``')}\``

/**
 * The dialect of an alias's engine, by its id (`postgresql`, `mysql`, `sqlite`…; a custom engine's
 * module spec falls back to standard SQL).
 */
export function consoleDialect(engine: string | undefined): ConsoleDialect {
  const id = (engine ?? '').toLowerCase()
  if (/postgres|pg\b|cockroach|redshift/.test(id)) {
    return { editor: PostgreSQL, rules: { dollarQuotes: true }, quote: doubleQuoted, foldsToLower: true, example: 'SELECT table_schema, table_name FROM information_schema.tables WHERE table_schema = current_schema();' }
  }
  if (/maria/.test(id)) return { editor: MariaSQL, rules: { backslashEscapes: true, backticks: true, hashComments: true }, quote: backticked, foldsToLower: false, example: 'SHOW TABLES;' }
  if (/mysql/.test(id)) return { editor: MySQL, rules: { backslashEscapes: true, backticks: true, hashComments: true }, quote: backticked, foldsToLower: false, example: 'SHOW TABLES;' }
  if (/oracle/.test(id)) return { editor: PLSQL, rules: { oracle: true }, quote: doubleQuoted, foldsToLower: false, example: 'SELECT table_name FROM user_tables;' }
  if (/sqlite/.test(id)) return { editor: SQLite, rules: { backticks: true, brackets: true }, quote: doubleQuoted, foldsToLower: false, example: "SELECT name, type FROM sqlite_master WHERE type IN ('table', 'view');" }
  if (/mssql|sqlserver|tedious/.test(id)) return { editor: MSSQL, rules: { brackets: true }, quote: (name) => `[${name.replaceAll(']', ']]')}]`, foldsToLower: false, example: 'SELECT name FROM sys.tables;' }
  return { editor: StandardSQL, rules: {}, quote: doubleQuoted, foldsToLower: false, example: 'SELECT 1;' }
}
