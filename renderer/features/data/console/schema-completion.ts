import type { Completion, CompletionContext, CompletionResult, CompletionSource } from '@codemirror/autocomplete'
import type { ConsoleDialect } from './sql-dialect'
import { statementAt } from './sql-statements'

export interface CatalogTable {
  schema?: string | undefined
  name: string
  type: 'table' | 'view'
}

/** What completion knows of the database: loaded on demand and cached by the caller (per alias). */
export interface SchemaCatalog {
  tables(): Promise<readonly CatalogTable[]>
  columns(table: CatalogTable): Promise<readonly { name: string; type?: string | undefined }[]>
}

const IDENTIFIER = /"(?:[^"]|"")+"|`(?:[^`]|``)+`|\[[^\]]+\]|[\p{L}_][\p{L}\p{N}_$]*|\./gu
const WORD = /[\p{L}\p{N}_$]*$/u
/** Words that follow a table name without being its alias. */
const NOT_AN_ALIAS = new Set(
  'where join inner left right full outer cross natural on using set values group order having limit offset union except intersect window for returning as select from into default and or not lateral fetch'.split(' '),
)

const unquote = (token: string) => (/^["`[]/.test(token) ? token.slice(1, -1).replace(/""|``/g, (q) => q[0]!) : token)
const sameName = (a: string, b: string) => a.toLowerCase() === b.toLowerCase()

/** Tables a statement names, each with the alias it is given there (`FROM auth_user u`). */
export function tablesNamedIn(statement: string, tables: readonly CatalogTable[]): { table: CatalogTable; alias?: string }[] {
  const tokens = [...statement.matchAll(IDENTIFIER)].map((m) => m[0])
  const found: { table: CatalogTable; alias?: string }[] = []
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i] === '.' || tokens[i + 1] === '.') continue
    const name = unquote(tokens[i]!)
    const schema = tokens[i - 1] === '.' && tokens[i - 2] ? unquote(tokens[i - 2]!) : undefined
    const table = tables.find((t) => sameName(t.name, name) && (schema === undefined || sameName(t.schema ?? '', schema)))
    if (!table) continue
    let next = tokens[i + 1]
    if (next && sameName(next, 'as')) next = tokens[i + 2]
    const alias = next && next !== '.' && !NOT_AN_ALIAS.has(next.toLowerCase()) && !tables.some((t) => sameName(t.name, unquote(next!))) ? unquote(next) : undefined
    if (!found.some((f) => f.table === table && f.alias === alias)) found.push(alias ? { table, alias } : { table })
  }
  return found
}

/** A name as it must be typed: quoted when it is not a plain identifier (or, in PostgreSQL, not lower case). */
function typed(name: string, dialect: ConsoleDialect): string {
  const plain = dialect.foldsToLower ? /^[a-z_][a-z0-9_$]*$/ : /^[A-Za-z_][A-Za-z0-9_$]*$/
  return plain.test(name) ? name : dialect.quote(name)
}

/**
 * Tables, then the columns of the tables the statement names (`alias.` and `table.` give that table's
 * columns only). The dialect's own keyword completion runs beside it.
 */
export function schemaCompletion(catalog: SchemaCatalog, dialect: ConsoleDialect): CompletionSource {
  return async (context: CompletionContext): Promise<CompletionResult | null> => {
    const doc = context.state.doc.toString()
    const statement = statementAt(doc, context.pos, dialect.rules)
    const from = statement && statement.from <= context.pos ? statement.from : context.pos
    const before = doc.slice(from, context.pos)
    const word = WORD.exec(before)![0]
    const dotted = /("(?:[^"]|"")+"|`(?:[^`]|``)+`|\[[^\]]+\]|[\p{L}_][\p{L}\p{N}_$]*)\s*\.\s*[\p{L}\p{N}_$]*$/u.exec(before)
    if (!dotted && word === '' && !context.explicit) return null
    let tables: readonly CatalogTable[]
    try {
      tables = await catalog.tables()
    } catch {
      return null
    }
    if (context.aborted) return null
    const named = tablesNamedIn(statement?.text ?? '', tables)
    const start = context.pos - word.length
    if (dotted) {
      const qualifier = unquote(dotted[1]!)
      const target = named.find((n) => n.alias !== undefined && sameName(n.alias, qualifier))?.table ?? tables.find((t) => sameName(t.name, qualifier))
      if (target) return { from: start, options: await columnOptions(catalog, [target], dialect, 10), validFor: /^[\p{L}\p{N}_$]*$/u }
      const inSchema = tables.filter((t) => t.schema !== undefined && sameName(t.schema, qualifier))
      if (inSchema.length === 0) return null
      return { from: start, options: inSchema.map((t) => tableOption(t, dialect, 10)), validFor: /^[\p{L}\p{N}_$]*$/u }
    }
    // Right after FROM, JOIN, UPDATE, INTO or TABLE only a table makes sense.
    const wantsTable = /\b(from|join|update|into|table)\s+[\p{L}\p{N}_$]*$/iu.test(before)
    const options = tables.map((t) => tableOption(t, dialect, wantsTable ? 10 : 1))
    if (!wantsTable && named.length > 0) options.push(...(await columnOptions(catalog, named.map((n) => n.table), dialect, 5)))
    return { from: start, options, validFor: /^[\p{L}\p{N}_$]*$/u }
  }
}

function tableOption(table: CatalogTable, dialect: ConsoleDialect, boost: number): Completion {
  return { label: table.name, apply: typed(table.name, dialect), type: table.type === 'view' ? 'interface' : 'class', detail: table.schema ? `${table.type} in ${table.schema}` : table.type, boost }
}

async function columnOptions(catalog: SchemaCatalog, tables: readonly CatalogTable[], dialect: ConsoleDialect, boost: number): Promise<Completion[]> {
  const byName = new Map<string, Completion>()
  const described = await Promise.all(tables.map((t) => catalog.columns(t).then((columns) => ({ t, columns }), () => ({ t, columns: [] }))))
  for (const { t, columns } of described) {
    for (const column of columns) {
      const seen = byName.get(column.name)
      if (seen) seen.detail = `${seen.detail}, ${t.name}`
      else byName.set(column.name, { label: column.name, apply: typed(column.name, dialect), type: 'property', detail: `${column.type ? `${column.type.toLowerCase()} · ` : ''}${t.name}`, boost })
    }
  }
  return [...byName.values()]
}
