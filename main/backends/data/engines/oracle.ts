import oracledb, { type Connection, type Pool } from 'oracledb'
import { z } from 'zod'
import { defineEngine, secretString } from '../../../core/engine'
import { resolveInDataDir } from '../../../core/data-dir'
import { BackplaneError, ErrorCode } from '../../../core/errors'
import { withTunnel, type TunnelEndpoint } from '../../../core/ssh/tunnel'
import { BaseDatabase } from '../base'
import { NetworkDatabaseOptions } from '../network-options'
import type { DataSession } from '../session'
import type { SchemaSummary, TableDetail, TableRef, TableSummary } from '../types'
import { describeTable, listSchemas, listTables } from './oracle-catalog'
import { oracleDialect } from './oracle-dialect'
import { oracleError } from './oracle-errors'
import { OracleSession } from './oracle-session'

/** What a (DESCRIPTION=…) value may hold unquoted: no parentheses, `=`, quotes or spaces. */
const DESCRIPTOR_VALUE = /^[^\s()="']+$/

const OracleOptions = NetworkDatabaseOptions.extend({
  name: z
    .string()
    .trim()
    .default('')
    .describe(
      'The service name, e.g. FREEPDB1 or ORCLPDB1 (Django: NAME). Django reads NAME as a SID when PORT is set and as a whole connect string when PORT is empty: turn on "NAME is a SID" for the one, use the connect string for the other.',
    ),
  port: z.number().int().min(1).max(65535).default(1521).describe('The listener port (Django: PORT); TCPS listeners are often on 2484.'),
  sid: z.boolean().default(false).describe('NAME is a SID (an instance name), not a service name: for old single-instance databases; a pluggable database has a service name.'),
  connectString: z
    .string()
    .trim()
    .min(1)
    .optional()
    .describe('An Easy Connect string (db.example.com:1521/FREEPDB1, tcps://…) or a (DESCRIPTION=…) descriptor, used instead of host, port, NAME and protocol. TNS aliases are not looked up: Backplane reads no tnsnames.ora.'),
  protocol: z.enum(['tcp', 'tcps']).default('tcp').describe('tcps for Oracle Net over TLS.'),
  sslServerCertDN: z
    .string()
    .trim()
    .min(1)
    .optional()
    .describe("The server certificate's whole DN to insist on (CN=db.example.com,O=…); without it the certificate must name the host."),
  walletLocation: z
    .string()
    .min(1)
    .optional()
    .describe("A folder holding ewallet.pem: CA certificates to trust (the system's are trusted without it) and a client certificate for mutual TLS. Relative paths start in the data directory."),
  walletPassword: secretString("The wallet's password, if ewallet.pem is encrypted; kept in the secret store.").optional(),
}).superRefine((o, ctx) => {
  if (!o.connectString && !o.name) ctx.addIssue({ code: 'custom', path: ['name'], message: 'Give the service name (or SID), or a connect string.' })
  if (o.connectString && o.tunnel) ctx.addIssue({ code: 'custom', path: ['connectString'], message: 'A connect string names its own host, so it cannot go through the SSH tunnel: give host, port and NAME instead.' })
  if (!o.connectString) {
    if (!DESCRIPTOR_VALUE.test(o.host)) ctx.addIssue({ code: 'custom', path: ['host'], message: 'A host name has no spaces, quotes, parentheses or "=".' })
    if (o.name && !DESCRIPTOR_VALUE.test(o.name)) ctx.addIssue({ code: 'custom', path: ['name'], message: 'A service name has no spaces, quotes, parentheses or "=".' })
  }
})
type OracleOptions = z.output<typeof OracleOptions>

/** The connect descriptor of host, port and NAME: a descriptor, because Easy Connect cannot name a SID. */
export function connectDescriptor(o: { protocol: 'tcp' | 'tcps'; host: string; port: number; name: string; sid: boolean }): string {
  return `(DESCRIPTION=(ADDRESS=(PROTOCOL=${o.protocol.toUpperCase()})(HOST=${o.host})(PORT=${o.port}))(CONNECT_DATA=(${o.sid ? 'SID' : 'SERVICE_NAME'}=${o.name})))`
}

interface OpenPool {
  pool: Pool
  endpoint: TunnelEndpoint
}

/**
 * Oracle Database (12.1 and later) through node-oracledb in Thin mode: pure JavaScript, no Instant
 * Client. Nothing here calls initOracleClient, which would switch the whole process to Thick mode.
 */
export class OracleDatabase extends BaseDatabase<OracleOptions> {
  readonly vendor = 'oracle'
  readonly dialect = oracleDialect
  private opening: Promise<OpenPool> | undefined

  protected async openSession(): Promise<DataSession> {
    return new OracleSession(() => this.connect(), this.readOnly)
  }

  async serverVersion(): Promise<string> {
    return this.withConnection(async (c) => `Oracle Database ${c.oracleServerVersionString}`)
  }

  schemas(): Promise<SchemaSummary[]> {
    return this.withConnection(listSchemas)
  }

  listTables(schema?: string): Promise<TableSummary[]> {
    return this.withConnection((c) => listTables(c, schema))
  }

  describe(table: TableRef): Promise<TableDetail> {
    return this.withConnection((c) => describeTable(c, table))
  }

  async close(): Promise<void> {
    const opening = this.opening
    this.opening = undefined
    const open = await opening?.catch(() => undefined)
    if (open) await closePool(open)
  }

  protected override driverError(err: unknown): BackplaneError | undefined {
    return oracleError(err)
  }

  /** Oracle before 23ai has no SELECT without FROM. */
  protected override async ping(): Promise<string> {
    await this.query('SELECT 1 FROM DUAL')
    return 'SELECT 1 FROM DUAL'
  }

  private async withConnection<T>(run: (connection: Connection) => Promise<T>): Promise<T> {
    const connection = await this.connect()
    try {
      return await run(connection)
    } catch (err) {
      throw oracleError(err) ?? err
    } finally {
      await connection.close().catch(() => undefined)
    }
  }

  private async connect(): Promise<Connection> {
    const open = await this.openPool()
    try {
      return await open.pool.getConnection()
    } catch (err) {
      // A connection the SSH server refused to forward reaches the driver as a closed socket; the tunnel says why.
      throw open.endpoint.tunnel?.lastError ?? connectionError(err)
    }
  }

  /** The pool, made on first use; made again when the SSH tunnel under it was lost. */
  private async openPool(): Promise<OpenPool> {
    const opening = (this.opening ??= this.createPool().catch((err: unknown) => {
      this.opening = undefined
      throw err
    }))
    const open = await opening
    if (!open.endpoint.tunnel?.closed) return open
    if (this.opening === opening) {
      this.opening = undefined
      void closePool(open).catch(() => undefined)
    }
    return this.openPool()
  }

  private async createPool(): Promise<OpenPool> {
    const o = this.options
    const endpoint = o.connectString
      ? { host: '', port: 0, tunnel: undefined, close: async () => undefined }
      : await withTunnel(o.tunnel, { host: o.host, port: o.port }, { dataDir: this.ctx.dataDir, log: this.ctx.log, readyTimeoutMs: o.connectTimeoutSeconds * 1000 })
    try {
      const pool = await oracledb.createPool({
        poolTimeout: 60,
        // Django: OPTIONS go to the driver as they are; the named options below win over them.
        ...o.options,
        user: o.user,
        password: o.password ?? '',
        connectString: o.connectString ?? connectDescriptor({ protocol: o.protocol, host: endpoint.host, port: endpoint.port, name: o.name, sid: o.sid }),
        poolMin: 0,
        poolMax: o.poolSize,
        poolIncrement: 1,
        connectTimeout: o.connectTimeoutSeconds,
        transportConnectTimeout: o.connectTimeoutSeconds,
        ...(o.walletLocation ? { walletLocation: resolveInDataDir(this.ctx.dataDir, o.walletLocation) } : {}),
        ...(o.walletPassword ? { walletPassword: o.walletPassword } : {}),
        ...(o.sslServerCertDN ? { sslServerCertDN: o.sslServerCertDN, sslServerDNMatch: true } : {}),
      })
      return { pool, endpoint }
    } catch (err) {
      await endpoint.close()
      throw connectionError(err)
    }
  }
}

async function closePool(open: OpenPool): Promise<void> {
  try {
    await open.pool.close(0)
  } finally {
    await open.endpoint.close()
  }
}

function connectionError(err: unknown): BackplaneError {
  if (err instanceof BackplaneError) return err
  return oracleError(err) ?? new BackplaneError(ErrorCode.E_CONNECTION, err instanceof Error ? err.message : String(err), { cause: err })
}

export const oracleEngine = defineEngine({
  kind: 'data',
  id: 'oracle',
  title: 'Oracle',
  description:
    "Oracle Database 12.1 and later through node-oracledb in Thin mode, nothing else to install. Not run against a live Oracle server: Backplane's tests check its SQL and type mapping only.",
  options: OracleOptions,
  create: (options, ctx) => new OracleDatabase(options, ctx),
})
