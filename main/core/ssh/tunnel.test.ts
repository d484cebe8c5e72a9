import { execFileSync } from 'node:child_process'
import { generateKeyPairSync } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { connect, createServer, type Server, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Server as SshServer, utils } from 'ssh2'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { describeService, requireTool, serviceEnv } from '../../../test/support/services'
import { optionsJsonSchema, secretPaths } from '../secret-options'
import { BackplaneError } from '../errors'
import { createLogger, type LogRecord } from '../log'
import { pinHostKey } from './known-hosts'
import { openSshTunnel, withTunnel, type SshTunnel, type TunnelTarget } from './tunnel'
import { SshTunnelOptions } from './tunnel-options'
import { openSshFingerprint, trustOpenSshHost } from '../../../test/support/openssh-host-key'

// --- the testbed's tunnel user -------------------------------------------------------------------
// The variables come from the environment, else from the testbed's env file, as test/support/services.ts
// reads them for the other services.

/** The tunnel user's variables and the other servers' URLs, which the forwards aim at. */
function describeTunnel(title: string, fn: (env: () => Record<string, string>) => void): void {
  const others = () => ({ ...serviceEnv('postgres'), ...serviceEnv('mysql'), ...serviceEnv('redis'), ...serviceEnv('sftp') }) as Record<string, string>
  describeService('sshTunnel', title, (env) => fn(() => ({ ...others(), ...env })))
}

function portOf(url: string): number {
  return Number(new URL(url).port)
}

// --- helpers ---------------------------------------------------------------------------------------

let dataDir: string
let logs: LogRecord[]
const log = () => createLogger('ssh-test', { level: 'debug', sink: (r) => logs.push(r) })
const open: SshTunnel[] = []
/** Every error a test saw, checked at the end for the secrets given to any tunnel. */
const errors: BackplaneError[] = []
const usedSecrets = new Set<string>()

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'backplane-ssh-'))
  logs = []
})
afterEach(async () => {
  await Promise.all(open.splice(0).map((t) => t.close()))
  rmSync(dataDir, { recursive: true, force: true })
})

async function failure(promise: Promise<unknown>): Promise<BackplaneError> {
  try {
    await promise
  } catch (err) {
    expect(err).toBeInstanceOf(BackplaneError)
    errors.push(err as BackplaneError)
    return err as BackplaneError
  }
  throw new Error('expected a failure')
}

async function tunnel(options: Record<string, unknown>, target: TunnelTarget, readyTimeoutMs?: number): Promise<SshTunnel> {
  for (const name of ['password', 'passphrase'] as const) if (typeof options[name] === 'string') usedSecrets.add(options[name])
  // A key is recognised by any of its base64 lines.
  if (typeof options.privateKey === 'string') for (const line of options.privateKey.split('\n').slice(1, -2)) if (line.length > 20) usedSecrets.add(line)
  const opened = await openSshTunnel({ options: SshTunnelOptions.parse(options), target, dataDir, log: log(), readyTimeoutMs })
  open.push(opened)
  return opened
}

/** PostgreSQL answers the 8-byte SSLRequest with one byte, N or S. */
function sslRequest(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port })
    socket.setTimeout(5_000, () => socket.destroy(new Error('no answer within 5 s')))
    socket.on('connect', () => socket.write(Buffer.from([0, 0, 0, 8, 4, 210, 22, 47])))
    socket.once('data', (data: Buffer) => {
      resolve(data.toString('latin1'))
      socket.destroy()
    })
    socket.on('error', reject)
    socket.on('close', () => reject(new Error('closed without an answer')))
  })
}

/** Connects and waits for the server's first bytes, or for the socket to be closed without any. */
function firstBytes(port: number): Promise<Buffer | 'closed'> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port })
    socket.setTimeout(5_000, () => socket.destroy(new Error('neither data nor close within 5 s')))
    socket.once('data', (data: Buffer) => {
      resolve(data)
      socket.destroy()
    })
    socket.on('error', (err: NodeJS.ErrnoException) => (err.code === 'ECONNRESET' ? resolve('closed') : reject(err)))
    socket.on('close', () => resolve('closed'))
  })
}

function connectRefused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port })
    socket.on('connect', () => {
      socket.destroy()
      resolve(false)
    })
    socket.on('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'ECONNREFUSED'))
  })
}

// --- the options -----------------------------------------------------------------------------------

describe('SSH tunnel options', () => {
  it('default to port 22 and a keepalive, and need a password or a key', () => {
    expect(SshTunnelOptions.parse({ host: 'bastion', user: 'u', password: 'pw' })).toMatchObject({ host: 'bastion', port: 22, user: 'u', keepaliveSeconds: 15 })
    const refused = SshTunnelOptions.safeParse({ host: 'bastion', user: 'u' })
    expect(refused.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['password', 'Give the SSH password or a private key.']])
    expect(SshTunnelOptions.safeParse({ host: 'bastion', user: 'u', password: 'pw', passphrase: 'x' }).error?.issues[0]?.path).toEqual(['privateKey'])
  })

  it('take a fingerprint as ssh-keygen prints it (padding forgiven) and refuse anything else', () => {
    const fingerprint = `SHA256:${'a'.repeat(43)}`
    expect(SshTunnelOptions.parse({ host: 'h', user: 'u', password: 'pw', fingerprint: `${fingerprint}=` }).fingerprint).toBe(fingerprint)
    expect(SshTunnelOptions.safeParse({ host: 'h', user: 'u', password: 'pw', fingerprint: 'aa:bb:cc' }).success).toBe(false)
  })

  it('keep the password, key and passphrase in the secret store and describe every field for the form', () => {
    const schema = optionsJsonSchema(SshTunnelOptions)
    expect(secretPaths(SshTunnelOptions).sort()).toEqual(['passphrase', 'password', 'privateKey'])
    const properties = (schema as { properties: Record<string, { description?: string; writeOnly?: boolean; 'x-multiline'?: boolean }> }).properties
    for (const [name, property] of Object.entries(properties)) expect(property.description, name).toBeTruthy()
    expect(properties.privateKey).toMatchObject({ writeOnly: true, 'x-multiline': true })
    expect(properties.password?.writeOnly).toBe(true)
  })
})

// --- failures that need no SSH server of the testbed -----------------------------------------------

describe('opening an SSH tunnel', () => {
  let silent: Server
  let silentPort: number
  const held = new Set<Socket>()
  beforeAll(async () => {
    // Accepts the TCP connection and then says nothing: an SSH handshake that never finishes.
    silent = createServer((socket) => {
      held.add(socket)
      socket.resume() // reads (and ignores) the client's banner, so it sees the client hang up
      socket.on('error', () => undefined)
      socket.on('close', () => held.delete(socket))
    })
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
    silentPort = (silent.address() as { port: number }).port
  })
  afterAll(async () => {
    for (const socket of held) socket.destroy()
    await new Promise((resolve) => silent.close(resolve))
  })

  it('gives up with E_TIMEOUT when the server never completes the handshake', async () => {
    const started = Date.now()
    const error = await failure(tunnel({ host: '127.0.0.1', port: silentPort, user: 'u', password: 'timeout-password' }, { host: '127.0.0.1', port: 1 }, 500))
    expect(error.code).toBe('E_TIMEOUT')
    expect(error.message).toContain(`127.0.0.1:${silentPort}`)
    expect(Date.now() - started).toBeLessThan(3_000)
    await expect.poll(() => held.size).toBe(0) // and the connection it gave up is closed, not left half-open
  })

  it('says E_CONNECTION_REFUSED when nothing listens at the SSH address', async () => {
    const free = createServer()
    await new Promise<void>((resolve) => free.listen(0, '127.0.0.1', resolve))
    const port = (free.address() as { port: number }).port
    await new Promise((resolve) => free.close(resolve))
    const error = await failure(tunnel({ host: '127.0.0.1', port, user: 'u', password: 'refused-password' }, { host: '127.0.0.1', port: 1 }))
    expect(error.code).toBe('E_CONNECTION_REFUSED')
  })

  it('stops with E_CANCELLED when the caller cancels', async () => {
    const controller = new AbortController()
    const opening = openSshTunnel({ options: SshTunnelOptions.parse({ host: '127.0.0.1', port: silentPort, user: 'u', password: 'pw-cancel' }), target: { host: '127.0.0.1', port: 1 }, dataDir, log: log(), signal: controller.signal })
    setTimeout(() => controller.abort(), 50)
    expect((await failure(opening)).code).toBe('E_CANCELLED')
    await expect.poll(() => held.size).toBe(0)
  })

  it('refuses a public key pasted as the private key, as an option to fix', async () => {
    const { publicKey } = generateKeyPairSync('ed25519', { publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } })
    const error = await failure(tunnel({ host: '127.0.0.1', port: silentPort, user: 'u', privateKey: publicKey }, { host: '127.0.0.1', port: 1 }))
    expect(error.code).toBe('E_INVALID_OPTIONS')
    expect(error.details).toMatchObject({ issues: [{ path: ['tunnel', 'privateKey'] }] })
  })

  it('returns the target itself when the alias has no tunnel', async () => {
    const endpoint = await withTunnel(undefined, { host: 'db.example.test', port: 5432 }, { dataDir, log: log() })
    expect(endpoint).toMatchObject({ host: 'db.example.test', port: 5432, tunnel: undefined })
    await endpoint.close()
  })
})

const withSshKeygen = requireTool('ssh-keygen', 'openssh-client', 'SSH tunnel tests with encrypted keys') ? describe : describe.skip

withSshKeygen('an encrypted private key', () => {
  let keyDir: string
  beforeAll(() => {
    keyDir = mkdtempSync(join(tmpdir(), 'backplane-ssh-key-'))
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', 'the-right-passphrase', '-C', 'test', '-f', join(keyDir, 'id')])
  })
  afterAll(() => rmSync(keyDir, { recursive: true, force: true }))

  it('with a wrong passphrase is E_AUTH naming the passphrase, before anything is sent', async () => {
    const privateKey = readFileSync(join(keyDir, 'id'), 'utf8')
    usedSecrets.add('the-right-passphrase')
    const error = await failure(tunnel({ host: '127.0.0.1', port: 9, user: 'u', privateKey, passphrase: 'a-wrong-passphrase' }, { host: '127.0.0.1', port: 1 }))
    expect(error.code).toBe('E_AUTH')
    expect(error.message).toMatch(/passphrase of the SSH private key is wrong/)
    expect(error.message).not.toContain('a-wrong-passphrase')
  })

  it('without its passphrase is E_AUTH asking for it', async () => {
    const privateKey = readFileSync(join(keyDir, 'id'), 'utf8')
    const error = await failure(tunnel({ host: '127.0.0.1', port: 9, user: 'u', privateKey }, { host: '127.0.0.1', port: 1 }))
    expect(error.code).toBe('E_AUTH')
    expect(error.message).toMatch(/encrypted and no passphrase is set/)
  })
})

// --- a connection that drops (ssh2's own server, which the test can cut off) ------------------------

describe("an SSH tunnel through ssh2's own server, which the test controls", () => {
  let server: SshServer
  let port: number
  let fingerprint: string
  const connections = new Set<{ end(): void }>()
  beforeAll(async () => {
    server = new SshServer({ hostKeys: [utils.generateKeyPairSync('ed25519').private] }, (client) => {
      connections.add(client)
      client.on('authentication', (ctx) => (ctx.method === 'password' && ctx.password === 'drop-password' ? ctx.accept() : ctx.reject(['password'])))
      // Every forward fails as if nothing listened at the target: ssh2 answers CONNECT_FAILED.
      client.on('ready', () => client.on('tcpip', (_accept, reject) => reject()))
      client.on('error', () => undefined)
      client.on('close', () => connections.delete(client))
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    port = (server.address() as { port: number }).port
    // The fingerprint as the tunnel reports it for an unknown server.
    const unknown = await failure(tunnel({ host: '127.0.0.1', port, user: 'u', password: 'drop-password' }, { host: '127.0.0.1', port: 1 }))
    fingerprint = (unknown.details as { fingerprint: string }).fingerprint
  })
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve))
  })

  it('reports a target the SSH server cannot connect to as E_CONNECTION_REFUSED seen from there, and stays open', async () => {
    const opened = await tunnel({ host: '127.0.0.1', port, user: 'u', password: 'drop-password', fingerprint }, { host: '10.0.0.9', port: 5432 })
    expect(await firstBytes(opened.port)).toBe('closed')
    await expect.poll(() => opened.lastError?.code).toBe('E_CONNECTION_REFUSED')
    errors.push(opened.lastError!)
    expect(opened.lastError?.message).toBe(`The SSH server 127.0.0.1:${port} could not connect to 10.0.0.9:5432: connect failed.`)
    expect(opened.closed).toBe(false)
  })

  it('closes its local port when the SSH connection drops and reports it through onError, so the engine opens a new one', async () => {
    const opened = await tunnel({ host: '127.0.0.1', port, user: 'u', password: 'drop-password', fingerprint }, { host: '127.0.0.1', port: 1 })
    const reported = new Promise<[BackplaneError, { closed: boolean }]>((resolve) => opened.onError((error, state) => resolve([error, state])))
    for (const connection of connections) connection.end()
    const [error, state] = await reported
    errors.push(error)
    expect(error.code).toBe('E_CONNECTION_RESET')
    expect(state.closed).toBe(true)
    expect(opened.closed).toBe(true)
    expect(opened.lastError).toBe(error)
    expect(await connectRefused(opened.port)).toBe(true)
    await opened.close() // after a loss, close() is harmless
  })
})

// --- the testbed's OpenSSH ---------------------------------------------------------------------------

describeTunnel('an SSH tunnel through the testbed OpenSSH', (env) => {
  const base = () => ({ host: env().BACKPLANE_TEST_SSH_TUNNEL_HOST!, port: Number(env().BACKPLANE_TEST_SSH_TUNNEL_PORT), user: env().BACKPLANE_TEST_SSH_TUNNEL_USER! })
  const password = () => env().BACKPLANE_TEST_SSH_TUNNEL_PASSWORD!
  const privateKey = () => readFileSync(env().BACKPLANE_TEST_SSH_TUNNEL_KEY!, 'utf8')
  const postgres = () => ({ host: '127.0.0.1', port: portOf(env().BACKPLANE_TEST_POSTGRES_URL!) })
  /** The fingerprint OpenSSH's own tools print for the testbed's ed25519 host key. */
  const scannedFingerprint = () => openSshFingerprint(base().host, base().port)
  const trust = () => trustOpenSshHost(dataDir, base().host, base().port)

  it('refuses a server not trusted yet with E_HOST_KEY_UNKNOWN, naming the fingerprint ssh-keygen prints', async () => {
    const { host, port } = base()
    const error = await failure(tunnel({ ...base(), password: password() }, postgres()))
    expect(error.code).toBe('E_HOST_KEY_UNKNOWN')
    expect(error.status).toBe(409)
    const fingerprint = scannedFingerprint()
    expect(error.message).toBe(`The SSH server ${host}:${port} is not known yet; its key fingerprint is ${fingerprint} (ssh-ed25519).`)
    expect(error.details).toEqual({ host, port, fingerprint, keyType: 'ssh-ed25519' })
    expect(error.hint).toMatch(/trust/)
  })

  it('once trusted, carries a PostgreSQL SSLRequest there and back, logged in with the password', async () => {
    await trust()
    const opened = await tunnel({ ...base(), password: password() }, postgres())
    expect(opened.host).toBe('127.0.0.1')
    expect(opened.port).toBeGreaterThan(0)
    expect(['N', 'S']).toContain(await sslRequest(opened.port))
    expect(['N', 'S']).toContain(await sslRequest(opened.port)) // a second connection through the same tunnel
    expect(opened.lastError).toBeUndefined()
  })

  it('logs in with the private key, and reaches MariaDB, the other port PermitOpen allows', async () => {
    await trust()
    const mysql = { host: '127.0.0.1', port: portOf(env().BACKPLANE_TEST_MYSQL_URL!) }
    const opened = await tunnel({ ...base(), privateKey: privateKey() }, mysql)
    const greeting = await firstBytes(opened.port)
    expect(greeting).not.toBe('closed')
    expect((greeting as Buffer).toString('latin1')).toContain('MariaDB')
  })

  it('needs no known-hosts entry when the alias names the right fingerprint', async () => {
    const opened = await tunnel({ ...base(), password: password(), fingerprint: scannedFingerprint() }, postgres())
    expect(['N', 'S']).toContain(await sslRequest(opened.port))
  })

  it('refuses a wrong password with E_AUTH about the SSH login, not the database one', async () => {
    await trust()
    const error = await failure(tunnel({ ...base(), password: 'not-the-ssh-password' }, postgres()))
    expect(error.code).toBe('E_AUTH')
    expect(error.message).toContain(`"${base().user}"`)
    expect(error.hint).toMatch(/SSH server, not the database/)
  })

  it('refuses a private key the SSH user has not authorized with E_AUTH, after decrypting it with its passphrase', async () => {
    await trust()
    const keyDir = mkdtempSync(join(tmpdir(), 'backplane-ssh-key-'))
    try {
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', 'unauthorized-passphrase', '-C', 'test', '-f', join(keyDir, 'id')])
      const error = await failure(tunnel({ ...base(), privateKey: readFileSync(join(keyDir, 'id'), 'utf8'), passphrase: 'unauthorized-passphrase' }, postgres()))
      expect(error.code).toBe('E_AUTH')
      expect(error.message).toMatch(/refused the login of ".*" with the private key/)
    } finally {
      rmSync(keyDir, { recursive: true, force: true })
    }
  })

  it('refuses a key that the alias does not expect with E_HOST_KEY_MISMATCH, naming both fingerprints', async () => {
    const wrong = `SHA256:${'A'.repeat(43)}`
    const error = await failure(tunnel({ ...base(), password: password(), fingerprint: wrong }, postgres()))
    expect(error.code).toBe('E_HOST_KEY_MISMATCH')
    expect(error.status).toBe(502)
    expect(error.message).toContain(wrong)
    expect(error.message).toContain(scannedFingerprint())
    expect(error.message).toMatch(/attack/)
  })

  it('refuses a key other than the one trusted before', async () => {
    const { host, port } = base()
    await pinHostKey(dataDir, host, port, `SHA256:${'B'.repeat(43)}`, 'ssh-ed25519')
    const error = await failure(tunnel({ ...base(), password: password() }, postgres()))
    expect(error.code).toBe('E_HOST_KEY_MISMATCH')
    expect(error.details).toMatchObject({ pinnedIn: 'known-hosts', fingerprint: scannedFingerprint() })
  })

  it('closes a forwarded connection to a port PermitOpen does not list, and reports E_TUNNEL, staying open', async () => {
    await trust()
    const redis = { host: '127.0.0.1', port: portOf(env().BACKPLANE_TEST_REDIS_URL!) }
    const opened = await tunnel({ ...base(), password: password() }, redis)
    const reported = new Promise<[BackplaneError, { closed: boolean }]>((resolve) => opened.onError((error, state) => resolve([error, state])))
    expect(await firstBytes(opened.port)).toBe('closed')
    const [error, state] = await reported
    errors.push(error)
    expect(error.code).toBe('E_TUNNEL')
    expect(error.hint).toContain(`does not allow forwarding to 127.0.0.1:${redis.port} (AllowTcpForwarding / PermitOpen`)
    expect(state.closed).toBe(false)
    expect(opened.lastError).toBe(error)
    expect(opened.closed).toBe(false)
  })

  it('does not let the SFTP user forward at all', async () => {
    await trust()
    const sftp = new URL(env().BACKPLANE_TEST_SFTP_URL!)
    const opened = await tunnel({ ...base(), user: sftp.username, password: decodeURIComponent(sftp.password) }, postgres())
    expect(await firstBytes(opened.port)).toBe('closed')
    await expect.poll(() => opened.lastError?.code).toBe('E_TUNNEL')
    errors.push(opened.lastError!)
  })

  it('frees its local port on close()', async () => {
    await trust()
    const endpoint = await withTunnel(SshTunnelOptions.parse({ ...base(), password: password() }), postgres(), { dataDir, log: log() })
    expect(endpoint.host).toBe('127.0.0.1')
    expect(['N', 'S']).toContain(await sslRequest(endpoint.port))
    await endpoint.close()
    expect(endpoint.tunnel?.closed).toBe(true)
    expect(await connectRefused(endpoint.port)).toBe(true)
    await endpoint.close() // twice is harmless
  })

  it('never writes a secret into its log', async () => {
    await trust()
    const opened = await tunnel({ ...base(), password: password() }, postgres())
    await sslRequest(opened.port)
    await opened.close()
    const text = logs.map((r) => r.message).join('\n')
    expect(text).toContain('SSH tunnel open')
    expect(text).not.toContain(password())
  })

})

afterAll(() => {
  // Every error any test of this file saw, unmasked: none carries a password, passphrase or key.
  expect(errors.length).toBeGreaterThan(3)
  for (const error of errors) {
    const text = [error.message, error.hint, JSON.stringify(error.details)].join('\n')
    for (const secret of usedSecrets) expect(text).not.toContain(secret)
  }
})
