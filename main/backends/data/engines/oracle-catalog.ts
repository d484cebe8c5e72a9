import oracledb, { type Connection } from 'oracledb'
import { BackplaneError, ErrorCode } from '../../../core/errors'
import type { ColumnDetail, ForeignKeyDetail, IndexDetail, SchemaSummary, TableDetail, TableRef, TableSummary } from '../types'
import { declaredType, type CatalogColumnType } from './oracle-types'

/**
 * Introspection from the ALL_* dictionary views: what the connected user may see. Schemas Oracle itself
 * maintains (SYS, SYSTEM, XDB, MDSYS, … : ALL_USERS.ORACLE_MAINTAINED = 'Y', 12c and later) are left out
 * of the lists; naming one still works. Row counts are the optimizer's NUM_ROWS (as of the last
 * statistics gathering), never a COUNT(*).
 */

const CURRENT_SCHEMA = `SELECT SYS_CONTEXT('USERENV', 'CURRENT_SCHEMA') AS NAME FROM DUAL`

const SCHEMAS = `SELECT USERNAME AS NAME FROM ALL_USERS WHERE ORACLE_MAINTAINED = 'N' OR USERNAME = SYS_CONTEXT('USERENV', 'CURRENT_SCHEMA') ORDER BY USERNAME`

/** Tables that are a table's own parts (IOT overflow and mapping, nested tables, domain index data) or in the recycle bin are not listed. */
const REAL_TABLES = `t.DROPPED = 'NO' AND t.NESTED = 'NO' AND t.SECONDARY = 'N' AND (t.IOT_TYPE IS NULL OR t.IOT_TYPE = 'IOT')`
const USER_OWNERS = `IN (SELECT USERNAME FROM ALL_USERS WHERE ORACLE_MAINTAINED = 'N')`

export function tablesSql(schema: string | undefined): string {
  const owner = (alias: string) => (schema === undefined ? `${alias}.OWNER ${USER_OWNERS}` : `${alias}.OWNER = :owner`)
  return [
    `SELECT t.OWNER, t.TABLE_NAME AS NAME, 'table' AS KIND, t.NUM_ROWS FROM ALL_TABLES t WHERE ${owner('t')} AND ${REAL_TABLES}`,
    `UNION ALL SELECT v.OWNER, v.VIEW_NAME AS NAME, 'view' AS KIND, NULL AS NUM_ROWS FROM ALL_VIEWS v WHERE ${owner('v')}`,
    'ORDER BY 1, 2',
  ].join(' ')
}

const TABLE = `SELECT t.NUM_ROWS FROM ALL_TABLES t WHERE t.OWNER = :owner AND t.TABLE_NAME = :name AND t.DROPPED = 'NO'`
const VIEW = `SELECT v.TEXT FROM ALL_VIEWS v WHERE v.OWNER = :owner AND v.VIEW_NAME = :name`
const COLUMNS = `SELECT COLUMN_NAME, DATA_TYPE, DATA_LENGTH, DATA_PRECISION, DATA_SCALE, CHAR_LENGTH, CHAR_USED, NULLABLE, DATA_DEFAULT, IDENTITY_COLUMN
FROM ALL_TAB_COLUMNS WHERE OWNER = :owner AND TABLE_NAME = :name ORDER BY COLUMN_ID`
const PRIMARY_KEY = `SELECT c.INDEX_NAME, cc.COLUMN_NAME FROM ALL_CONSTRAINTS c
JOIN ALL_CONS_COLUMNS cc ON cc.OWNER = c.OWNER AND cc.CONSTRAINT_NAME = c.CONSTRAINT_NAME
WHERE c.CONSTRAINT_TYPE = 'P' AND c.OWNER = :owner AND c.TABLE_NAME = :name ORDER BY cc.POSITION`
const FOREIGN_KEYS = `SELECT c.CONSTRAINT_NAME, cc.COLUMN_NAME, r.OWNER AS R_OWNER, r.TABLE_NAME AS R_TABLE, rc.COLUMN_NAME AS R_COLUMN, c.DELETE_RULE
FROM ALL_CONSTRAINTS c
JOIN ALL_CONS_COLUMNS cc ON cc.OWNER = c.OWNER AND cc.CONSTRAINT_NAME = c.CONSTRAINT_NAME
JOIN ALL_CONSTRAINTS r ON r.OWNER = c.R_OWNER AND r.CONSTRAINT_NAME = c.R_CONSTRAINT_NAME
JOIN ALL_CONS_COLUMNS rc ON rc.OWNER = r.OWNER AND rc.CONSTRAINT_NAME = r.CONSTRAINT_NAME AND rc.POSITION = cc.POSITION
WHERE c.CONSTRAINT_TYPE = 'R' AND c.OWNER = :owner AND c.TABLE_NAME = :name ORDER BY c.CONSTRAINT_NAME, cc.POSITION`
// LOB segments have indexes of their own (INDEX_TYPE 'LOB'), which no one created and no query uses by name.
const INDEXES = `SELECT i.INDEX_NAME, i.UNIQUENESS, ic.COLUMN_NAME FROM ALL_INDEXES i
JOIN ALL_IND_COLUMNS ic ON ic.INDEX_OWNER = i.OWNER AND ic.INDEX_NAME = i.INDEX_NAME
WHERE i.TABLE_OWNER = :owner AND i.TABLE_NAME = :name AND i.INDEX_TYPE <> 'LOB' ORDER BY i.INDEX_NAME, ic.COLUMN_POSITION`

type Row = Record<string, unknown>

async function rows(connection: Connection, sql: string, binds: Record<string, string> = {}): Promise<Row[]> {
  const result = await connection.execute<Row>(sql, binds, { outFormat: oracledb.OUT_FORMAT_OBJECT })
  return result.rows ?? []
}

const text = (v: unknown): string => (v === null || v === undefined ? '' : String(v))
const count = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined)

export async function currentSchema(connection: Connection): Promise<string> {
  return text((await rows(connection, CURRENT_SCHEMA))[0]?.NAME)
}

export async function listSchemas(connection: Connection): Promise<SchemaSummary[]> {
  const current = await currentSchema(connection)
  return (await rows(connection, SCHEMAS)).map((r) => ({ name: text(r.NAME), isDefault: text(r.NAME) === current }))
}

export async function listTables(connection: Connection, schema?: string): Promise<TableSummary[]> {
  return (await rows(connection, tablesSql(schema), schema === undefined ? {} : { owner: schema })).map((r) => {
    const rowEstimate = count(r.NUM_ROWS)
    return { schema: text(r.OWNER), name: text(r.NAME), type: r.KIND === 'view' ? 'view' : 'table', ...(rowEstimate === undefined ? {} : { rowEstimate }) }
  })
}

export async function describeTable(connection: Connection, table: TableRef): Promise<TableDetail> {
  const binds = { owner: table.schema ?? (await currentSchema(connection)), name: table.name }
  const [tableRow] = await rows(connection, TABLE, binds)
  const [viewRow] = tableRow ? [] : await rows(connection, VIEW, binds)
  if (!tableRow && !viewRow) {
    throw new BackplaneError(ErrorCode.E_NOT_FOUND, `There is no table or view ${binds.owner}.${table.name} that this user may see.`, {
      hint: 'Oracle stores unquoted names in capitals: BOOK, not book. The list of tables shows the names as they are.',
    })
  }
  const pk = await rows(connection, PRIMARY_KEY, binds)
  const primaryKey = pk.map((r) => text(r.COLUMN_NAME))
  const columns: ColumnDetail[] = (await rows(connection, COLUMNS, binds)).map((r) => ({
    name: text(r.COLUMN_NAME),
    type: declaredType(r as unknown as CatalogColumnType),
    nullable: r.NULLABLE === 'Y',
    // DATA_DEFAULT is a LONG holding the expression as written, often with a trailing newline.
    default: r.DATA_DEFAULT === null || r.DATA_DEFAULT === undefined ? null : text(r.DATA_DEFAULT).trim(),
    primaryKey: primaryKey.indexOf(text(r.COLUMN_NAME)) + 1,
    ...(r.IDENTITY_COLUMN === 'YES' ? { generated: true } : {}),
  }))
  const rowEstimate = count(tableRow?.NUM_ROWS)
  return {
    schema: binds.owner,
    name: table.name,
    type: tableRow ? 'table' : 'view',
    ...(rowEstimate === undefined ? {} : { rowEstimate }),
    columns,
    primaryKey,
    indexes: tableRow ? indexesOf(await rows(connection, INDEXES, binds), text(pk[0]?.INDEX_NAME)) : [],
    foreignKeys: tableRow ? foreignKeysOf(await rows(connection, FOREIGN_KEYS, binds)) : [],
    ...(viewRow ? { definition: text(viewRow.TEXT) } : {}),
  }
}

function indexesOf(list: Row[], primaryIndex: string): IndexDetail[] {
  const byName = new Map<string, IndexDetail>()
  for (const r of list) {
    const name = text(r.INDEX_NAME)
    const index = byName.get(name) ?? { name, columns: [], unique: r.UNIQUENESS === 'UNIQUE', primary: name === primaryIndex }
    index.columns.push(text(r.COLUMN_NAME))
    byName.set(name, index)
  }
  return [...byName.values()]
}

function foreignKeysOf(list: Row[]): ForeignKeyDetail[] {
  const byName = new Map<string, ForeignKeyDetail>()
  for (const r of list) {
    const name = text(r.CONSTRAINT_NAME)
    // Oracle has ON DELETE only (CASCADE, SET NULL, NO ACTION); updates of a referenced key are refused.
    const fk = byName.get(name) ?? { name, columns: [], references: { schema: text(r.R_OWNER), name: text(r.R_TABLE), columns: [] }, onDelete: text(r.DELETE_RULE) }
    fk.columns.push(text(r.COLUMN_NAME))
    fk.references.columns.push(text(r.R_COLUMN))
    byName.set(name, fk)
  }
  return [...byName.values()]
}
