import { z } from 'zod'
import { secretString } from '../../core/engine'
import { SshTunnelOptions } from '../../core/ssh/tunnel-options'
import { DatabaseOptions } from './base'

/**
 * The options every networked database shares, named after Django's DATABASES keys (NAME, USER,
 * PASSWORD, HOST, PORT, OPTIONS). Each engine extends it with its port and its TLS options.
 */
export const NetworkDatabaseOptions = DatabaseOptions.extend({
  name: z.string().min(1).describe('Database name (Django: NAME).'),
  user: z.string().default('').describe('User name (Django: USER).'),
  password: secretString('Password, kept in the secret store (Django: PASSWORD).').optional(),
  host: z.string().min(1).default('localhost').describe('Server host name or address (Django: HOST).'),
  connectTimeoutSeconds: z.number().min(1).max(300).default(10).describe('Give up connecting after this many seconds.'),
  poolSize: z.number().int().min(1).max(100).default(5).describe('Connections kept open to the server at most.'),
  options: z.record(z.string(), z.unknown()).default({}).describe("Passed to the driver as they are (Django: OPTIONS)."),
  tunnel: SshTunnelOptions.optional().describe('Reach the server through an SSH tunnel.'),
})
export type NetworkDatabaseOptions = z.output<typeof NetworkDatabaseOptions>
