import { BackplaneError, ErrorCode } from '../../../core/errors'
import type { ColumnDetail, ForeignKeyDetail, IndexDetail, SchemaSummary, TableDetail, TableRef, TableSummary } from '../types'

/**
 * Schemas, tables and their structure from pg_catalog, one statement each. PostgreSQL's own schemas
 * (pg_catalog, information_schema, pg_toast, the temporary ones) are left out; a table named without a
 * schema is looked for in current_schema(), where PostgreSQL would create it.
 */

/** Runs a catalogue query on a connection of the pool; rows as arrays. */
export type CatalogueQuery = (sql: string, params: unknown[]) => Promise<unknown[][]>

const USER_SCHEMA = "n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%'"
/** Tables, partitioned tables, foreign tables, views and materialized views. */
const RELATIONS = "c.relkind IN ('r', 'p', 'f', 'v', 'm')"

export async function schemas(query: CatalogueQuery): Promise<SchemaSummary[]> {
  const rows = await query(`SELECT n.nspname, n.nspname = current_schema() FROM pg_namespace n WHERE ${USER_SCHEMA} ORDER BY n.nspname`, [])
  return rows.map(([name, isDefault]) => ({ name: String(name), isDefault: isDefault === true }))
}

export async function listTables(query: CatalogueQuery, schema?: string): Promise<TableSummary[]> {
  const rows = await query(
    `SELECT n.nspname, c.relname, c.relkind, c.reltuples::float8 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE ${RELATIONS} AND (CASE WHEN $1::text IS NULL THEN ${USER_SCHEMA} ELSE n.nspname = $1 END)
     ORDER BY n.nspname, c.relname`,
    [schema ?? null],
  )
  return rows.map(([schemaName, name, kind, tuples]) => summary(String(schemaName), String(name), String(kind), tuples))
}

function summary(schema: string, name: string, kind: string, tuples: unknown): TableSummary {
  const type = kind === 'v' || kind === 'm' ? 'view' : 'table'
  // reltuples is -1 for a table never vacuumed or analyzed (PostgreSQL 14+), and means nothing for a view.
  const estimate = typeof tuples === 'number' && tuples >= 0 && kind !== 'v' ? Math.round(tuples) : undefined
  return { schema, name, type, ...(estimate !== undefined ? { rowEstimate: estimate } : {}) }
}

const FK_ACTIONS: Readonly<Record<string, string>> = { a: 'NO ACTION', r: 'RESTRICT', c: 'CASCADE', n: 'SET NULL', d: 'SET DEFAULT' }

const DESCRIBE = `
WITH t AS (
  SELECT c.oid, n.nspname, c.relname, c.relkind, c.reltuples::float8 AS tuples
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE ${RELATIONS} AND n.nspname = COALESCE($1::text, current_schema()) AND c.relname = $2
)
SELECT t.nspname, t.relname, t.relkind, t.tuples,
  (SELECT COALESCE(json_agg(json_build_object(
      'name', a.attname,
      'type', format_type(a.atttypid, a.atttypmod),
      'nullable', NOT a.attnotnull,
      'default', CASE WHEN a.attgenerated = '' THEN pg_get_expr(d.adbin, d.adrelid) END,
      'primaryKey', COALESCE(array_position(pk.conkey, a.attnum), 0),
      'identity', a.attidentity <> '',
      'computed', a.attgenerated <> ''
    ) ORDER BY a.attnum), '[]')::text
   FROM pg_attribute a
   LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
   LEFT JOIN pg_constraint pk ON pk.conrelid = a.attrelid AND pk.contype = 'p'
   WHERE a.attrelid = t.oid AND a.attnum > 0 AND NOT a.attisdropped),
  (SELECT COALESCE(json_agg(json_build_object(
      'name', ic.relname,
      'unique', i.indisunique,
      'primary', i.indisprimary,
      'columns', (SELECT json_agg(COALESCE(a.attname, pg_get_indexdef(i.indexrelid, k.n::int, true)) ORDER BY k.n)
                  FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(attnum, n)
                  LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum AND k.attnum > 0
                  WHERE k.n <= i.indnkeyatts)
    ) ORDER BY ic.relname), '[]')::text
   FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
   WHERE i.indrelid = t.oid),
  (SELECT COALESCE(json_agg(json_build_object(
      'name', f.conname,
      'columns', (SELECT json_agg(a.attname ORDER BY k.n) FROM unnest(f.conkey) WITH ORDINALITY k(attnum, n)
                  JOIN pg_attribute a ON a.attrelid = f.conrelid AND a.attnum = k.attnum),
      'schema', rn.nspname,
      'table', rc.relname,
      'referenced', (SELECT json_agg(a.attname ORDER BY k.n) FROM unnest(f.confkey) WITH ORDINALITY k(attnum, n)
                     JOIN pg_attribute a ON a.attrelid = f.confrelid AND a.attnum = k.attnum),
      'onDelete', f.confdeltype,
      'onUpdate', f.confupdtype
    ) ORDER BY f.conname), '[]')::text
   FROM pg_constraint f JOIN pg_class rc ON rc.oid = f.confrelid JOIN pg_namespace rn ON rn.oid = rc.relnamespace
   WHERE f.conrelid = t.oid AND f.contype = 'f'),
  CASE WHEN t.relkind IN ('v', 'm') THEN pg_get_viewdef(t.oid, true) END
FROM t`

interface ColumnRow {
  name: string
  type: string
  nullable: boolean
  default: string | null
  primaryKey: number
  identity: boolean
  computed: boolean
}
interface IndexRow {
  name: string
  unique: boolean
  primary: boolean
  columns: string[] | null
}
interface ForeignKeyRow {
  name: string
  columns: string[]
  schema: string
  table: string
  referenced: string[]
  onDelete: string
  onUpdate: string
}

export async function describe(query: CatalogueQuery, table: TableRef): Promise<TableDetail> {
  const [row] = await query(DESCRIBE, [table.schema ?? null, table.name])
  if (!row) {
    const where = table.schema ? `schema "${table.schema}"` : 'the current schema (the first of search_path that exists)'
    throw new BackplaneError(ErrorCode.E_NOT_FOUND, `There is no table or view "${table.name}" in ${where}.`, {
      hint: 'Check the name (PostgreSQL folds unquoted names to lower case) and the schema; the table list shows what there is.',
      details: { table },
    })
  }
  const [schema, name, kind, tuples, columnsJson, indexesJson, foreignKeysJson, definition] = row
  const columns = (JSON.parse(String(columnsJson)) as ColumnRow[]).map(columnOf)
  const primaryKey = columns.filter((c) => c.primaryKey > 0).sort((a, b) => a.primaryKey - b.primaryKey).map((c) => c.name)
  const indexes = (JSON.parse(String(indexesJson)) as IndexRow[]).map((i): IndexDetail => ({ name: i.name, columns: i.columns ?? [], unique: i.unique, primary: i.primary }))
  const foreignKeys = (JSON.parse(String(foreignKeysJson)) as ForeignKeyRow[]).map(
    (f): ForeignKeyDetail => ({
      name: f.name,
      columns: f.columns,
      references: { schema: f.schema, name: f.table, columns: f.referenced },
      onDelete: FK_ACTIONS[f.onDelete] ?? f.onDelete,
      onUpdate: FK_ACTIONS[f.onUpdate] ?? f.onUpdate,
    }),
  )
  return {
    ...summary(String(schema), String(name), String(kind), tuples),
    columns,
    primaryKey,
    indexes,
    foreignKeys,
    ...(typeof definition === 'string' ? { definition } : {}),
  }
}

function columnOf(c: ColumnRow): ColumnDetail {
  // serial and bigserial are a default of nextval() on the column's own sequence.
  const serial = typeof c.default === 'string' && /^nextval\(/i.test(c.default)
  const generated = c.identity || c.computed || serial
  return { name: c.name, type: c.type, nullable: c.nullable, default: c.default, primaryKey: c.primaryKey, ...(generated ? { generated: true } : {}) }
}
