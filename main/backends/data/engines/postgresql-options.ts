import { readFileSync } from 'node:fs'
import { isIP } from 'node:net'
import { checkServerIdentity, type ConnectionOptions } from 'node:tls'
import type { PoolConfig } from 'pg'
import { z } from 'zod'
import { resolveInDataDir } from '../../../core/data-dir'
import { BackplaneError, ErrorCode } from '../../../core/errors'
import { NetworkDatabaseOptions } from '../network-options'

const SSL_MODES = ['disable', 'prefer', 'require', 'verify-ca', 'verify-full'] as const
export type SslMode = (typeof SSL_MODES)[number]

export const PostgresqlOptions = NetworkDatabaseOptions.extend({
  port: z.number().int().min(1).max(65535).default(5432).describe('Server port (Django: PORT); PostgreSQL listens on 5432.'),
  sslmode: z
    .enum(SSL_MODES)
    .default('prefer')
    .describe(
      "TLS as libpq's sslmode: disable (never), prefer (when the server offers it, unchecked), require (always, unchecked), verify-ca (always, certificate signed by a trusted CA), verify-full (verify-ca, and the certificate names the host).",
    ),
  sslrootcert: z
    .string()
    .optional()
    .describe("The CA certificate (PEM file) that signed the server's certificate, for verify-ca and verify-full; relative paths start in the data directory. Without it, the system's CAs."),
})
export type PostgresqlOptions = z.output<typeof PostgresqlOptions>

/** Keys of Django's OPTIONS (and node-postgres's own) that go to the driver; the others are ignored. */
const DRIVER_OPTIONS = [
  'options',
  'application_name',
  'statement_timeout',
  'lock_timeout',
  'idle_in_transaction_session_timeout',
  'query_timeout',
  'client_encoding',
  'keepAlive',
  'keepAliveInitialDelayMillis',
  'idleTimeoutMillis',
  'maxLifetimeSeconds',
] as const

export function driverOptions(options: PostgresqlOptions): Partial<PoolConfig> {
  return Object.fromEntries(DRIVER_OPTIONS.filter((key) => options.options[key] !== undefined).map((key) => [key, options.options[key]]))
}

/** The sslmode in force: Django's OPTIONS may carry libpq's; the field wins when it is set to anything but its default. */
export function sslModeOf(options: PostgresqlOptions): SslMode {
  const fromDjango = options.options.sslmode
  return options.sslmode === 'prefer' && SSL_MODES.includes(fromDjango as SslMode) ? (fromDjango as SslMode) : options.sslmode
}

/**
 * node-postgres's TLS options for the sslmode, as libpq reads it; `plainText` once a server asked with
 * prefer said it has no TLS. Always explicit, so that pg never falls back on PGSSLMODE.
 */
export function tlsOptions(options: PostgresqlOptions, dataDir: string, plainText: boolean): ConnectionOptions | false {
  const mode = sslModeOf(options)
  if (mode === 'disable' || (mode === 'prefer' && plainText)) return false
  const ca = rootCertificate(options, dataDir)
  // libpq: require with a root certificate verifies the chain, as verify-ca does.
  if (mode === 'prefer' || (mode === 'require' && ca === undefined)) return { rejectUnauthorized: false }
  const host = options.host
  return {
    rejectUnauthorized: true,
    ...(ca !== undefined ? { ca } : {}),
    // Through a tunnel pg connects to 127.0.0.1: the name to ask for and check is still the server's.
    ...(isIP(host) === 0 ? { servername: host } : {}),
    checkServerIdentity: mode === 'verify-full' ? (_name, cert) => checkServerIdentity(host, cert) : () => undefined,
  }
}

function rootCertificate(options: PostgresqlOptions, dataDir: string): string | undefined {
  const configured = options.sslrootcert ?? (typeof options.options.sslrootcert === 'string' ? options.options.sslrootcert : undefined)
  // libpq's "system": the system's CAs, which Node uses anyway.
  if (!configured || configured === 'system') return undefined
  const path = resolveInDataDir(dataDir, configured)
  try {
    return readFileSync(path, 'utf8')
  } catch (err) {
    throw new BackplaneError(ErrorCode.E_TLS_FILE, `The CA file ${path} (sslrootcert) cannot be read: ${(err as Error).message}`, {
      hint: 'Check the path of the CA certificate, or leave sslrootcert empty to trust the system CAs.',
      cause: err,
    })
  }
}
