import { Client, Pool, type PoolClient, type PoolConfig } from 'pg'
import { defineEngine, type EngineContext } from '../../../core/engine'
import { ErrorCode, toBackplaneError, type BackplaneError } from '../../../core/errors'
import { rememberSecret } from '../../../core/redact'
import { withTunnel, type TunnelEndpoint } from '../../../core/ssh/tunnel'
import { BaseDatabase, statementError, type DataSession, type SchemaSummary, type TableDetail, type TableRef, type TableSummary } from '../base'
import { standardDialect, standardLiteral, type SqlDialect } from '../dialect'
import { endsConnection, postgresqlError, type ErrorContext } from './postgresql-errors'
import * as introspection from './postgresql-introspection'
import { driverOptions, PostgresqlOptions, sslModeOf, tlsOptions } from './postgresql-options'
import { PostgresqlSession } from './postgresql-session'
import { TypeCatalogue } from './postgresql-types'

export { PostgresqlOptions }

export const postgresqlDialect: SqlDialect = {
  ...standardDialect,
  name: 'PostgreSQL',
  placeholder: 'dollar',
  lexer: { dollarQuotes: true },
  literal: (value) => standardLiteral(value, (bytes) => `'\\x${Buffer.from(bytes).toString('hex')}'::bytea`),
  explain: (sql) => `EXPLAIN (FORMAT TEXT) ${sql}`,
  likeComparison: (column) => `CAST(${column} AS text) ILIKE ? ESCAPE '!'`,
}

/** One pool, on one tunnel (or none), with the type names it has learned. */
interface Connection {
  pool: Pool
  config: PoolConfig
  endpoint: TunnelEndpoint
  types: TypeCatalogue
  shut?: Promise<void>
}

/**
 * Django's postgresql backend through node-postgres: a pool of poolSize connections opened on first use,
 * statements through pg-cursor (the extended protocol: one statement per call, rows read in batches),
 * cancel by pg_cancel_backend, values exact (postgresql-types.ts), read-only enforced by the server
 * (postgresql-session.ts).
 */
class PostgresqlDatabase extends BaseDatabase<PostgresqlOptions> {
  readonly vendor = 'postgresql'
  readonly dialect = postgresqlDialect
  private opening: Promise<Connection> | undefined
  private current: Connection | undefined
  /** sslmode prefer, after the server said it has no TLS. */
  private plainText = false

  constructor(options: PostgresqlOptions, ctx: EngineContext) {
    super(options, ctx)
    if (options.password) rememberSecret(options.password)
  }

  protected async openSession(): Promise<DataSession> {
    const { client, connection } = await this.checkout()
    return new PostgresqlSession(client, {
      readOnly: this.readOnly,
      types: connection.types,
      cancelBackend: (pid) => this.cancelBackend(pid),
      error: (err) => this.typed(err, connection, statementError),
    })
  }

  protected override driverError(err: unknown): BackplaneError | undefined {
    return postgresqlError(err, this.errorContext(this.current))
  }

  async serverVersion(): Promise<string> {
    const [row] = await this.catalogue('SHOW server_version', [])
    // "15.8 (Debian 15.8-1.pgdg120+1)": the version, without the packager's suffix.
    return `PostgreSQL ${String(row?.[0] ?? '').split(' ')[0]}`
  }

  schemas(): Promise<SchemaSummary[]> {
    return introspection.schemas(this.catalogue)
  }

  listTables(schema?: string): Promise<TableSummary[]> {
    return introspection.listTables(this.catalogue, schema)
  }

  describe(table: TableRef): Promise<TableDetail> {
    return introspection.describe(this.catalogue, table)
  }

  /** Ends the pool and the tunnel; as Django's connections, the next call connects again. */
  async close(): Promise<void> {
    const opening = this.opening
    this.opening = undefined
    this.current = undefined
    const connection = await opening?.catch(() => undefined)
    if (connection) await this.shut(connection)
  }

  // --- connections -----------------------------------------------------------------------------

  private async connection(): Promise<Connection> {
    const connection = await this.openOnce()
    if (!connection.endpoint.tunnel?.closed) return connection
    // The SSH connection was lost: a new tunnel, and a new pool on its new port.
    this.ctx.log.info(`data ${this.ctx.alias}: the SSH tunnel was closed; opening it again`)
    if (this.current === connection) {
      this.current = undefined
      this.opening = undefined
    }
    void this.shut(connection)
    return this.openOnce()
  }

  private openOnce(): Promise<Connection> {
    if (!this.opening) {
      const opening = this.open()
      this.opening = opening
      opening.catch(() => {
        if (this.opening === opening) this.opening = undefined
      })
    }
    return this.opening
  }

  private async open(): Promise<Connection> {
    const o = this.options
    const ssl = tlsOptions(o, this.ctx.dataDir, this.plainText)
    const endpoint = await withTunnel(o.tunnel, { host: o.host, port: o.port }, { dataDir: this.ctx.dataDir, log: this.ctx.log, readyTimeoutMs: o.connectTimeoutSeconds * 1000 })
    const types = new TypeCatalogue()
    const config: PoolConfig = {
      application_name: 'Backplane',
      ...driverOptions(o),
      host: endpoint.host,
      port: endpoint.port,
      database: o.name,
      // Empty: libpq's default, the operating system's user name (node-postgres reads PGUSER, then USER).
      ...(o.user ? { user: o.user } : {}),
      ...(o.password !== undefined ? { password: o.password } : {}),
      ssl,
      max: o.poolSize,
      connectionTimeoutMillis: o.connectTimeoutSeconds * 1000,
      keepAlive: true,
      types: types.parsers,
    }
    const pool = new Pool(config)
    // An idle connection the server closed (restart, pg_terminate_backend): the pool drops it and opens another when needed.
    pool.on('error', (err) => this.ctx.log.debug(`data ${this.ctx.alias}: an idle connection was closed: ${err.message}`))
    const connection: Connection = { pool, config, endpoint, types }
    this.current = connection
    return connection
  }

  private shut(connection: Connection): Promise<void> {
    connection.shut ??= (async () => {
      await connection.pool.end().catch(() => undefined)
      await connection.endpoint.close().catch(() => undefined)
    })()
    return connection.shut
  }

  /** A pooled connection, its type names learned; sslmode prefer falls back to plain text here. */
  private async checkout(): Promise<{ client: PoolClient; connection: Connection }> {
    for (let attempt = 0; ; attempt++) {
      const connection = await this.connection()
      let client: PoolClient
      try {
        client = await connection.pool.connect()
      } catch (err) {
        if (attempt === 0 && sslModeOf(this.options) === 'prefer' && !this.plainText && (err as Error).message === 'The server does not support SSL connections') {
          this.plainText = true
          if (this.current === connection) {
            this.current = undefined
            this.opening = undefined
          }
          await this.shut(connection)
          continue
        }
        throw this.typed(err, connection, (e) => toBackplaneError(e, ErrorCode.E_CONNECTION))
      }
      const guard = (): void => undefined
      client.on('error', guard)
      try {
        const pending = connection.types.pendingQuery()
        if (pending) connection.types.learn((await client.query({ ...pending, rowMode: 'array' })).rows)
      } catch (err) {
        client.release(true)
        throw this.typed(err, connection, statementError)
      } finally {
        client.off('error', guard)
      }
      return { client, connection }
    }
  }

  /** A catalogue query on a pooled connection (not a session: it needs no read-only fence). */
  private readonly catalogue: introspection.CatalogueQuery = async (sql, params) => {
    const { client, connection } = await this.checkout()
    let broken = false
    const onError = (): void => {
      broken = true
    }
    client.on('error', onError)
    try {
      return (await client.query({ text: sql, values: params, rowMode: 'array' })).rows as unknown[][]
    } catch (err) {
      broken ||= endsConnection(err)
      throw this.typed(err, connection, statementError)
    } finally {
      client.off('error', onError)
      client.release(broken)
    }
  }

  private async cancelBackend(pid: number): Promise<void> {
    const { pool, config } = await this.connection()
    const sql = 'SELECT pg_cancel_backend($1)'
    // With every pooled connection busy, waiting for one would outlast the call being cancelled: one of its own then.
    if (pool.waitingCount === 0 && (pool.idleCount > 0 || pool.totalCount < (config.max ?? 1))) {
      await pool.query(sql, [pid])
      return
    }
    const client = new Client(config)
    client.on('error', () => undefined)
    try {
      await client.connect()
      await client.query(sql, [pid])
    } finally {
      await client.end().catch(() => undefined)
    }
  }

  private typed(err: unknown, connection: Connection | undefined, fallback: (err: unknown) => BackplaneError): BackplaneError {
    return postgresqlError(err, this.errorContext(connection)) ?? fallback(err)
  }

  private errorContext(connection: Connection | undefined): ErrorContext {
    const o = this.options
    return {
      alias: this.ctx.alias,
      readOnly: this.readOnly,
      server: `${o.host}:${o.port}`,
      database: o.name,
      user: o.user || '(the system user)',
      tunnel: connection?.endpoint.tunnel,
    }
  }
}

export const postgresqlEngine = defineEngine({
  kind: 'data',
  id: 'postgresql',
  title: 'PostgreSQL',
  description:
    "A PostgreSQL server, as Django's postgresql backend: a pool of connections, TLS by libpq's sslmode, an SSH tunnel when the server is not reachable directly. On a read-only alias the server itself refuses every write.",
  options: PostgresqlOptions,
  create: (options, ctx) => new PostgresqlDatabase(options, ctx),
})
