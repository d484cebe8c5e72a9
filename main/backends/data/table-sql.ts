import { BackplaneError, ErrorCode } from '../../core/errors'
import type { SqlDialect } from './dialect'
import type { ChangeSet, Filter, PageRequest, PlannedStatement, RowChange, TableDetail, TableRef } from './types'

/**
 * The SQL the table view runs, built once here for every engine through its dialect: identifiers quoted
 * by the engine's rules, values always bound as parameters, and only columns the table really has.
 */

export interface BuiltStatement {
  sql: string
  params: unknown[]
}

export function qualifiedName(dialect: SqlDialect, table: TableRef): string {
  return table.schema ? `${dialect.quoteIdentifier(table.schema)}.${dialect.quoteIdentifier(table.name)}` : dialect.quoteIdentifier(table.name)
}

function columnOf(detail: TableDetail, name: string): string {
  if (!detail.columns.some((c) => c.name === name)) {
    throw new BackplaneError(ErrorCode.E_INVALID_INPUT, `The table ${detail.name} has no column "${name.slice(0, 100)}".`, {
      hint: `Its columns are ${detail.columns.map((c) => c.name).join(', ').slice(0, 300)}.`,
    })
  }
  return name
}

/** `!` escapes LIKE's wildcards, so that "100%" finds a literal percent sign on every server. */
export function likePattern(value: string, where: 'contains' | 'starts' | 'ends'): string {
  const escaped = value.replace(/[!%_]/g, (c) => `!${c}`)
  return where === 'contains' ? `%${escaped}%` : where === 'starts' ? `${escaped}%` : `%${escaped}`
}

function filterSql(dialect: SqlDialect, detail: TableDetail, filter: Filter, params: unknown[]): string {
  const column = dialect.quoteIdentifier(columnOf(detail, filter.column))
  switch (filter.op) {
    case 'null':
      return `${column} IS NULL`
    case 'not null':
      return `${column} IS NOT NULL`
    case 'contains':
    case 'starts':
    case 'ends':
      params.push(likePattern(String(filter.value ?? ''), filter.op))
      return dialect.likeComparison(column)
    case 'in': {
      const values = Array.isArray(filter.value) ? filter.value : [filter.value]
      if (values.length === 0) return '1 = 0'
      params.push(...values)
      return `${column} IN (${values.map(() => '?').join(', ')})`
    }
    default:
      params.push(filter.value)
      return `${column} ${filter.op} ?`
  }
}

/**
 * `(a, b) > (?, ?)` written out as `a > ? OR (a = ? AND b > ?)`, which every server here plans as a range
 * on the key (Oracle has no row-value comparison).
 */
function keysetSql(dialect: SqlDialect, key: string[], after: unknown[], descending: boolean, params: unknown[]): string {
  const op = descending ? '<' : '>'
  const terms: string[] = []
  for (let i = 0; i < key.length; i++) {
    const parts: string[] = []
    for (let j = 0; j < i; j++) {
      parts.push(`${dialect.quoteIdentifier(key[j]!)} = ?`)
      params.push(after[j])
    }
    parts.push(`${dialect.quoteIdentifier(key[i]!)} ${op} ?`)
    params.push(after[i])
    terms.push(parts.length === 1 ? parts[0]! : `(${parts.join(' AND ')})`)
  }
  return terms.length === 1 ? terms[0]! : `(${terms.join(' OR ')})`
}

export interface BuiltPage extends BuiltStatement {
  paging: 'keyset' | 'offset'
  /** The columns selected, in order. */
  columns: string[]
  keyColumns: number[]
}

/** One page of a table, reading `limit + 1` rows so that the caller knows whether there is another. */
export function pageSql(dialect: SqlDialect, detail: TableDetail, request: PageRequest): BuiltPage {
  const columns = detail.columns.map((c) => c.name)
  const params: unknown[] = []
  const where = (request.filters ?? []).map((f) => filterSql(dialect, detail, f, params))
  const key = detail.primaryKey
  const sort = (request.sort ?? []).map((s) => ({ column: columnOf(detail, s.column), descending: Boolean(s.descending) }))
  // Keyset paging needs the order to be the key's own: no sort, or the key's columns in one direction.
  const byKey = key.length > 0 && (sort.length === 0 || (sort.length === key.length && sort.every((s, i) => s.column === key[i] && s.descending === sort[0]!.descending)))
  const descending = byKey && sort.length > 0 && sort[0]!.descending
  const paging = byKey ? 'keyset' : 'offset'
  if (byKey && request.after) {
    if (request.after.length !== key.length) {
      throw new BackplaneError(ErrorCode.E_INVALID_INPUT, `"after" needs ${key.length} key value(s) (${key.join(', ')}), not ${request.after.length}.`)
    }
    where.push(keysetSql(dialect, key, request.after, descending, params))
  }
  const order = byKey ? key.map((k) => `${dialect.quoteIdentifier(k)}${descending ? ' DESC' : ''}`) : sort.map((s) => `${dialect.quoteIdentifier(s.column)}${s.descending ? ' DESC' : ''}`)
  // Offset paging without any order would return rows in whatever order the server likes, page to page.
  if (order.length === 0 && !byKey) order.push(...columns.slice(0, 1).map((c) => dialect.quoteIdentifier(c)))
  const offset = byKey && request.after ? 0 : (request.offset ?? 0)
  const sql = [
    `SELECT ${columns.map((c) => dialect.quoteIdentifier(c)).join(', ')} FROM ${qualifiedName(dialect, detail)}`,
    where.length ? `WHERE ${where.join(' AND ')}` : '',
    order.length ? `ORDER BY ${order.join(', ')}` : '',
    dialect.paging(request.limit + 1, offset),
  ]
    .filter(Boolean)
    .join(' ')
  return { sql, params, paging, columns, keyColumns: key.map((k) => columns.indexOf(k)) }
}

function keyCondition(dialect: SqlDialect, detail: TableDetail, key: Record<string, unknown>, params: unknown[]): string {
  const names = Object.keys(key)
  if (names.length === 0) throw new BackplaneError(ErrorCode.E_INVALID_INPUT, 'A change names no row: its key is empty.')
  if (detail.primaryKey.length > 0 && !detail.primaryKey.every((k) => Object.hasOwn(key, k))) {
    throw new BackplaneError(ErrorCode.E_INVALID_INPUT, `A change must name its row by the primary key (${detail.primaryKey.join(', ')}).`)
  }
  return names
    .map((name) => {
      const column = dialect.quoteIdentifier(columnOf(detail, name))
      if (key[name] === null) return `${column} IS NULL`
      params.push(key[name])
      return `${column} = ?`
    })
    .join(' AND ')
}

function changeSql(dialect: SqlDialect, detail: TableDetail, change: RowChange): BuiltStatement {
  const table = qualifiedName(dialect, detail)
  const params: unknown[] = []
  switch (change.op) {
    case 'insert': {
      const names = Object.keys(change.values).map((n) => columnOf(detail, n))
      params.push(...names.map((n) => change.values[n]))
      if (names.length === 0) return { sql: dialect.emptyInsert?.(table, dialect.quoteIdentifier(detail.columns[0]?.name ?? '')) ?? `INSERT INTO ${table} DEFAULT VALUES`, params }
      return { sql: `INSERT INTO ${table} (${names.map((n) => dialect.quoteIdentifier(n)).join(', ')}) VALUES (${names.map(() => '?').join(', ')})`, params }
    }
    case 'update': {
      const names = Object.keys(change.set).map((n) => columnOf(detail, n))
      if (names.length === 0) throw new BackplaneError(ErrorCode.E_INVALID_INPUT, 'An update changes no column.')
      const set = names.map((n) => {
        params.push(change.set[n])
        return `${dialect.quoteIdentifier(n)} = ?`
      })
      return { sql: `UPDATE ${table} SET ${set.join(', ')} WHERE ${keyCondition(dialect, detail, change.key, params)}`, params }
    }
    case 'delete':
      return { sql: `DELETE FROM ${table} WHERE ${keyCondition(dialect, detail, change.key, params)}`, params }
  }
}

/** Writes each `?` of `sql` (code only: see sql-text) as the literal of its parameter, for reading. */
export type Display = (statement: BuiltStatement) => string

export function planChanges(dialect: SqlDialect, detail: TableDetail, changeSet: ChangeSet, display: Display): (PlannedStatement & { op: RowChange['op'] })[] {
  if (detail.type === 'view') throw new BackplaneError(ErrorCode.E_UNSUPPORTED, `${detail.name} is a view; its rows are edited through the tables it reads.`)
  return changeSet.changes.map((change) => {
    const built = changeSql(dialect, detail, change)
    return { ...built, display: display(built), op: change.op }
  })
}
