import { connect as connectTcp, type Socket } from 'node:net'
import ssh2, { type Client as SshClient, type ConnectConfig } from 'ssh2'
import { BackplaneError, ErrorCode, toBackplaneError } from '../errors'
import { rememberSecret } from '../redact'
import { checkHostKey, expectedHostKey, serverAddress, type ExpectedKey } from './known-hosts'

// ssh2 is CommonJS: Node's ESM loader finds Client among its named exports but not utils, so both come off the default.
const { Client, utils } = ssh2

/** What logging in to an SSH server needs: the fields every SSH login has, wherever the alias keeps them. */
export interface SshLogin {
  host: string
  port: number
  user: string
  password?: string | undefined
  privateKey?: string | undefined
  passphrase?: string | undefined
  fingerprint?: string | undefined
  keepaliveSeconds: number
}

/**
 * Who logs in, in the user's words: the errors point at the settings to fix (the SSH tunnel of a
 * database alias, or an SFTP alias's own fields).
 */
export interface SshLoginPurpose {
  /** Where the SSH fields sit in the alias's options: ['tunnel'] for a tunnel, [] for an SFTP alias. */
  optionsPath: string[]
  /** Where the user fixes them, e.g. "the SSH tunnel settings of the alias". */
  settings: string
  /** The hint of a refused login: what this login is (and is not). */
  authHint: string
}

export interface OpenSshConnectionRequest {
  login: SshLogin
  purpose: SshLoginPurpose
  /** Holds known-hosts.json, the servers the user trusted. */
  dataDir: string
  /** Cancels the opening (E_CANCELLED). */
  signal?: AbortSignal | undefined
  /** How long the connect, the SSH handshake and the login may take together; 20 s by default. */
  readyTimeoutMs?: number | undefined
}

/** The SSH client and its TCP socket, which is ours so that a connection given up is really closed. */
export interface SshConnection {
  client: SshClient
  socket: Socket
  /** The server's software version from its identification string ("OpenSSH_9.2p1 Debian-2+deb12u10"). */
  serverSoftware: string | undefined
}

/** How long a polite end waits for the server to close before the socket is dropped. */
const CLOSE_WAIT_MS = 2_000

/** Ends the connection politely, and drops its socket if the server has not closed it within a moment. */
export function endSshConnection({ client, socket }: SshConnection): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      socket.destroy()
      resolve()
    }, CLOSE_WAIT_MS)
    client.once('close', () => {
      clearTimeout(timer)
      resolve()
    })
    client.end()
  })
}

const DEFAULT_READY_TIMEOUT_MS = 20_000
/** Unanswered keepalives after which ssh2 gives the connection up. */
const KEEPALIVE_COUNT_MAX = 3

/**
 * Connects, checks the server's key against the alias's fingerprint or the user's known hosts (never
 * trusting a new key silently), and logs in with the password or the private key.
 */
export async function openSshConnection(request: OpenSshConnectionRequest): Promise<SshConnection> {
  const { login, signal } = request
  const server = serverAddress(login.host, login.port)
  for (const secret of [login.password, login.privateKey, login.passphrase]) if (secret) rememberSecret(secret)
  if (signal?.aborted) throw cancelled(server)
  const privateKey = login.privateKey ? readPrivateKey(login.privateKey, login.passphrase, request.purpose) : undefined
  const expected = await expectedHostKey(request.dataDir, login.host, login.port, login.fingerprint)
  return connect(request, server, privateKey, expected)
}

/** The private key, parsed here so that a wrong passphrase is told apart from a refused login. */
function readPrivateKey(text: string, passphrase: string | undefined, purpose: SshLoginPurpose): string {
  const parsed = utils.parseKey(text, passphrase)
  const field = (name: string) => [...purpose.optionsPath, name].join('.')
  if (parsed instanceof Error) {
    const why = parsed.message
    if (/no passphrase given/i.test(why)) {
      throw new BackplaneError(ErrorCode.E_AUTH, 'The SSH private key is encrypted and no passphrase is set.', {
        hint: `Enter the key's passphrase in ${purpose.settings}.`,
        details: { field: field('passphrase') },
      })
    }
    if (/passphrase|decrypt|integrity/i.test(why)) {
      throw new BackplaneError(ErrorCode.E_AUTH, 'The passphrase of the SSH private key is wrong: the key cannot be decrypted with it.', {
        hint: `Enter the key's passphrase again in ${purpose.settings}.`,
        details: { field: field('passphrase') },
      })
    }
    throw invalidKey(`The SSH private key cannot be read (${why}).`, purpose)
  }
  const key = Array.isArray(parsed) ? parsed[0] : parsed
  if (!key?.isPrivateKey()) throw invalidKey('The SSH private key field holds a public key, not a private one.', purpose)
  return text
}

function invalidKey(message: string, purpose: SshLoginPurpose): BackplaneError {
  return new BackplaneError(ErrorCode.E_INVALID_OPTIONS, message, {
    hint: 'Paste the whole private key file (from "-----BEGIN" to "-----END … KEY-----"), not its .pub file or its path.',
    details: { issues: [{ path: [...purpose.optionsPath, 'privateKey'], message: 'Not a private key in OpenSSH or PEM format.' }] },
  })
}

function connect(request: OpenSshConnectionRequest, server: string, privateKey: string | undefined, expected: ExpectedKey | undefined): Promise<SshConnection> {
  const { login, signal } = request
  const readyTimeout = request.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS
  const client = new Client()
  // ssh2's end() only half-closes a socket, which a server that never answers keeps open; ours is destroyed.
  const socket = connectTcp({ host: login.host, port: login.port })
  socket.setNoDelay(true)
  return new Promise<SshConnection>((resolve, reject) => {
    let hostKeyError: BackplaneError | undefined
    let settled = false
    const settle = (error: BackplaneError | undefined): void => {
      if (settled) return
      settled = true
      signal?.removeEventListener('abort', onAbort)
      clearTimeout(timer)
      if (!error) return resolve({ client, socket, serverSoftware: (client as unknown as { _remoteVer?: string })._remoteVer })
      client.removeAllListeners('ready')
      client.on('error', () => undefined) // late errors of a connection given up
      socket.destroy()
      reject(error)
    }
    const onAbort = (): void => settle(cancelled(server))
    signal?.addEventListener('abort', onAbort, { once: true })
    // ssh2's readyTimeout covers the handshake; this one also a TCP connect that hangs in SYN.
    const timer = setTimeout(() => settle(timedOut(server, readyTimeout)), readyTimeout + 1_000)

    client.once('ready', () => settle(undefined))
    client.on('error', (err: Error & { level?: string }) => {
      if (!settled) settle(hostKeyError ?? connectError(err, request, server, readyTimeout))
    })
    client.once('close', () => {
      if (!settled) settle(hostKeyError ?? new BackplaneError(ErrorCode.E_CONNECTION_RESET, `The SSH server ${server} closed the connection before the login finished.`))
    })
    if (login.password) {
      // Servers that take passwords only through keyboard-interactive (PAM) ask for them there.
      const password = login.password
      client.on('keyboard-interactive', (_name, _instructions, _lang, prompts, finish) => finish(prompts.map(() => password)))
    }

    const config: ConnectConfig = {
      sock: socket,
      username: login.user,
      readyTimeout,
      keepaliveInterval: login.keepaliveSeconds * 1000,
      keepaliveCountMax: KEEPALIVE_COUNT_MAX,
      tryKeyboard: login.password !== undefined,
      hostVerifier: (key: Buffer) => {
        hostKeyError = checkHostKey(login.host, login.port, key, expected)
        return hostKeyError === undefined
      },
      ...(login.password ? { password: login.password } : {}),
      ...(privateKey ? { privateKey, ...(login.passphrase ? { passphrase: login.passphrase } : {}) } : {}),
    }
    try {
      client.connect(config)
    } catch (err) {
      settle(connectError(err as Error, request, server, readyTimeout))
    }
  })
}

/** What a failed connect or login means, in the words of someone configuring the alias; no secret in it. */
function connectError(err: Error & { level?: string; code?: unknown }, { login, purpose }: OpenSshConnectionRequest, server: string, readyTimeout: number): BackplaneError {
  if (err.level === 'client-authentication') {
    const used = [login.privateKey ? 'private key' : '', login.password ? 'password' : ''].filter(Boolean).join(' or ')
    return new BackplaneError(ErrorCode.E_AUTH, `The SSH server ${server} refused the login of "${login.user}" with the ${used}.`, { hint: purpose.authHint, cause: err })
  }
  if (err.level === 'client-timeout') return timedOut(server, readyTimeout)
  if (err.level === 'client-socket' && typeof err.code === 'string') {
    const mapped = toBackplaneError(err, ErrorCode.E_CONNECTION)
    return new BackplaneError(mapped.code as ErrorCode, `The SSH server ${server} could not be reached: ${err.message}`, { hint: mapped.hint, cause: err })
  }
  return new BackplaneError(ErrorCode.E_CONNECTION, `The SSH connection to ${server} failed: ${err.message}`, {
    hint: 'Check that the host and port are those of an SSH server.',
    cause: err,
  })
}

function timedOut(server: string, ms: number): BackplaneError {
  return new BackplaneError(ErrorCode.E_TIMEOUT, `The SSH server ${server} did not complete the login within ${Math.round(ms / 100) / 10} s.`, {
    hint: 'Check the SSH host and port, and that no firewall drops the packets.',
  })
}

function cancelled(server: string): BackplaneError {
  return new BackplaneError(ErrorCode.E_CANCELLED, `Connecting to the SSH server ${server} was cancelled.`)
}
