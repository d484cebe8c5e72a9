import { BackplaneError, ErrorCode } from '../../../core/errors'
import type { ColumnDetail, ForeignKeyDetail, IndexDetail, TableDetail, TableRef } from '../types'
import { mysqlDialect } from './mysql-sql'

type Select = (sql: string, params: readonly unknown[]) => Promise<unknown[][]>

/** The table's schema, or the connection's database when none is named. */
const inTable = (alias = '') => `${alias}TABLE_SCHEMA = COALESCE(?, DATABASE()) AND ${alias}TABLE_NAME = ?`
const NUMERIC = new Set(['tinyint', 'smallint', 'mediumint', 'int', 'integer', 'bigint', 'decimal', 'numeric', 'float', 'double', 'real', 'bit', 'year', 'boolean'])

/** A table or view from information_schema, one query for each part, run side by side. */
export async function describeTable(select: Select, table: TableRef, mariadb: boolean): Promise<TableDetail> {
  const key = [table.schema ?? null, table.name]
  const [found, columns, statistics, references] = await Promise.all([
    select(
      `SELECT t.TABLE_SCHEMA, t.TABLE_TYPE, t.TABLE_ROWS, v.VIEW_DEFINITION FROM information_schema.TABLES t LEFT JOIN information_schema.VIEWS v ON v.TABLE_SCHEMA = t.TABLE_SCHEMA AND v.TABLE_NAME = t.TABLE_NAME WHERE ${inTable('t.')}`,
      key,
    ),
    select(`SELECT COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, EXTRA, DATA_TYPE FROM information_schema.COLUMNS WHERE ${inTable()} ORDER BY ORDINAL_POSITION`, key),
    select(`SELECT INDEX_NAME, NON_UNIQUE, COLUMN_NAME FROM information_schema.STATISTICS WHERE ${inTable()} ORDER BY INDEX_NAME <> 'PRIMARY', INDEX_NAME, SEQ_IN_INDEX`, key),
    select(
      `SELECT k.CONSTRAINT_NAME, k.COLUMN_NAME, k.REFERENCED_TABLE_SCHEMA, k.REFERENCED_TABLE_NAME, k.REFERENCED_COLUMN_NAME, r.UPDATE_RULE, r.DELETE_RULE
       FROM information_schema.KEY_COLUMN_USAGE k
       JOIN information_schema.REFERENTIAL_CONSTRAINTS r ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME AND r.TABLE_NAME = k.TABLE_NAME
       WHERE ${inTable('k.')} AND k.REFERENCED_TABLE_NAME IS NOT NULL ORDER BY k.CONSTRAINT_NAME, k.ORDINAL_POSITION`,
      key,
    ),
  ])
  const [kind] = found
  if (!kind) {
    throw new BackplaneError(ErrorCode.E_NOT_FOUND, `There is no table or view "${table.name.slice(0, 200)}" in ${table.schema ? `the database "${table.schema.slice(0, 200)}"` : "the alias's database"}.`, {
      hint: 'Reload the table list: it may have been dropped or renamed, or it is in another database.',
    })
  }
  const [schema, type, estimate, definition] = kind
  const indexes = new Map<string, IndexDetail>()
  for (const [name, nonUnique, column] of statistics) {
    if (column === null) continue // MySQL 8's functional key parts have an expression, not a column
    const index = indexes.get(String(name)) ?? { name: String(name), columns: [], unique: Number(nonUnique) === 0, primary: name === 'PRIMARY' }
    index.columns.push(String(column))
    indexes.set(index.name, index)
  }
  const primaryKey = indexes.get('PRIMARY')?.columns ?? []
  const foreignKeys = new Map<string, ForeignKeyDetail>()
  for (const [name, column, refSchema, refTable, refColumn, onUpdate, onDelete] of references) {
    const fk = foreignKeys.get(String(name)) ?? {
      name: String(name),
      columns: [],
      references: { ...(refSchema !== schema ? { schema: String(refSchema) } : {}), name: String(refTable), columns: [] },
      onUpdate: String(onUpdate),
      onDelete: String(onDelete),
    }
    fk.columns.push(String(column))
    fk.references.columns.push(String(refColumn))
    foreignKeys.set(fk.name!, fk)
  }
  const isView = type === 'VIEW'
  return {
    schema: String(schema),
    name: table.name,
    type: isView ? 'view' : 'table',
    ...(estimate === null || isView ? {} : { rowEstimate: Number(estimate) }),
    columns: columns.map(([name, columnType, nullable, dflt, extra, dataType]): ColumnDetail => {
      const position = primaryKey.indexOf(String(name)) + 1
      return {
        name: String(name),
        type: String(columnType),
        nullable: nullable === 'YES',
        default: defaultSql(dflt === null ? null : String(dflt), String(dataType).toLowerCase(), String(extra ?? ''), mariadb),
        primaryKey: position,
        ...(/auto_increment|\b(virtual|stored) generated\b|\bpersistent\b/i.test(String(extra ?? '')) ? { generated: true } : {}),
      }
    }),
    primaryKey,
    indexes: [...indexes.values()],
    foreignKeys: [...foreignKeys.values()],
    ...(isView && definition ? { definition: String(definition) } : {}),
  }
}

/**
 * COLUMN_DEFAULT as SQL text. MariaDB (10.2.7 and later) writes it as SQL already: 'text' quoted,
 * expressions as written, and the word NULL for a NULL default. MySQL gives the bare value of a literal
 * ("abc", "12") and marks expressions DEFAULT_GENERATED (8.0.13 and later); CURRENT_TIMESTAMP is an
 * expression in 5.7 too.
 */
function defaultSql(value: string | null, dataType: string, extra: string, mariadb: boolean): string | null {
  if (value === null) return null
  if (mariadb) return value === 'NULL' ? null : value
  if (/DEFAULT_GENERATED/i.test(extra) || /^current_timestamp(\(\d*\))?$/i.test(value)) return value
  if (NUMERIC.has(dataType)) return value
  return mysqlDialect.literal(value)
}
