import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'
import { writeFileAtomic } from '../atomic-write'
import { BackplaneError, ErrorCode } from '../errors'

/**
 * The SSH servers the user has trusted, by `host:port`, in `<dataDir>/known-hosts.json` (0600): the
 * fingerprint of the host key seen when the user said yes, as OpenSSH's known_hosts does for `ssh`.
 * A server is pinned only on the user's word (the GUI shows the fingerprint, the API pins it), never
 * silently on first connect, because a first connect is exactly when an attacker would be pinned.
 */
export const KNOWN_HOSTS_FILE = 'known-hosts.json'

/** `SHA256:` and 43 characters of unpadded base64, as `ssh-keygen -lf` prints it. */
export const FINGERPRINT_PATTERN = /^SHA256:[A-Za-z0-9+/]{43}$/

export const KnownHost = z.object({
  fingerprint: z.string().regex(FINGERPRINT_PATTERN),
  keyType: z.string(),
  addedAt: z.string(),
})
export type KnownHost = z.infer<typeof KnownHost>

const KnownHostsFile = z.object({ version: z.literal(1), hosts: z.record(z.string(), KnownHost) })

/** The key of a server in the file: `host:port`, an IPv6 address in brackets (`[::1]:22`), the host in lower case. */
export function knownHostKey(host: string, port: number): string {
  const name = host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1')
  return name.includes(':') ? `[${name}]:${port}` : `${name}:${port}`
}

/** `host:port` for messages, an IPv6 address in brackets. */
export function serverAddress(host: string, port: number): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]:${port}` : `${host}:${port}`
}

/** The fingerprint OpenSSH prints for a host key blob: SHA-256 of the blob, base64 without "=" padding. */
export function fingerprintOf(keyBlob: Uint8Array): string {
  return `SHA256:${createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`
}

/** The algorithm name a host key blob starts with (`ssh-ed25519`, `ssh-rsa`, `ecdsa-sha2-nistp256`). */
export function keyTypeOf(keyBlob: Uint8Array): string {
  const bytes = Buffer.from(keyBlob.buffer, keyBlob.byteOffset, keyBlob.byteLength)
  if (bytes.length < 4) return 'unknown'
  const length = bytes.readUInt32BE(0)
  if (length === 0 || length > 64 || bytes.length < 4 + length) return 'unknown'
  return bytes.subarray(4, 4 + length).toString('latin1')
}

/**
 * A fingerprint as the user may paste it: surrounding blanks and base64 padding are dropped, so
 * "SHA256:abc…=" from another tool matches what OpenSSH prints. Anything else is left for the pattern to refuse.
 */
export function normalizeFingerprint(fingerprint: string): string {
  return fingerprint.trim().replace(/=+$/, '')
}

async function readAll(dataDir: string): Promise<Record<string, KnownHost>> {
  let text: string
  try {
    text = await readFile(join(dataDir, KNOWN_HOSTS_FILE), 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {}
    throw err
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    json = undefined
  }
  const parsed = KnownHostsFile.safeParse(json)
  // A damaged file trusts nobody: every server is unknown again and the user is asked, as ssh asks
  // when known_hosts is gone. It never turns a mismatch into a silent accept.
  return parsed.success ? parsed.data.hosts : {}
}

/** The pinned key of a server, or undefined when it was never trusted. */
export async function readKnownHost(dataDir: string, host: string, port: number): Promise<KnownHost | undefined> {
  const hosts = await readAll(dataDir)
  const key = knownHostKey(host, port)
  return Object.hasOwn(hosts, key) ? hosts[key] : undefined
}

/** Every pinned server, by `host:port`. */
export async function listKnownHosts(dataDir: string): Promise<Record<string, KnownHost>> {
  return readAll(dataDir)
}

// Pins and forgets are read-modify-write of one file: one at a time per file in this process, so two
// servers trusted at once are both kept.
const queues = new Map<string, Promise<unknown>>()

async function update(dataDir: string, change: (hosts: Record<string, KnownHost>) => boolean): Promise<boolean> {
  const file = join(dataDir, KNOWN_HOSTS_FILE)
  const previous = queues.get(file) ?? Promise.resolve()
  const run = previous.then(async () => {
    const hosts = await readAll(dataDir)
    if (!change(hosts)) return false
    const sorted = Object.fromEntries(Object.entries(hosts).sort(([a], [b]) => a.localeCompare(b)))
    await writeFileAtomic(file, JSON.stringify({ version: 1, hosts: sorted }, null, 2) + '\n', 0o600)
    return true
  })
  const settled = run.catch(() => undefined)
  queues.set(file, settled)
  void settled.then(() => {
    if (queues.get(file) === settled) queues.delete(file)
  })
  return run
}

/** Trusts the server's key (replacing a key pinned before for the same host and port). */
export async function pinHostKey(dataDir: string, host: string, port: number, fingerprint: string, keyType: string): Promise<KnownHost> {
  const normalized = normalizeFingerprint(fingerprint)
  if (!FINGERPRINT_PATTERN.test(normalized)) {
    throw new BackplaneError(ErrorCode.E_INVALID_INPUT, `"${fingerprint}" is not an SSH key fingerprint.`, {
      hint: 'Give it as ssh-keygen -lf prints it: SHA256: followed by 43 characters.',
      details: { issues: [{ path: ['fingerprint'], message: 'Expected SHA256: and 43 base64 characters.' }] },
    })
  }
  const entry: KnownHost = { fingerprint: normalized, keyType, addedAt: new Date().toISOString() }
  const key = knownHostKey(host, port)
  await update(dataDir, (hosts) => {
    hosts[key] = entry // a key always holds ":port", so it is never "__proto__"
    return true
  })
  return entry
}

/** Forgets the server's key, so the next connect asks again; returns whether one was pinned. */
export async function forgetHostKey(dataDir: string, host: string, port: number): Promise<boolean> {
  const key = knownHostKey(host, port)
  return update(dataDir, (hosts) => {
    if (!Object.hasOwn(hosts, key)) return false
    delete hosts[key]
    return true
  })
}

// --- checking a server's key ---------------------------------------------------------------------

/** The key a server must present: the one the alias names, else the one the user trusted. */
export interface ExpectedKey {
  fingerprint: string
  /** Where the expectation comes from, for the mismatch message. */
  source: 'alias' | 'known-hosts'
  addedAt?: string
}

export async function expectedHostKey(dataDir: string, host: string, port: number, aliasFingerprint: string | undefined): Promise<ExpectedKey | undefined> {
  if (aliasFingerprint) return { fingerprint: normalizeFingerprint(aliasFingerprint), source: 'alias' }
  const known = await readKnownHost(dataDir, host, port)
  return known ? { fingerprint: known.fingerprint, source: 'known-hosts', addedAt: known.addedAt } : undefined
}

/**
 * The refusal of a host key that is not the expected one (E_HOST_KEY_MISMATCH), or of any key when none
 * is expected (E_HOST_KEY_UNKNOWN, whose details the GUI shows and pins on the user's word); undefined
 * when the key is the expected one.
 */
export function checkHostKey(host: string, port: number, keyBlob: Uint8Array, expected: ExpectedKey | undefined): BackplaneError | undefined {
  const fingerprint = fingerprintOf(keyBlob)
  const keyType = keyTypeOf(keyBlob)
  const server = serverAddress(host, port)
  if (!expected) {
    return new BackplaneError(ErrorCode.E_HOST_KEY_UNKNOWN, `The SSH server ${server} is not known yet; its key fingerprint is ${fingerprint} (${keyType}).`, {
      hint:
        `Ask the server's administrator for its fingerprint (ssh-keygen -lf /etc/ssh/ssh_host_${keyType.replace(/^ssh-|-.*$/g, '')}_key.pub on the server) ` +
        "and trust the key only if they match; or put the fingerprint into the alias's fingerprint setting.",
      details: { host, port, fingerprint, keyType },
    })
  }
  if (expected.fingerprint === fingerprint) return undefined
  const where = expected.source === 'alias' ? "the alias's SSH settings expect" : `you trusted ${expected.addedAt ? `on ${expected.addedAt.slice(0, 10)}` : 'before'}`
  return new BackplaneError(
    ErrorCode.E_HOST_KEY_MISMATCH,
    `The SSH server ${server} presented the key ${fingerprint} (${keyType}), not ${expected.fingerprint}, which ${where}. This may be an attack: someone between you and the server may be reading the connection.`,
    {
      hint:
        expected.source === 'alias'
          ? `Check the fingerprint with the server's administrator. If the server has several host keys, give the fingerprint of its ${keyType} key.`
          : "Check with the server's administrator whether its key was replaced; only then forget the old key and trust the new one.",
      details: { host, port, fingerprint, keyType, expected: expected.fingerprint, pinnedIn: expected.source },
    },
  )
}
