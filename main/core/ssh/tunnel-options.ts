import { z } from 'zod'
import { secretString } from '../engine'
import { FINGERPRINT_PATTERN, normalizeFingerprint } from './known-hosts'

/**
 * The SSH server a network engine reaches its server through, as `ssh -L`: an engine adds it to its
 * options as `tunnel: SshTunnelOptions.optional()`, and the settings form shows these fields. The
 * password, key and passphrase live in the secret store; only references reach settings.json.
 */
export const SshTunnelOptions = z
  .object({
    host: z.string().trim().min(1).describe('The SSH server to connect through: host name or address. The database (or other server) is then reached from there.'),
    port: z.number().int().min(1).max(65535).default(22).describe('The SSH port of that server, usually 22.'),
    user: z.string().trim().min(1).describe('The login name on the SSH server (not the database user).'),
    password: secretString('The SSH password, kept in the secret store. Leave it empty to log in with a private key.').optional(),
    privateKey: secretString('A private key (the text of ~/.ssh/id_ed25519 or a PEM file, not its path), kept in the secret store.', { multiline: true }).optional(),
    passphrase: secretString("The private key's passphrase, if it has one; kept in the secret store.").optional(),
    fingerprint: z
      .string()
      .transform(normalizeFingerprint)
      .pipe(z.string().regex(FINGERPRINT_PATTERN, 'Give it as ssh-keygen -lf prints it: SHA256: followed by 43 characters.'))
      .optional()
      .describe("The SSH server's key fingerprint to insist on (SHA256:…, as ssh-keygen -lf prints it). Leave it empty to be asked to trust the key on the first connect."),
    keepaliveSeconds: z
      .number()
      .int()
      .min(0)
      .max(3600)
      .default(15)
      .describe('Seconds between keepalives on an idle tunnel; after three unanswered, the tunnel counts as lost and is opened again on the next use. 0 turns them off.'),
  })
  .superRefine((options, ctx) => {
    if (!options.password && !options.privateKey) {
      ctx.addIssue({ code: 'custom', path: ['password'], message: 'Give the SSH password or a private key.' })
    }
    if (options.passphrase && !options.privateKey) {
      ctx.addIssue({ code: 'custom', path: ['privateKey'], message: 'A passphrase needs its private key.' })
    }
  })
  .describe('Reach the server through an SSH tunnel.')

export type SshTunnelOptions = z.output<typeof SshTunnelOptions>
