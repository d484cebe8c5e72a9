import { z } from 'zod'
import { method } from './define'

const Host = z.string().trim().min(1).max(255)
const Port = z.number().int().min(1).max(65535)

const KnownHostView = z.object({ host: z.string(), port: z.number(), fingerprint: z.string(), keyType: z.string(), addedAt: z.string() })

/**
 * The SSH servers network engines tunnel through, pinned by their key fingerprint. An unknown server
 * answers E_HOST_KEY_UNKNOWN with its fingerprint in `details`; the GUI shows it, and the user's yes is
 * `ssh.trustHostKey` with that fingerprint.
 */
export const sshMethods = {
  'ssh.knownHosts': method({
    description: 'The SSH servers whose key fingerprint is pinned, for tunnels.',
    input: z.object({}).default({}),
    output: z.array(KnownHostView),
  }),
  'ssh.trustHostKey': method({
    description: "Pins an SSH server's key fingerprint (as an E_HOST_KEY_UNKNOWN error reported it), so tunnels through it connect.",
    input: z.object({
      host: Host,
      port: Port.default(22),
      fingerprint: z.string().regex(/^SHA256:[A-Za-z0-9+/]{43}=?$/, 'Give it as ssh-keygen -lf prints it: SHA256: followed by 43 characters.'),
      keyType: z.string().min(1).max(100),
    }),
    output: KnownHostView,
  }),
  'ssh.forgetHostKey': method({
    description: "Removes an SSH server's pinned fingerprint; the next tunnel through it asks again.",
    input: z.object({ host: Host, port: Port.default(22) }),
    output: z.object({ forgotten: z.boolean() }),
  }),
}
