import { z } from 'zod'
import { SshTunnelOptions } from '../../../core/ssh/tunnel-options'
import { StorageOptions } from '../base'

// The secret fields and the fingerprint are the SSH tunnel's, so both forms say and store them alike.
const login = SshTunnelOptions.shape

export const SftpOptions = StorageOptions.extend({
  host: z.string().trim().min(1).describe('The SFTP (SSH) server: host name or address.'),
  port: z.number().int().min(1).max(65535).default(22).describe('Its SSH port, usually 22.'),
  user: z.string().trim().min(1).describe('The login name on the server.'),
  root: z.string().trim().default('').describe("The folder on the server that holds the storage: an absolute path, or one relative to the login's home folder. Empty: the home folder."),
  password: login.password,
  privateKey: login.privateKey,
  passphrase: login.passphrase,
  fingerprint: login.fingerprint,
  keepaliveSeconds: z.number().int().min(0).max(3600).default(15).describe('Seconds between keepalives on an idle connection; after three unanswered it counts as lost and is opened again on the next use. 0 turns them off.'),
  connectTimeoutSeconds: z.number().min(1).max(300).default(20).describe('Give up connecting and logging in after this many seconds.'),
  timeoutSeconds: z.number().min(1).max(3600).default(30).describe('Give up on a server that does not answer one request for this many seconds (the connection is then opened again).'),
}).superRefine((options, ctx) => {
  if (!options.password && !options.privateKey) ctx.addIssue({ code: 'custom', path: ['password'], message: 'Give the password or a private key.' })
  if (options.passphrase && !options.privateKey) ctx.addIssue({ code: 'custom', path: ['privateKey'], message: 'A passphrase needs its private key.' })
})
export type SftpOptions = z.output<typeof SftpOptions>
