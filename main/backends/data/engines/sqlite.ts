import { existsSync } from 'node:fs'
import { dirname } from 'node:path'
import { inspectFolder, makeDirectorySync } from '../../../core/make-directory'
import { HealthProbe } from '../../../core/health-probe'
import type { HealthReport } from '../../../core/schemas/health'
import { z } from 'zod'
import { defineEngine, type EngineContext } from '../../../core/engine'
import { BackplaneError, ErrorCode } from '../../../core/errors'
import { isOwnDataFile, resolveInDataDir } from '../../../core/data-dir'
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
  private readonly file: string
  private opened: SqliteDatabase | undefined

  constructor(options: SqliteOptions, ctx: EngineContext) {
    super(options, ctx)
    this.file = options.name === ':memory:' ? ':memory:' : resolveInDataDir(ctx.dataDir, options.name)
    assertNotBackplanesOwn(this.file, ctx.dataDir)
  }

  /** Opened on first use, as Django connects lazily: creating the alias (or testing it) makes no file. */
  private get db(): SqliteDatabase {
    if (!this.opened) {
      if (this.file !== ':memory:') makeDirectorySync(dirname(this.file))
      this.opened = openSqlite(this.file)
    }
    return this.opened
  }

  /** A database file that does not exist yet is reported as such, not created by looking at it. */
  override async check(): Promise<HealthReport> {
    if (this.opened || this.file === ':memory:' || existsSync(this.file)) return super.check()
    const probe = new HealthProbe('data', this.ctx.alias, this.ctx.engine)
    probe.version = await probe.step('version', () => sqliteLibraryVersion(), (v) => v)
    await probe.step('file', () => inspectFolder(dirname(this.file)), () => `${this.file} does not exist yet; it is created on first use`)
    probe.summary = 'A new database, created on first use'
    return probe.report()
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
    if (this.opened?.open) this.opened.close()
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

/** A database alias never opens Backplane's own files (the outbox, settings, secrets, the trust list) as a database. */
function assertNotBackplanesOwn(file: string, dataDir: string): void {
  if (file === ':memory:' || !isOwnDataFile(dataDir, file)) return
  throw new BackplaneError(ErrorCode.E_RESERVED_PATH, `${file} is one of Backplane's own files, not a database this alias may open.`, {
    hint: 'Name a .sqlite3 (or .db) file: in the data directory beside backplane.sqlite3, or anywhere else.',
  })
}

function sqliteLibraryVersion(): string {
  const memory = openSqlite(':memory:')
  try {
    return `SQLite ${(memory.prepare('select sqlite_version() as v').get() as { v: string }).v}`
  } finally {
    memory.close()
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
