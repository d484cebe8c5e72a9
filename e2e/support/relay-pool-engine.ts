import { createHash } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { trustEngine } from './token-mail-engine'

export const RELAY_POOL_SPEC = './relay-pool.mjs'

/**
 * A custom mail engine whose options have secrets at every depth the settings form must handle: a
 * nested object with a secret (`credentials.secretKey`), an array of servers each with its own
 * password, a multi-line private key, and a URL option whose password the server moves into the
 * secret store. Its check reports, per secret, the length and a fingerprint of what it was given,
 * never a value, so a test can tell which secret reached which place.
 */
export function installRelayPoolEngine(home: string): string {
  writeFileSync(
    join(home, 'relay-pool.mjs'),
    `import { createHash } from 'node:crypto'
import { secretString, z } from 'backplane/engine'

const seen = (value) => value === undefined ? 'none' : value.length + ' chars #' + createHash('sha256').update(value).digest('hex').slice(0, 12)

export default {
  kind: 'mail',
  title: 'Relay pool (E2E)',
  description: 'Sends nowhere; reports what it was configured with, by fingerprint.',
  options: z.object({
    credentials: z.object({
      accessKey: z.string().min(1).describe('The public half of the key pair.'),
      secretKey: secretString('The secret half of the key pair.'),
    }),
    servers: z.array(z.object({
      host: z.string().min(1),
      port: z.number().int().min(1).max(65535).default(6379),
      password: secretString('This server\\'s password.').optional(),
    })).default([]),
    privateKey: secretString('The PEM private key the relay signs with.', { multiline: true }).optional(),
    location: z.string().describe('Where the relay keeps its queue, as a URL.'),
    retries: z.number().int().min(0).default(3).describe('How often to try a server again.'),
  }),
  create: (options) => ({
    async open() { return false },
    async close() {},
    async sendMessages(messages) { return messages.length },
    async check() {
      const url = new URL(options.location)
      const password = decodeURIComponent(url.password)
      url.password = ''
      const steps = [
        { name: 'credentials', ok: true, ms: 0, detail: 'access key ' + options.credentials.accessKey + ', secret key ' + seen(options.credentials.secretKey) },
        ...options.servers.map((server, i) => ({ name: 'server ' + (i + 1), ok: true, ms: 0, detail: server.host + ':' + server.port + ' password ' + seen(server.password) })),
        { name: 'private key', ok: true, ms: 0, detail: seen(options.privateKey) },
        { name: 'location', ok: true, ms: 0, detail: url.href + ' password ' + seen(password || undefined) },
        { name: 'retries', ok: true, ms: 0, detail: String(options.retries) },
      ]
      return { state: 'ok', latencyMs: 0, summary: options.servers.length + ' servers', steps, checkedAt: new Date().toISOString() }
    },
  }),
}
`,
  )
  trustEngine(home, RELAY_POOL_SPEC)
  return RELAY_POOL_SPEC
}

/** What the engine's check says of a secret it was given: the same length and fingerprint. */
export function seen(value: string | undefined): string {
  return value === undefined ? 'none' : `${value.length} chars #${createHash('sha256').update(value).digest('hex').slice(0, 12)}`
}

/** A module written like an engine but never trusted: the app must refuse to load it. */
export function writeUntrustedEngine(home: string): string {
  writeFileSync(
    join(home, 'stranger-mail.mjs'),
    `export default { kind: 'mail', title: 'Stranger', create: () => ({ async open() { return false }, async close() {}, async sendMessages(m) { return m.length } }) }\n`,
  )
  return './stranger-mail.mjs'
}
