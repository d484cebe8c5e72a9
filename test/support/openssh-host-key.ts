import { execFileSync } from 'node:child_process'
import { pinHostKey } from '../../main/core/ssh/known-hosts'

/** The fingerprint OpenSSH's own tools (ssh-keyscan, then ssh-keygen -l) print for a server's ed25519 host key. */
export function openSshFingerprint(host: string, port: number): string {
  const scanned = execFileSync('ssh-keyscan', ['-t', 'ed25519', '-p', String(port), host], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
  return execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', '-'], { input: scanned, encoding: 'utf8' }).split(' ')[1]!
}

/** Trusts a server's ed25519 host key in a data directory, as the first-connect prompt does, by the fingerprint OpenSSH prints. */
export async function trustOpenSshHost(dataDir: string, host: string, port: number): Promise<void> {
  await pinHostKey(dataDir, host, port, openSshFingerprint(host, port), 'ssh-ed25519')
}
