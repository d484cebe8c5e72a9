import { forgetHostKey, listKnownHosts, normalizeFingerprint, pinHostKey } from '../../core/ssh/known-hosts'
import type { HandlerGroup } from '../router'

/** `host:port` or `[v6]:port` back into its parts, for the list. */
function splitKey(key: string): { host: string; port: number } {
  const match = /^\[?(.*?)\]?:(\d+)$/.exec(key)
  return { host: match?.[1] ?? key, port: Number(match?.[2] ?? 22) }
}

export const sshHandlers: HandlerGroup<'ssh.knownHosts' | 'ssh.trustHostKey' | 'ssh.forgetHostKey'> = {
  'ssh.knownHosts': async (_input, { app }) => Object.entries(await listKnownHosts(app.dataDir)).map(([key, known]) => ({ ...splitKey(key), ...known })),
  'ssh.trustHostKey': async ({ host, port, fingerprint, keyType }, { app }) => ({
    host,
    port,
    ...(await pinHostKey(app.dataDir, host, port, normalizeFingerprint(fingerprint), keyType)),
  }),
  'ssh.forgetHostKey': async ({ host, port }, { app }) => ({ forgotten: await forgetHostKey(app.dataDir, host, port) }),
}
