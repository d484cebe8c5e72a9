import { readFileSync } from 'node:fs'
import { userInfo } from 'node:os'
import { createConnection, createPool, type ConnectionOptions, type Pool, type PoolConnection, type SslOptions } from 'mysql2'
import { z } from 'zod'
import { resolveInDataDir } from '../../../core/data-dir'
import { defineEngine, type EngineContext } from '../../../core/engine'
import { BackplaneError, ErrorCode } from '../../../core/errors'
import { rememberSecret } from '../../../core/redact'
import { withTunnel, type TunnelEndpoint } from '../../../core/ssh/tunnel'
import { BaseDatabase, type DataSession, type SchemaSummary, type TableDetail, type TableRef, type TableSummary } from '../base'
import { NetworkDatabaseOptions } from '../network-options'
import { describeTable } from './mysql-catalog'
import { mysqlError } from './mysql-errors'
import { MysqlSession, type SessionHost } from './mysql-session'
import { mysqlDialect, type BoundSql } from './mysql-sql'
import { typeCast } from './mysql-types'

const MysqlOptions = NetworkDatabaseOptions.extend({
  port: z.number().int().min(1).max(65535).default(3306).describe('Server port (Django: PORT); 3306 is the usual one. A HOST starting with "/" is a Unix socket instead.'),
  ssl: z
    .enum(['off', 'preferred', 'required', 'verify-ca', 'verify-identity'])
    .default('off')
    .describe(
      'TLS, as MySQL\'s ssl-mode: "preferred" uses it when the server offers it, "required" insists but checks no certificate, "verify-ca" also checks it against the CA, "verify-identity" also checks that HOST is a name in it.',
    ),
  sslCa: z.string().optional().describe('The CA certificate (PEM file) that signed the server certificate, for verify-ca and verify-identity; relative paths start in the data directory.'),
  charset: z.string().min(1).default('utf8mb4').describe('Connection character set (Django: OPTIONS charset); utf8mb4 holds every Unicode character.'),
})
type MysqlOptions = z.output<typeof MysqlOptions>

/** What Django's OPTIONS isolation_level takes; it and init_command are run on each new connection, not given to mysql2. */
const ISOLATION_LEVELS = ['read uncommitted', 'read committed', 'repeatable read', 'serializable']

/**
 * MySQL and MariaDB through mysql2, as Django's mysql backend: a pool of connections (through an SSH
 * tunnel when configured), rows streamed in batches, cancel by KILL QUERY, read-only aliases kept so by
 * the server's read-only transactions (mysql-session.ts).
 */
class MysqlDatabase extends BaseDatabase<MysqlOptions> {
  readonly vendor = 'mysql'
  readonly dialect = mysqlDialect
  private pool: Pool | undefined
  private endpoint: TunnelEndpoint | undefined
  private opening: Promise<Pool> | undefined
  /** What each connection is made with (the pool's and the one KILL QUERY takes). */
  private connection: ConnectionOptions | undefined
  /** Connections whose session settings are made (see setUp). */
  private readonly ready = new WeakSet<PoolConnection>()
  /** The server said it has no TLS, and the alias only prefers it. */
  private tlsRefused = false
  private mariadb: boolean | undefined
  private readonly driverOptions: Record<string, unknown>
  private readonly initCommand: string | undefined
  private readonly isolation: string | undefined
  private readonly host: SessionHost

  constructor(options: MysqlOptions, ctx: EngineContext) {
    super(options, ctx)
    if (options.password) rememberSecret(options.password)
    const { init_command: initCommand, isolation_level: isolation, ...driverOptions } = options.options
    if (isolation !== undefined && !ISOLATION_LEVELS.includes(String(isolation).toLowerCase())) {
      throw new BackplaneError(ErrorCode.E_INVALID_OPTIONS, `OPTIONS isolation_level "${String(isolation)}" is not one of ${ISOLATION_LEVELS.join(', ')}.`, {
        details: { issues: [{ path: ['options', 'isolation_level'], message: `One of ${ISOLATION_LEVELS.join(', ')}.` }] },
      })
    }
    this.initCommand = initCommand === undefined ? undefined : String(initCommand)
    this.isolation = isolation === undefined ? undefined : String(isolation).toUpperCase()
    this.driverOptions = driverOptions
    this.host = {
      readOnly: this.readOnly,
      alias: ctx.alias,
      killQuery: (threadId) => this.killQuery(threadId),
      error: (err, bound) => this.error(err, bound),
      forgetSetup: (connection) => this.ready.delete(connection),
    }
  }

  protected override driverError(err: unknown): BackplaneError {
    return this.error(err)
  }

  protected async openSession(): Promise<DataSession> {
    const connection = await this.pooledConnection()
    if (!this.ready.has(connection)) {
      try {
        await this.setUp(connection)
      } catch (err) {
        connection.destroy()
        throw this.error(err)
      }
    }
    return new MysqlSession(connection, this.host)
  }

  async serverVersion(): Promise<string> {
    const [row] = await this.select('SELECT VERSION()')
    // MariaDB says "10.11.6-MariaDB-1:10.11.6+maria~ubu2204"; MySQL "8.0.36" or "8.0.36-0ubuntu0.22.04.1".
    const version = String(row?.[0] ?? '')
    this.mariadb = /mariadb/i.test(version)
    return `${this.mariadb ? 'MariaDB' : 'MySQL'} ${/^\d+(\.\d+)*/.exec(version)?.[0] ?? version}`
  }

  /** Databases (MySQL's schemas), without the server's own. */
  async schemas(): Promise<SchemaSummary[]> {
    const rows = await this.select(
      "SELECT SCHEMA_NAME, SCHEMA_NAME = DATABASE() FROM information_schema.SCHEMATA WHERE SCHEMA_NAME NOT IN ('mysql', 'information_schema', 'performance_schema', 'sys') ORDER BY SCHEMA_NAME",
    )
    return rows.map(([name, isDefault]) => ({ name: String(name), isDefault: Number(isDefault) === 1 }))
  }

  /** The tables and views of one database: the alias's own (NAME) unless another is named. */
  async listTables(schema?: string): Promise<TableSummary[]> {
    const rows = await this.select(
      "SELECT TABLE_SCHEMA, TABLE_NAME, TABLE_TYPE, TABLE_ROWS FROM information_schema.TABLES WHERE TABLE_SCHEMA = COALESCE(?, DATABASE()) AND TABLE_TYPE IN ('BASE TABLE', 'SYSTEM VERSIONED', 'VIEW') ORDER BY TABLE_NAME",
      [schema ?? null],
    )
    return rows.map(([db, name, type, estimate]) => ({
      schema: String(db),
      name: String(name),
      type: type === 'VIEW' ? 'view' : 'table',
      ...(estimate === null || type === 'VIEW' ? {} : { rowEstimate: Number(estimate) }),
    }))
  }

  async describe(table: TableRef): Promise<TableDetail> {
    if (this.mariadb === undefined) await this.serverVersion()
    return describeTable((sql, params) => this.select(sql, params), table, Boolean(this.mariadb))
  }

  async close(): Promise<void> {
    await this.dropPool()
  }

  // --- connections ---------------------------------------------------------------------------

  private async pooledConnection(retried = false): Promise<PoolConnection> {
    const pool = await this.openPool()
    try {
      return await new Promise<PoolConnection>((resolve, reject) => pool.getConnection((err, connection) => (err ? reject(err) : resolve(connection))))
    } catch (err) {
      if (!retried && this.options.ssl === 'preferred' && (err as { code?: string }).code === 'HANDSHAKE_NO_SSL_SUPPORT') {
        this.tlsRefused = true
        await this.dropPool()
        return this.pooledConnection(true)
      }
      throw this.error(err)
    }
  }

  /** The pool, opened (with its tunnel) on first use, and again after the tunnel was lost. */
  private openPool(): Promise<Pool> {
    if (this.pool && !this.endpoint?.tunnel?.closed) return Promise.resolve(this.pool)
    this.opening ??= this.createPool().finally(() => {
      this.opening = undefined
    })
    return this.opening
  }

  private async createPool(): Promise<Pool> {
    await this.dropPool()
    const { host, port, tunnel } = this.options
    const socketPath = host.startsWith('/') && !tunnel ? host : undefined
    const ssl = this.tls()
    const endpoint = socketPath ? undefined : await withTunnel(tunnel, { host, port }, { dataDir: this.ctx.dataDir, log: this.ctx.log, readyTimeoutMs: this.options.connectTimeoutSeconds * 1000 })
    this.endpoint = endpoint
    const connection: ConnectionOptions = {
      ...this.driverOptions,
      ...(socketPath ? { socketPath } : { host: endpoint!.host, port: endpoint!.port }),
      user: this.options.user || currentUser(),
      password: this.options.password ?? '',
      database: this.options.name,
      charset: this.options.charset,
      connectTimeout: this.options.connectTimeoutSeconds * 1000,
      ...(ssl ? { ssl } : {}),
      supportBigNumbers: true,
      bigNumberStrings: true,
      decimalNumbers: false,
      // DATETIME and TIMESTAMP as the server's text: never shifted into this computer's zone.
      dateStrings: true,
      timezone: 'Z',
      multipleStatements: false,
      typeCast,
      // No LOAD DATA LOCAL (the server could ask for any file of this computer); no IGNORE_SPACE, which
      // makes function names reserved words and is lost on COM_RESET_CONNECTION anyway.
      flags: ['-LOCAL_FILES', '-IGNORE_SPACE'],
    }
    try {
      this.pool = createPool({ ...connection, connectionLimit: this.options.poolSize, waitForConnections: true, queueLimit: 0, enableKeepAlive: true })
    } catch (err) {
      await endpoint?.close()
      this.endpoint = undefined
      throw new BackplaneError(ErrorCode.E_INVALID_OPTIONS, `The connection settings are not valid: ${(err as Error).message}.`, { cause: err, hint: 'Check the character set and the OPTIONS of the alias.' })
    }
    this.connection = connection
    return this.pool
  }

  private async dropPool(): Promise<void> {
    const { pool, endpoint } = this
    this.pool = undefined
    this.endpoint = undefined
    this.connection = undefined
    if (pool) await new Promise<void>((resolve) => pool.end(() => resolve()))
    await endpoint?.close()
  }

  /**
   * A new connection's session settings: Django's OPTIONS isolation_level and init_command, then the
   * sql_mode without NO_BACKSLASH_ESCAPES. mysql2 writes parameters in with backslash escapes, and the
   * statement scanner reads strings with them: that mode would make both wrong (a parameter could end its
   * string early), whether the server or init_command sets it.
   */
  private async setUp(connection: PoolConnection): Promise<void> {
    const run = (sql: string) => new Promise<void>((resolve, reject) => connection.query(sql, (err) => (err ? reject(err) : resolve())))
    if (this.isolation) await run(`SET SESSION TRANSACTION ISOLATION LEVEL ${this.isolation}`)
    if (this.initCommand) await run(this.initCommand)
    await run("SET SESSION sql_mode = TRIM(BOTH ',' FROM REPLACE(CONCAT(',', @@SESSION.sql_mode, ','), ',NO_BACKSLASH_ESCAPES,', ','))")
    this.ready.add(connection)
  }

  /** KILL QUERY from a connection of its own: the pool may have none free, when this call holds the last. */
  private async killQuery(threadId: number): Promise<void> {
    const options = this.connection
    if (!options) return
    const connection = createConnection(options)
    connection.on('error', () => undefined)
    try {
      // ER_NO_SUCH_THREAD: the connection is gone already, and its statement with it.
      await new Promise<void>((resolve, reject) => connection.query(`KILL QUERY ${Math.trunc(threadId)}`, (err) => (err && err.errno !== 1094 ? reject(err) : resolve())))
    } finally {
      connection.destroy()
    }
  }

  private tls(): SslOptions | undefined {
    const mode = this.options.ssl
    if (mode === 'off' || (mode === 'preferred' && this.tlsRefused)) return undefined
    const verify = mode === 'verify-ca' || mode === 'verify-identity'
    return { ...(this.options.sslCa ? { ca: this.readCa(this.options.sslCa) } : {}), rejectUnauthorized: verify, verifyIdentity: mode === 'verify-identity' }
  }

  private readCa(path: string): Buffer {
    try {
      return readFileSync(resolveInDataDir(this.ctx.dataDir, path))
    } catch (err) {
      throw new BackplaneError(ErrorCode.E_TLS_FILE, `Cannot read the CA file (sslCa) "${path}" (${(err as NodeJS.ErrnoException).code ?? 'error'}).`, {
        cause: err,
        hint: 'Check the path of the CA certificate; a relative path starts in the data directory.',
      })
    }
  }

  private error(err: unknown, bound?: BoundSql): BackplaneError {
    const { host, port, tunnel } = this.options
    return mysqlError(
      err,
      {
        alias: this.ctx.alias,
        server: host.startsWith('/') && !tunnel ? host : `${host}:${port}${tunnel ? ` (through SSH ${tunnel.host})` : ''}`,
        user: this.options.user || currentUser(),
        database: this.options.name,
        readOnly: this.readOnly,
        connectTimeoutSeconds: this.options.connectTimeoutSeconds,
        tunnel: this.endpoint?.tunnel,
      },
      bound,
    )
  }
}

/** An empty USER means this computer's login name, as the mysql client and mysqlclient take it. */
function currentUser(): string {
  try {
    return userInfo().username
  } catch {
    return ''
  }
}

export const mysqlEngine = defineEngine({
  kind: 'data',
  id: 'mysql',
  title: 'MySQL / MariaDB',
  description: "A MySQL (5.7, 8) or MariaDB (10.3 and later) server, as Django's mysql backend; directly, over a Unix socket or through an SSH tunnel.",
  options: MysqlOptions,
  create: (options, ctx) => new MysqlDatabase(options, ctx),
})
