import { z } from 'zod'
import { ErrorPayload } from '../../core/schemas/error'
import { method } from './define'

const Alias = z.string().default('default')
const Name = z.string().min(1).max(1000)
const QueryId = z.string().min(1).max(200).optional().describe('Pick one to cancel the call with data.cancel.')

export const TableRefView = z.object({ schema: Name.optional(), name: Name })

const ColumnView = z.object({ name: z.string(), type: z.string().optional() })

export const QueryResultView = z.object({
  statement: z.string().optional(),
  kind: z.enum(['rows', 'write']),
  columns: z.array(ColumnView),
  rows: z.array(z.array(z.unknown())),
  rowCount: z.number(),
  truncated: z.boolean(),
  durationMs: z.number(),
})

/** A cell value sent back: JSON scalars, or the tagged forms of cells.ts. Objects of other shapes are refused. */
const CellInput: z.ZodType<unknown> = z.lazy(() =>
  z.union([
    z.null(),
    z.boolean(),
    z.number(),
    z.string().max(16 * 1024 * 1024),
    z.object({ $bytes: z.string().max(24 * 1024 * 1024) }).strict(),
    z.object({ $json: z.unknown() }).strict(),
    z.array(CellInput).max(10_000),
  ]),
)
const Params = z.array(CellInput).max(10_000).default([])
const Row = z.record(Name, CellInput)

const TableSummaryView = z.object({
  schema: z.string().optional(),
  name: z.string(),
  type: z.enum(['table', 'view']),
  rowEstimate: z.number().optional(),
})

export const TableDetailView = TableSummaryView.extend({
  columns: z.array(
    z.object({ name: z.string(), type: z.string(), nullable: z.boolean(), default: z.string().nullable(), primaryKey: z.number(), generated: z.boolean().optional() }),
  ),
  primaryKey: z.array(z.string()),
  indexes: z.array(z.object({ name: z.string(), columns: z.array(z.string()), unique: z.boolean(), primary: z.boolean() })),
  foreignKeys: z.array(
    z.object({
      name: z.string().optional(),
      columns: z.array(z.string()),
      references: z.object({ schema: z.string().optional(), name: z.string(), columns: z.array(z.string()) }),
      onDelete: z.string().optional(),
      onUpdate: z.string().optional(),
    }),
  ),
  definition: z.string().optional(),
})

const FilterInput = z.object({
  column: Name,
  op: z.enum(['=', '<>', '<', '<=', '>', '>=', 'contains', 'starts', 'ends', 'null', 'not null', 'in']),
  value: CellInput.optional(),
})

const ChangeInput = z.discriminatedUnion('op', [
  z.object({ op: z.literal('update'), key: Row, set: Row }),
  z.object({ op: z.literal('insert'), values: Row }),
  z.object({ op: z.literal('delete'), key: Row }),
])

const ChangeSetInput = z.object({ alias: Alias, table: TableRefView, changes: z.array(ChangeInput).min(1).max(10_000) })

const PlannedStatementView = z.object({ sql: z.string(), params: z.array(z.unknown()), display: z.string() })

export const dataMethods = {
  'data.schemas': method({
    description: 'Schemas (PostgreSQL schemas, MySQL databases, SQLite attached databases) of a database alias.',
    input: z.object({ alias: Alias }),
    output: z.array(z.object({ name: z.string(), isDefault: z.boolean() })),
  }),
  'data.tables': method({
    description: 'Tables and views of a database alias (of one schema, or every user schema), with estimated row counts.',
    input: z.object({ alias: Alias, schema: Name.optional() }),
    output: z.array(TableSummaryView),
  }),
  'data.describe': method({
    description: 'Columns, primary key, indexes and foreign keys of one table or view.',
    input: z.object({ alias: Alias, table: TableRefView }),
    output: TableDetailView,
  }),
  'data.query': method({
    description: 'Runs one SQL statement with ? parameters; rows stop at maxRows (read from a cursor, never all at once).',
    input: z.object({
      alias: Alias,
      sql: z.string().min(1, 'Type a SQL statement.').max(4 * 1024 * 1024),
      params: Params,
      maxRows: z.number().int().min(1).max(100_000).default(1000),
      queryId: QueryId,
    }),
    output: QueryResultView,
  }),
  'data.script': method({
    description: 'Runs every statement of a script in order on one connection, a result per statement; stops at the first failure.',
    input: z.object({
      alias: Alias,
      sql: z.string().min(1, 'Type a SQL statement.').max(4 * 1024 * 1024),
      maxRows: z.number().int().min(1).max(100_000).default(1000),
      queryId: QueryId,
      confirmDestructive: z.boolean().default(false).describe('Refuse (E_NEEDS_CONFIRMATION) DROP, TRUNCATE and DELETE/UPDATE without WHERE, so a GUI can ask first.'),
    }),
    output: z.object({
      results: z.array(QueryResultView),
      failure: z.object({ statementIndex: z.number(), error: ErrorPayload }).optional(),
    }),
  }),
  'data.cancel': method({
    description: 'Stops a running data.query, data.script, data.page or export by its queryId, at the server.',
    input: z.object({ alias: Alias, queryId: z.string().min(1).max(200) }),
    output: z.object({ cancelled: z.boolean() }),
  }),
  'data.page': method({
    description: 'One page of a table: keyset paging by the primary key where it can, offset otherwise; sort and filters bound as parameters.',
    input: z.object({
      alias: Alias,
      table: TableRefView,
      limit: z.number().int().min(1).max(10_000).default(200),
      offset: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
      after: z.array(CellInput).max(32).optional(),
      sort: z.array(z.object({ column: Name, descending: z.boolean().default(false) })).max(32).default([]),
      filters: z.array(FilterInput).max(64).default([]),
      queryId: QueryId,
    }),
    output: QueryResultView.extend({
      sql: z.string(),
      params: z.array(z.unknown()),
      paging: z.enum(['keyset', 'offset']),
      keyColumns: z.array(z.number()),
    }),
  }),
  'data.planChanges': method({
    description: 'The exact statements a set of grid edits would run, with their parameters written out for reading.',
    input: ChangeSetInput,
    output: z.array(PlannedStatementView),
  }),
  'data.applyChanges': method({
    description: 'Runs grid edits in one transaction: all of them, or none when any fails or a row is gone.',
    input: ChangeSetInput,
    output: z.object({ statements: z.number(), rowsAffected: z.number(), durationMs: z.number() }),
  }),
  'data.explain': method({
    description: "The server's plan for one statement (EXPLAIN, EXPLAIN QUERY PLAN).",
    input: z.object({ alias: Alias, sql: z.string().min(1).max(4 * 1024 * 1024), params: Params }),
    output: QueryResultView,
  }),
  'data.exportToFile': method({
    description:
      'Desktop app only: asks where to save (its save dialog), then streams a table or a query there as CSV or JSON lines, with data.exportProgress events; data.cancel stops it and leaves no file. Serve mode downloads GET /api/v1/data/export instead.',
    input: z
      .object({
        alias: Alias,
        format: z.enum(['csv', 'jsonl']).default('csv'),
        table: TableRefView.optional(),
        sql: z.string().min(1).max(4 * 1024 * 1024).optional(),
        params: Params,
        queryId: z.string().min(1).max(200),
      })
      .refine((input) => (input.table === undefined) !== (input.sql === undefined), { message: 'Give a table or a SQL query, not both.', path: ['table'] }),
    output: z.object({ saved: z.boolean(), file: z.string().optional(), rows: z.number().optional(), bytes: z.number().optional() }),
  }),
  'data.django': method({
    description: "Django's view of a database: each app's applied migrations, and the model behind each table.",
    input: z.object({ alias: Alias }),
    output: z.object({
      isDjango: z.boolean(),
      migrations: z.array(z.object({ app: z.string(), name: z.string(), applied: z.string().nullable() })),
      models: z.array(z.object({ table: z.string(), app: z.string(), model: z.string() })),
    }),
  }),
}
