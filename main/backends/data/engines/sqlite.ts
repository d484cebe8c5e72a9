import { existsSync } from 'node:fs'
import { dirname } from 'node:path'
import { z } from 'zod'
import { isOwnDataFile, resolveInDataDir } from '../../../core/data-dir'
import { defineEngine, type EngineContext } from '../../../core/engine'
import { BackplaneError, ErrorCode } from '../../../core/errors'
import { HealthProbe } from '../../../core/health-probe'
import { inspectFolder, makeDirectorySync } from '../../../core/make-directory'
import type { HealthReport } from '../../../core/schemas/health'
import { openSqlite } from '../../../core/sqlite'
import { SqliteThread, type ThreadError } from '../../../core/sqlite-thread'
import { BaseDatabase, DatabaseOptions, readOnlyRefusal, type DataSession, type SchemaSummary, type TableDetail, type TableRef, type TableSummary } from '../base'
import { quoteWith, standardDialect, standardLiteral, type SqlDialect } from '../dialect'
import { codeWords, firstKeyword, indexInCode } from '../sql-text'
import { ThreadPool } from './thread-pool'

const SqliteOptions = DatabaseOptions.extend({
  name: z
    .string()
    .min(1)
    .default('backplane.sqlite3')
    .describe('Database file; relative paths start in the data directory. ":memory:" for a throwaway database.'),
  poolSize: z.number().int().min(1).max(16).default(4).describe('Connections (each on its own thread) at most; a long query on one leaves the others free.'),
})
type SqliteOptions = z.output<typeof SqliteOptions>

const dialect: SqlDialect = {
  ...standardDialect,
  name: 'SQLite',
  lexer: { backticks: true, brackets: true },
  literal: (value) => standardLiteral(typeof value === 'boolean' ? Number(value) : value),
  explain: (sql) => `EXPLAIN QUERY PLAN ${sql}`,
  likeComparison: (column) => `${column} LIKE ? ESCAPE '!'`,
  quoteIdentifier: (name) => quoteWith('"', name),
}

/**
 * SQLite through better-sqlite3, the driver Django's sqlite3 backend corresponds to, with every
 * connection on a thread (core/sqlite-thread.ts). Cancel ends the thread running the statement.
 */
class SqliteDatabaseBackend extends BaseDatabase<SqliteOptions> {
  readonly vendor = 'sqlite'
  readonly dialect = dialect
  private readonly file: string
  private readonly pool: ThreadPool<SqliteThread>

  constructor(options: SqliteOptions, ctx: EngineContext) {
    super(options, ctx)
    this.file = options.name === ':memory:' ? ':memory:' : resolveInDataDir(ctx.dataDir, options.name)
    assertNotBackplanesOwn(this.file, ctx.dataDir)
    // Each connection to ":memory:" is a database of its own: one connection, or tables would vanish.
    const size = this.file === ':memory:' ? 1 : options.poolSize
    this.pool = new ThreadPool(size, () => {
      // A read-only alias creates nothing: a file that is not there is reported, not made.
      if (this.file !== ':memory:' && !this.readOnly) makeDirectorySync(dirname(this.file))
      return new SqliteThread({ file: this.file, readOnly: this.readOnly })
    })
  }

  /** A database file that does not exist yet is reported as such, not created by looking at it. */
  override async check(): Promise<HealthReport> {
    if (this.pool.opened || this.file === ':memory:' || existsSync(this.file) || this.readOnly) return super.check()
    const probe = new HealthProbe('data', this.ctx.alias, this.ctx.engine)
    probe.version = await probe.step('version', () => sqliteLibraryVersion(), (v) => v)
    await probe.step('file', () => inspectFolder(dirname(this.file)), () => `${this.file} does not exist yet; it is created on first use`)
    probe.summary = 'A new database, created on first use'
    return probe.report()
  }

  protected async openSession(): Promise<DataSession> {
    const thread = await this.pool.acquire()
    const alias = this.ctx.alias
    const readOnly = this.readOnly
    const run = async (sql: string) => {
      await thread.execute(sql, []).catch((err: ThreadError) => {
        throw sqliteError(err, sql, alias, readOnly)
      })
    }
    return {
      execute: async (sql, params, sink) => {
        refuseOutsideFiles(sql)
        try {
          const outcome = await thread.execute(
            sql,
            params,
            {
              columns: (columns) => sink.columns(columns.map((c) => ({ name: c.name, ...(c.type ? { type: c.type } : {}) }))),
              rows: async (batch) => sink.rows(batch),
            },
            sink.limit,
          )
          return outcome.hasResultSet ? { hasResultSet: true } : { hasResultSet: false, affectedRows: outcome.changes }
        } catch (err) {
          throw sqliteError(err as ThreadError, sql, alias, readOnly)
        }
      },
      cancel: () => thread.terminate(),
      // IMMEDIATE takes the write lock at once: a transaction that reads and then writes, while another
      // connection writes, would otherwise fail at its first write instead of waiting its turn.
      begin: () => run(readOnly ? 'BEGIN' : 'BEGIN IMMEDIATE'),
      commit: () => run('COMMIT'),
      rollback: () => run('ROLLBACK'),
      release: async (discard) => {
        if (!discard && thread.alive) await thread.execute('ROLLBACK', []).catch(() => undefined)
        this.pool.release(thread, Boolean(discard) || !thread.alive)
      },
    }
  }

  async serverVersion(): Promise<string> {
    const [row] = await this.select('SELECT sqlite_version()')
    return `SQLite ${String(row?.[0])}`
  }

  async schemas(): Promise<SchemaSummary[]> {
    const rows = await this.select('PRAGMA database_list')
    return rows.map((r) => ({ name: String(r[1]), isDefault: r[1] === 'main' }))
  }

  async listTables(schema?: string): Promise<TableSummary[]> {
    const where = schema ? this.dialect.quoteIdentifier(schema) + '.' : ''
    const rows = await this.select(`SELECT name, type FROM ${where}sqlite_schema WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%' ORDER BY name`)
    return rows.map(([name, type]) => ({ ...(schema && schema !== 'main' ? { schema } : {}), name: String(name), type: type === 'view' ? 'view' : 'table' }))
  }

  async describe(table: TableRef): Promise<TableDetail> {
    const schema = this.dialect.quoteIdentifier(table.schema ?? 'main')
    const [kind] = await this.select(`SELECT type, sql FROM ${schema}.sqlite_schema WHERE name = ? AND type IN ('table', 'view')`, [table.name])
    if (!kind) {
      throw new BackplaneError(ErrorCode.E_NOT_FOUND, `There is no table or view "${table.name.slice(0, 200)}" in ${table.schema ?? 'main'}.`, { hint: 'Reload the table list: it may have been dropped or renamed.' })
    }
    const columns = await this.select(`SELECT name, type, "notnull", dflt_value, pk, hidden FROM pragma_table_xinfo(?, ?)`, [table.name, table.schema ?? 'main'])
    const pkCount = columns.filter((c) => Number(c[4]) > 0).length
    const detail: TableDetail = {
      ...(table.schema && table.schema !== 'main' ? { schema: table.schema } : {}),
      name: table.name,
      type: kind[0] === 'view' ? 'view' : 'table',
      columns: columns
        .filter((c) => Number(c[5]) === 0 || Number(c[5]) >= 2)
        .map(([name, type, notnull, dflt, pk, hidden]) => ({
          name: String(name),
          type: String(type ?? ''),
          nullable: Number(notnull) === 0 && !(Number(pk) > 0 && pkCount === 1 && /^integer$/i.test(String(type))),
          default: dflt === null ? null : String(dflt),
          primaryKey: Number(pk),
          ...(Number(hidden) >= 2 || (Number(pk) > 0 && pkCount === 1 && /^integer$/i.test(String(type))) ? { generated: true } : {}),
        })),
      primaryKey: columns
        .filter((c) => Number(c[4]) > 0)
        .sort((a, b) => Number(a[4]) - Number(b[4]))
        .map((c) => String(c[0])),
      indexes: [],
      foreignKeys: [],
    }
    if (detail.type === 'view') return { ...detail, ...(kind[1] ? { definition: String(kind[1]) } : {}) }
    for (const [, name, unique, origin] of await this.select(`SELECT seq, name, "unique", origin FROM pragma_index_list(?, ?)`, [table.name, table.schema ?? 'main'])) {
      const cols = await this.select(`SELECT name FROM pragma_index_info(?, ?) ORDER BY seqno`, [String(name), table.schema ?? 'main'])
      detail.indexes.push({ name: String(name), columns: cols.map((c) => String(c[0])), unique: Number(unique) === 1, primary: origin === 'pk' })
    }
    if (detail.primaryKey.length > 0 && !detail.indexes.some((i) => i.primary)) {
      detail.indexes.unshift({ name: `${table.name} primary key`, columns: detail.primaryKey, unique: true, primary: true })
    }
    const fks = new Map<number, TableDetail['foreignKeys'][number]>()
    for (const [id, , refTable, from, to, onUpdate, onDelete] of await this.select(`SELECT id, seq, "table", "from", "to", on_update, on_delete FROM pragma_foreign_key_list(?, ?) ORDER BY id, seq`, [table.name, table.schema ?? 'main'])) {
      const fk = fks.get(Number(id)) ?? { columns: [], references: { name: String(refTable), columns: [] }, onUpdate: String(onUpdate), onDelete: String(onDelete) }
      fk.columns.push(String(from))
      if (to !== null) fk.references.columns.push(String(to))
      fks.set(Number(id), fk)
    }
    detail.foreignKeys = [...fks.values()]
    return detail
  }

  async close(): Promise<void> {
    await this.pool.close(async (thread) => {
      await thread.terminate()
      await thread.exited
    })
  }
}

/**
 * ATTACH and VACUUM INTO name files of their own choosing: they could open Backplane's own databases
 * (which an alias may not) or write anywhere. A database is opened as an alias of its own instead.
 */
function refuseOutsideFiles(sql: string): void {
  const first = firstKeyword(sql, dialect.lexer)
  const words = first === 'VACUUM' || first === 'ATTACH' ? [] : codeWords(sql, dialect.lexer)
  if (first === 'ATTACH' || (first === 'VACUUM' && /\bINTO\b/i.test(sql)) || words.includes('ATTACH')) {
    throw new BackplaneError(ErrorCode.E_UNSUPPORTED, `${first === 'VACUUM' ? 'VACUUM INTO' : 'ATTACH'} is not run by Backplane: it names a file outside this alias.`, {
      hint: 'Add the other file as a data alias of its own in Settings.',
    })
  }
}

/** A thread's error as a typed one; SQLite's "near "X": syntax error" gives the position of X. */
function sqliteError(err: ThreadError, sql: string, alias: string, readOnly: boolean): BackplaneError {
  if (err.code === 'BACKPLANE_READ_ONLY' || (readOnly && /^SQLITE_READONLY/.test(err.code ?? ''))) return readOnlyRefusal(alias)
  if (err.code === 'THREAD_TERMINATED') return new BackplaneError(ErrorCode.E_CANCELLED, 'The query was stopped.')
  if (err.code === 'THREAD_EXITED' || err.code === 'THREAD_ERROR') return new BackplaneError(ErrorCode.E_ENGINE_FAILED, `SQLite's thread failed: ${err.message}`, { hint: 'Run the statement again; a new connection is opened.' })
  if (err.code === 'SQLITE_BUSY') return new BackplaneError(ErrorCode.E_TIMEOUT, `${err.message}: another connection holds the write lock.`, { hint: 'Wait for the other writer (another program, or a long transaction) to finish.' })
  if (err.code === 'SQLITE_CANTOPEN' && readOnly) return new BackplaneError(ErrorCode.E_NOT_FOUND, `SQLite cannot open the database file: ${err.message}. A read-only alias opens an existing file and creates none.`, { hint: 'Check the file name, or turn off "read only" to create the database.' })
  if (err.code === 'SQLITE_CANTOPEN') return new BackplaneError(ErrorCode.E_PERMISSION, `SQLite cannot open the database file: ${err.message}`, { hint: 'Check the file name and the folder permissions.' })
  const near = /near "([^"]+)"/.exec(err.message)
  // The token SQLite names, where it stands in code: the same text inside a string is not what failed.
  const position = near ? indexInCode(sql, near[1]!, dialect.lexer) : -1
  return new BackplaneError(ErrorCode.E_SQL, err.message, {
    hint: /more than one statement/i.test(err.message) ? 'Run it as a script.' : "Check the statement against SQLite's syntax.",
    details: { serverCode: err.code ?? 'SQLITE_ERROR', ...(position >= 0 ? { position } : {}) },
  })
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
