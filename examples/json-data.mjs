// A custom data engine: a folder of JSON files, each an array of objects, read as tables. It understands
//   SELECT * FROM <table> [LIMIT n]
// the page the table view asks for (its columns, ORDER BY, LIMIT, OFFSET; no filters), and a SELECT of
// values without FROM — enough to browse the data in the Data screen — and is read-only by nature: it
// refuses every statement that would write.
// Use it with  "engine": "./json-data.mjs#JsonFolder", "options": { "folder": "json-tables" }
// The base translates parameters, splits scripts, counts maxRows, cancels, encodes cells and builds the
// table view's SQL through the dialect; this engine runs one statement on a session and describes its
// files.
import { readdir, readFile } from 'node:fs/promises'
import { isAbsolute, join } from 'node:path'
import { BackplaneError, BaseDatabase, DatabaseOptions, ErrorCode, defineEngine, jsonCell, readOnlyRefusal, standardDialect, z } from 'backplane/engine'

const TABLE_NAME = /^[A-Za-z0-9_-]+$/
// Words, numbers, '…' strings and "…" names, one punctuation character at a time; whitespace and comments are dropped.
const TOKENS = /\s+|--[^\n]*|\/\*[\s\S]*?\*\/|'(?:[^']|'')*'|"(?:[^"]|"")*"|\d+(?:\.\d+)?|[A-Za-z_][A-Za-z0-9_]*|\S/g
const WRITES = /^\s*(insert|update|delete|drop|create|alter|replace|truncate|merge|grant|revoke|upsert)\b/i
/** Rows handed to the sink at a time, as a server's cursor would send them. */
const BATCH = 100

const JsonFolderOptions = DatabaseOptions.extend({
  folder: z.string().min(1).default('json-tables').describe('The folder of .json files; relative paths start in the data directory.'),
})

/** One call's session: it reads the file a statement names and hands its rows over in batches. */
class JsonFolderSession {
  constructor(db) {
    this.db = db
    this.cancelled = false
  }

  async execute(sql, params, sink) {
    const statement = parse(sql, params)
    if (!statement) throw WRITES.test(sql) ? readOnlyRefusal(this.db.alias) : understandsOnlySelect()
    if (statement.values) {
      sink.columns(statement.columns.map((name) => ({ name })))
      await sink.rows([statement.values])
      return { hasResultSet: true }
    }
    const objects = await this.db.read(statement.table)
    const columns = statement.columns ?? columnNames(objects)
    sink.columns(columns.map((name) => ({ name })))
    const rows = statement.order?.length ? [...objects].sort(comparing(statement.order)) : objects
    const end = Math.min(rows.length, statement.offset + statement.limit)
    // The file is parsed whole (JSON has no cursor), but a caller that stops (maxRows) stops the batches.
    for (let i = statement.offset; i < end; i += BATCH) {
      if (this.cancelled) throw new BackplaneError(ErrorCode.E_CANCELLED, 'The query was cancelled.')
      const batch = rows.slice(i, Math.min(i + BATCH, end)).map((row) => columns.map((c) => cellOf(row[c])))
      if (!(await sink.rows(batch))) break
    }
    return { hasResultSet: true }
  }

  async cancel() {
    this.cancelled = true
  }

  // Nothing is ever written, so there is no transaction to begin or end.
  async begin() {}
  async commit() {}
  async rollback() {}
  async release() {}
}

class JsonFolderDatabase extends BaseDatabase {
  vendor = 'json'
  dialect = { ...standardDialect, name: 'JSON folder' }

  constructor(options, ctx) {
    super({ ...options, readOnly: true }, ctx)
    this.alias = ctx.alias
    this.dir = isAbsolute(options.folder) ? options.folder : join(ctx.dataDir, options.folder)
  }

  async openSession() {
    return new JsonFolderSession(this)
  }

  /** The base's health check runs SELECT 1; that the folder can be read says more here. */
  async ping() {
    await readdir(this.dir).catch((err) => {
      if (err.code !== 'ENOENT') throw err
    })
    return `folder ${this.dir}`
  }

  async serverVersion() {
    return 'JSON folder'
  }

  async schemas() {
    return [{ name: 'main', isDefault: true }]
  }

  async listTables(schema) {
    if (schema !== undefined && schema !== 'main') return []
    const files = await readdir(this.dir).catch(() => [])
    return files.filter((f) => f.endsWith('.json') && TABLE_NAME.test(f.slice(0, -5))).map((f) => ({ name: f.slice(0, -5), type: 'table' }))
  }

  /** Every key any object has is a column; there is no key, so the table view pages by offset. */
  async describe(table) {
    const objects = await this.read(table.name)
    const columns = columnNames(objects).map((name) => {
      const kinds = new Set(objects.map((o) => o[name]).filter((v) => v !== null && v !== undefined).map((v) => (Array.isArray(v) ? 'array' : typeof v)))
      return { name, type: kinds.size === 1 ? [...kinds][0] : 'json', nullable: objects.some((o) => o[name] === null || o[name] === undefined), default: null, primaryKey: 0 }
    })
    return { name: table.name, type: 'table', rowEstimate: objects.length, columns, primaryKey: [], indexes: [], foreignKeys: [] }
  }

  async close() {}

  async read(name) {
    if (!TABLE_NAME.test(name)) throw noSuchTable(name)
    const text = await readFile(join(this.dir, `${name}.json`), 'utf8').catch((err) => {
      throw err.code === 'ENOENT' ? noSuchTable(name) : err
    })
    const rows = JSON.parse(text)
    if (!Array.isArray(rows) || !rows.every((r) => typeof r === 'object' && r !== null && !Array.isArray(r))) {
      throw new BackplaneError(ErrorCode.E_SQL, `${name}.json is not an array of objects.`, { hint: 'Each file must hold [{ "column": value, … }, …].' })
    }
    return rows
  }
}

/**
 * What this engine runs, as { table, columns?, order?, limit, offset } or { values }; undefined for anything else:
 *   SELECT * FROM people [LIMIT n]
 *   SELECT "name", "born" FROM "people" [ORDER BY "born" DESC] LIMIT 51 [OFFSET 50]   (the table view's page)
 *   SELECT ? AS a, 'text' AS b, 42, NULL                                              (values, no FROM)
 */
function parse(sql, params) {
  const t = (sql.match(TOKENS) ?? []).filter((token) => !/^(\s|--|\/\*)/.test(token))
  let i = 0
  const word = (w) => t[i]?.toUpperCase() === w && ++i > 0
  const count = () => (/^\d+$/.test(t[i] ?? '') ? Number(t[i++]) : undefined)
  if (!word('SELECT')) return undefined
  const items = []
  do items.push({ expr: t[i++], alias: word('AS') ? t[i++] : undefined })
  while (word(','))
  if (!word('FROM')) {
    let next = 0
    const values = items.map(({ expr }) => (expr === '?' ? params[next++] : literal(expr)))
    if (i !== t.length || values.includes(NOT_A_VALUE)) return undefined
    return { values, columns: items.map(({ expr, alias }) => (alias ? unquote(alias) : expr)) }
  }
  const table = unquote(t[i++])
  const order = []
  if (word('ORDER')) {
    if (!word('BY')) return undefined
    do order.push({ column: unquote(t[i++]), descending: word('DESC') || (word('ASC') && false) })
    while (word(','))
  }
  const limit = word('LIMIT') ? count() : Infinity
  const offset = word('OFFSET') ? count() : 0
  if (i !== t.length || limit === undefined || offset === undefined || !TABLE_NAME.test(table ?? '')) return undefined
  if (items.length === 1 && items[0].expr === '*' && order.length === 0 && offset === 0) return { table, limit, offset }
  // Otherwise only the page the base writes: quoted names, a LIMIT.
  const quoted = (token) => token?.startsWith('"')
  if (limit === Infinity || !items.every((item) => quoted(item.expr) && !item.alias) || !order.every((o) => o.column !== undefined)) return undefined
  return { table, columns: items.map((item) => unquote(item.expr)), order, limit, offset }
}

const NOT_A_VALUE = Symbol('not a value')

function literal(token) {
  if (token === undefined) return NOT_A_VALUE
  if (token.startsWith("'")) return token.slice(1, -1).replaceAll("''", "'")
  if (/^\d/.test(token)) return Number(token)
  if (/^null$/i.test(token)) return null
  return NOT_A_VALUE
}

function unquote(token) {
  return token?.startsWith('"') ? token.slice(1, -1).replaceAll('""', '"') : token
}

function columnNames(objects) {
  return [...new Set(objects.flatMap((o) => Object.keys(o)))]
}

/** Nested objects and arrays are JSON cells; a missing key is NULL. */
function cellOf(value) {
  if (value === undefined) return null
  return typeof value === 'object' && value !== null ? jsonCell(value) : value
}

/** Missing values first, numbers by value, everything else by its text. */
function comparing(order) {
  const compare = (a, b) => {
    if (a === b) return 0
    if (a === null || a === undefined) return -1
    if (b === null || b === undefined) return 1
    if (typeof a === 'number' && typeof b === 'number') return a - b
    return String(a).localeCompare(String(b))
  }
  return (x, y) => {
    for (const { column, descending } of order) {
      const c = compare(x[column], y[column])
      if (c !== 0) return descending ? -c : c
    }
    return 0
  }
}

function understandsOnlySelect() {
  return new BackplaneError(ErrorCode.E_SQL, 'This engine only understands SELECT * FROM <table> [LIMIT n].', { hint: 'It is an example engine; see examples/json-data.mjs.' })
}

function noSuchTable(name) {
  return new BackplaneError(ErrorCode.E_NOT_FOUND, `There is no table "${String(name).slice(0, 100)}": no such .json file in the folder.`, { hint: 'Each <name>.json file in the folder is the table <name>.' })
}

export const JsonFolder = defineEngine({
  kind: 'data',
  title: 'JSON files (read-only)',
  description: 'Each .json file in a folder is a table (an array of objects).',
  options: JsonFolderOptions,
  create: (options, ctx) => new JsonFolderDatabase(options, ctx),
})
