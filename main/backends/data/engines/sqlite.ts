import { dirname } from 'node:path'
import { makeDirectorySync } from '../../../core/make-directory'
import { z } from 'zod'
import { defineEngine, type EngineContext } from '../../../core/engine'
import { BackplaneError, ErrorCode } from '../../../core/errors'
import { resolveInDataDir } from '../../../core/data-dir'
import { openSqlite, type SqliteDatabase } from '../../../core/sqlite'
import { BaseDatabase, DatabaseOptions, type QueryResult, type TableInfo } from '../base'

const SqliteOptions = DatabaseOptions.extend({
  name: z
    .string()
    .min(1)
    .default('backplane.sqlite3')
    .describe('Database file; relative paths start in the data directory. ":memory:" for a throwaway database.'),
})
type SqliteOptions = z.output<typeof SqliteOptions>

/** SQLite through better-sqlite3, the driver Django's sqlite3 backend corresponds to. */
class SqliteDatabaseBackend extends BaseDatabase {
  readonly vendor = 'sqlite'
  private readonly db: SqliteDatabase

  constructor(options: SqliteOptions, ctx: EngineContext) {
    super(options, ctx)
    const file = options.name === ':memory:' ? ':memory:' : resolveInDataDir(ctx.dataDir, options.name)
    if (file !== ':memory:') makeDirectorySync(dirname(file))
    this.db = openSqlite(file)
  }

  protected async run(sql: string, params: readonly unknown[], maxRows: number): Promise<Omit<QueryResult, 'durationMs'>> {
    // Safe integers: row ids beyond 2^53 must not be rounded on the way to the GUI.
    const stmt = this.prepare(sql).safeIntegers(true)
    if (!stmt.reader) {
      const info = stmt.run(...params)
      return { columns: [], rows: [], rowCount: info.changes, truncated: false }
    }
    const columns = stmt.columns().map((c) => ({ name: c.name, ...(c.type ? { type: c.type } : {}) }))
    const rows: unknown[][] = []
    let truncated = false
    // iterate() streams: only maxRows + 1 rows are ever read, whatever the table holds.
    for (const row of stmt.raw(true).iterate(...params) as IterableIterator<unknown[]>) {
      if (rows.length === maxRows) {
        truncated = true
        break
      }
      rows.push(row)
    }
    return { columns, rows, rowCount: rows.length, truncated }
  }

  protected async isReadOnlyStatement(sql: string): Promise<boolean> {
    return this.prepare(sql).readonly
  }

  protected async serverVersion(): Promise<string> {
    const row = this.db.prepare('select sqlite_version() as v').get() as { v: string }
    return `SQLite ${row.v}`
  }

  async tables(): Promise<TableInfo[]> {
    const rows = this.db
      .prepare("select name, type from sqlite_schema where type in ('table', 'view') and name not like 'sqlite_%' order by name")
      .all() as { name: string; type: 'table' | 'view' }[]
    return rows.map((r) => ({ name: r.name, type: r.type }))
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close()
  }

  private prepare(sql: string) {
    try {
      return this.db.prepare(sql)
    } catch (err) {
      throw new BackplaneError(ErrorCode.E_SQL, (err as Error).message, {
        cause: err,
        hint: /more than one statement/i.test((err as Error).message) ? 'Run one statement at a time.' : 'Check the statement against SQLite\'s syntax.',
      })
    }
  }
}

export const sqliteEngine = defineEngine({
  kind: 'data',
  id: 'sqlite',
  title: 'SQLite',
  description: 'A database in one file, nothing to install. The default.',
  options: SqliteOptions,
  create: (options, ctx) => new SqliteDatabaseBackend(options, ctx),
})
