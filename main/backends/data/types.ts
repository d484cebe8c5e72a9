/**
 * The data kind's shapes, shared by the base, every engine and the API contract's views. Cells travel as
 * JSON that loses nothing: see `cells.ts` for the encoding.
 */

/** A table or view, by name; `schema` absent means the connection's default (SQLite's `main`). */
export interface TableRef {
  schema?: string
  name: string
}

export interface Column {
  name: string
  /** The server's own type name (`int4`, `varchar(100)`, `NUMBER`), when the driver says. */
  type?: string
}

/** What one statement answered. */
export interface QueryResult {
  /** The statement's text, as it was in the script (scripts only). */
  statement?: string
  /** `rows`: a result set (possibly empty); `write`: no result set, `rowCount` counts the rows changed. */
  kind: 'rows' | 'write'
  columns: Column[]
  /** Cells as lossless JSON (see cells.ts). */
  rows: unknown[][]
  /** Rows returned (kind `rows`) or rows affected (kind `write`). */
  rowCount: number
  /** More rows existed than maxRows; they were not read. */
  truncated: boolean
  durationMs: number
}

export interface QueryOptions {
  /** Stop reading after this many rows: the cursor is closed at the server, the statement not run to its end. */
  maxRows?: number
  /** A name the caller picks so that `cancel(queryId)` can stop this call. */
  queryId?: string
}

export interface SchemaSummary {
  name: string
  /** The schema unqualified names resolve to (`public`, the MySQL database, SQLite's `main`). */
  isDefault: boolean
}

export interface TableSummary extends TableRef {
  type: 'table' | 'view'
  /** The server's estimate (statistics, not a count); absent when it has none. */
  rowEstimate?: number
}

export interface ColumnDetail {
  name: string
  /** The declared type, as the server spells it. */
  type: string
  nullable: boolean
  /** The default expression as SQL text, or null when there is none. */
  default: string | null
  /** 1-based position in the primary key, or 0 when the column is not part of it. */
  primaryKey: number
  /** Filled by the server (serial, AUTO_INCREMENT, identity, SQLite's rowid alias). */
  generated?: boolean
}

export interface IndexDetail {
  name: string
  columns: string[]
  unique: boolean
  primary: boolean
}

export interface ForeignKeyDetail {
  name?: string
  columns: string[]
  references: TableRef & { columns: string[] }
  onDelete?: string
  onUpdate?: string
}

export interface TableDetail extends TableSummary {
  columns: ColumnDetail[]
  /** Primary key columns in key order; empty when the table has none (then rows are paged by offset). */
  primaryKey: string[]
  indexes: IndexDetail[]
  foreignKeys: ForeignKeyDetail[]
  /** A view's defining query, when the server gives it. */
  definition?: string
}

/** One condition of the table view's filter builder. Values are bound as parameters, never inlined. */
export type FilterOperator = '=' | '<>' | '<' | '<=' | '>' | '>=' | 'contains' | 'starts' | 'ends' | 'null' | 'not null' | 'in'

export interface Filter {
  column: string
  op: FilterOperator
  /** A value for the comparisons, an array for `in`, absent for `null` / `not null`. */
  value?: unknown
}

export interface SortKey {
  column: string
  descending?: boolean
}

export interface PageRequest {
  table: TableRef
  limit: number
  /** Offset paging (any sort); ignored when `after` is given. */
  offset?: number
  /** Keyset paging: the primary-key values of the last row of the previous page. */
  after?: unknown[]
  sort?: SortKey[]
  filters?: Filter[]
}

export interface PageResult extends QueryResult {
  /** The SQL that was run, with `?` placeholders, and its parameters: what the grid shows under "SQL". */
  sql: string
  params: unknown[]
  /** How the next page is asked for: keyset when the table has a primary key and is sorted by it. */
  paging: 'keyset' | 'offset'
  /** Primary-key column indexes within `columns`, so the grid can address rows for edits and keysets. */
  keyColumns: number[]
}

/** A pending edit of the table view. `key` holds the primary-key values (or every column, without a key). */
export type RowChange =
  | { op: 'update'; key: Record<string, unknown>; set: Record<string, unknown> }
  | { op: 'insert'; values: Record<string, unknown> }
  | { op: 'delete'; key: Record<string, unknown> }

export interface ChangeSet {
  table: TableRef
  changes: RowChange[]
}

export interface PlannedStatement {
  /** Parameterized, as it is sent (with `?` placeholders). */
  sql: string
  params: unknown[]
  /** The same statement with each parameter written as a literal: what the user reads before committing. */
  display: string
}

export interface AppliedChanges {
  statements: number
  rowsAffected: number
  durationMs: number
}
