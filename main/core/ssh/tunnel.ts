import { connect as connectTcp, createServer, type Server, type Socket } from 'node:net'
import ssh2, { type Client as SshClient, type ClientChannel, type ConnectConfig } from 'ssh2'
import { BackplaneError, ErrorCode, toBackplaneError } from '../errors'
import type { Logger } from '../log'
import { rememberSecret } from '../redact'
import { checkHostKey, expectedHostKey, serverAddress, type ExpectedKey } from './known-hosts'
import type { SshTunnelOptions } from './tunnel-options'

// ssh2 is CommonJS: Node's ESM loader finds Client among its named exports but not utils, so both come off the default.
const { Client, utils } = ssh2

export interface TunnelTarget {
  host: string
  port: number
}

export interface OpenSshTunnelRequest {
  options: SshTunnelOptions
  /** Where the SSH server connects to, as the SSH server sees it (127.0.0.1 is the SSH server itself). */
  target: TunnelTarget
  /** Holds known-hosts.json, the servers the user trusted. */
  dataDir: string
  log: Logger
  /** Cancels the opening (E_CANCELLED); an open tunnel is closed with close(). */
  signal?: AbortSignal | undefined
  /** How long the connect, the SSH handshake and the login may take together; 20 s by default. */
  readyTimeoutMs?: number | undefined
}

export type TunnelErrorListener = (error: BackplaneError, state: { closed: boolean }) => void

/**
 * A local port on 127.0.0.1 that leads to the target through the SSH server, as `ssh -L 0:target`.
 * Any program on this computer may connect to the port while it is open, as with `ssh -L`.
 */
export interface SshTunnel {
  readonly host: '127.0.0.1'
  /** The local ephemeral port. */
  readonly port: number
  /** True once close() was called or the SSH connection was lost: open a new tunnel then. */
  readonly closed: boolean
  /**
   * The latest failure: a forward the SSH server refused (E_TUNNEL; that local connection was closed, the
   * tunnel stays open) or the lost SSH connection. A driver that saw its socket closed can report this instead.
   */
  readonly lastError: BackplaneError | undefined
  /** Closes the local port and the SSH connection; safe to call twice. */
  close(): Promise<void>
  /** Called on each failure after the tunnel opened; `closed` says whether the tunnel is gone. Returns an unsubscribe. */
  onError(listener: TunnelErrorListener): () => void
}

const DEFAULT_READY_TIMEOUT_MS = 20_000
/** Unanswered keepalives after which ssh2 gives the connection up. */
const KEEPALIVE_COUNT_MAX = 3
/** How long close() waits for the SSH server to acknowledge the disconnect. */
const CLOSE_WAIT_MS = 2_000
/** SSH_OPEN_* reason codes of a refused channel (RFC 4254, 5.1). */
const OPEN_ADMINISTRATIVELY_PROHIBITED = 1
const OPEN_CONNECT_FAILED = 2

/**
 * Opens an SSH connection, checks the server's key against the alias's fingerprint or the user's known
 * hosts, logs in, and listens on 127.0.0.1:0; each local connection is forwarded to the target.
 */
export async function openSshTunnel(request: OpenSshTunnelRequest): Promise<SshTunnel> {
  const { options, target, log, signal } = request
  const server = serverAddress(options.host, options.port)
  for (const secret of [options.password, options.privateKey, options.passphrase]) if (secret) rememberSecret(secret)
  if (signal?.aborted) throw cancelled(server)
  const privateKey = options.privateKey ? readPrivateKey(options.privateKey, options.passphrase) : undefined
  const expected = await expectedHostKey(request.dataDir, options.host, options.port, options.fingerprint)
  const ssh = await connect(request, server, privateKey, expected)
  log.debug(`SSH login of ${options.user} at ${server} accepted; forwarding to ${target.host}:${target.port}`)
  try {
    return await listen(ssh, request, server)
  } catch (err) {
    ssh.socket.destroy()
    throw err
  }
}

export interface TunnelEndpoint {
  /** Where the engine connects: the tunnel's local end, or the target itself without a tunnel. */
  host: string
  port: number
  /** The tunnel, when there is one: its lastError explains a connection the SSH server refused. */
  tunnel: SshTunnel | undefined
  /** Closes the tunnel; does nothing without one. */
  close(): Promise<void>
}

/**
 * What an engine connects to: `const endpoint = await withTunnel(options.tunnel, { host, port }, ctx)`,
 * then its driver connects to endpoint.host and endpoint.port, and endpoint.close() goes with the driver's.
 */
export async function withTunnel(
  tunnel: SshTunnelOptions | undefined,
  target: TunnelTarget,
  ctx: { dataDir: string; log: Logger; signal?: AbortSignal | undefined; readyTimeoutMs?: number | undefined },
): Promise<TunnelEndpoint> {
  if (!tunnel) return { host: target.host, port: target.port, tunnel: undefined, close: async () => undefined }
  const opened = await openSshTunnel({ options: tunnel, target, dataDir: ctx.dataDir, log: ctx.log, signal: ctx.signal, readyTimeoutMs: ctx.readyTimeoutMs })
  return { host: opened.host, port: opened.port, tunnel: opened, close: () => opened.close() }
}

// --- logging in ------------------------------------------------------------------------------------

/** The private key, parsed here so that a wrong passphrase is told apart from a refused login. */
function readPrivateKey(text: string, passphrase: string | undefined): string {
  const parsed = utils.parseKey(text, passphrase)
  if (parsed instanceof Error) {
    const why = parsed.message
    if (/no passphrase given/i.test(why)) {
      throw new BackplaneError(ErrorCode.E_AUTH, 'The SSH private key is encrypted and no passphrase is set.', {
        hint: "Enter the key's passphrase in the SSH tunnel settings of the alias.",
        details: { field: 'tunnel.passphrase' },
      })
    }
    if (/passphrase|decrypt|integrity/i.test(why)) {
      throw new BackplaneError(ErrorCode.E_AUTH, 'The passphrase of the SSH private key is wrong: the key cannot be decrypted with it.', {
        hint: "Enter the key's passphrase again in the SSH tunnel settings of the alias.",
        details: { field: 'tunnel.passphrase' },
      })
    }
    throw invalidKey(`The SSH private key cannot be read (${why}).`)
  }
  const key = Array.isArray(parsed) ? parsed[0] : parsed
  if (!key?.isPrivateKey()) throw invalidKey('The SSH private key field holds a public key, not a private one.')
  return text
}

function invalidKey(message: string): BackplaneError {
  return new BackplaneError(ErrorCode.E_INVALID_OPTIONS, message, {
    hint: 'Paste the whole private key file (from "-----BEGIN" to "-----END … KEY-----"), not its .pub file or its path.',
    details: { issues: [{ path: ['tunnel', 'privateKey'], message: 'Not a private key in OpenSSH or PEM format.' }] },
  })
}

/** The SSH client and its TCP socket, which is ours so that a connection given up is really closed. */
interface SshConnection {
  client: SshClient
  socket: Socket
}

function connect(request: OpenSshTunnelRequest, server: string, privateKey: string | undefined, expected: ExpectedKey | undefined): Promise<SshConnection> {
  const { options, signal } = request
  const readyTimeout = request.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS
  const client = new Client()
  // ssh2's end() only half-closes a socket, which a server that never answers keeps open; ours is destroyed.
  const socket = connectTcp({ host: options.host, port: options.port })
  socket.setNoDelay(true)
  return new Promise<SshConnection>((resolve, reject) => {
    let hostKeyError: BackplaneError | undefined
    let settled = false
    const settle = (error: BackplaneError | undefined): void => {
      if (settled) return
      settled = true
      signal?.removeEventListener('abort', onAbort)
      clearTimeout(timer)
      if (!error) return resolve({ client, socket })
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
      if (!settled) settle(hostKeyError ?? connectError(err, options, server, readyTimeout))
    })
    client.once('close', () => {
      if (!settled) settle(hostKeyError ?? new BackplaneError(ErrorCode.E_CONNECTION_RESET, `The SSH server ${server} closed the connection before the login finished.`))
    })
    if (options.password) {
      // Servers that take passwords only through keyboard-interactive (PAM) ask for them there.
      const password = options.password
      client.on('keyboard-interactive', (_name, _instructions, _lang, prompts, finish) => finish(prompts.map(() => password)))
    }

    const config: ConnectConfig = {
      sock: socket,
      username: options.user,
      readyTimeout,
      keepaliveInterval: options.keepaliveSeconds * 1000,
      keepaliveCountMax: KEEPALIVE_COUNT_MAX,
      tryKeyboard: options.password !== undefined,
      hostVerifier: (key: Buffer) => {
        hostKeyError = checkHostKey(options.host, options.port, key, expected)
        return hostKeyError === undefined
      },
      ...(options.password ? { password: options.password } : {}),
      ...(privateKey ? { privateKey, ...(options.passphrase ? { passphrase: options.passphrase } : {}) } : {}),
    }
    try {
      client.connect(config)
    } catch (err) {
      settle(connectError(err as Error, options, server, readyTimeout))
    }
  })
}

/** What a failed connect or login means, in the words of someone configuring the alias; no secret in it. */
function connectError(err: Error & { level?: string; code?: unknown }, options: SshTunnelOptions, server: string, readyTimeout: number): BackplaneError {
  if (err.level === 'client-authentication') {
    const used = [options.privateKey ? 'private key' : '', options.password ? 'password' : ''].filter(Boolean).join(' or ')
    return new BackplaneError(ErrorCode.E_AUTH, `The SSH server ${server} refused the login of "${options.user}" with the ${used}.`, {
      hint: 'Check the SSH user and its password or private key: this is the login on the SSH server, not the database user.',
      cause: err,
    })
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
  return new BackplaneError(ErrorCode.E_CANCELLED, `Opening the SSH tunnel through ${server} was cancelled.`)
}

// --- forwarding ------------------------------------------------------------------------------------

async function listen({ client, socket: sshSocket }: SshConnection, { options, target, log }: OpenSshTunnelRequest, server: string): Promise<SshTunnel> {
  const sockets = new Set<Socket>()
  const listeners = new Set<TunnelErrorListener>()
  const destination = serverAddress(target.host, target.port)
  let closed = false
  let lastError: BackplaneError | undefined
  let closing: Promise<void> | undefined

  const report = (error: BackplaneError): void => {
    lastError = error
    log.warn(error.message)
    for (const listener of listeners) {
      try {
        listener(error, { closed })
      } catch (err) {
        log.error(`An SSH tunnel error listener threw: ${toBackplaneError(err).message}`)
      }
    }
  }

  const local: Server = createServer((socket) => {
    sockets.add(socket)
    socket.setNoDelay(true)
    socket.on('error', () => socket.destroy())
    socket.once('close', () => sockets.delete(socket))
    // Until the channel opens, the socket is not read: what the client sends waits in the socket.
    try {
      client.forwardOut('127.0.0.1', socket.remotePort ?? 0, target.host, target.port, (err, channel) => {
        if (err) {
          socket.destroy()
          report(forwardError(err as Error & { reason?: unknown }, server, destination))
          return
        }
        if (socket.destroyed) return void channel.close()
        pipe(socket, channel)
      })
    } catch (err) {
      // "Not connected": the SSH connection is going away; its close is reported on its own.
      socket.destroy()
      log.debug(`SSH tunnel to ${destination}: ${toBackplaneError(err).message}`)
    }
  })

  const shutDown = (): Promise<void> => {
    closing ??= new Promise<void>((resolve) => {
      closed = true
      for (const socket of sockets) socket.destroy()
      local.close(() => resolve())
    })
    return closing
  }

  // The SSH connection dropped (server gone, keepalives unanswered): the tunnel is gone with it, and the
  // engine opens a new one on its next use.
  let sshError: Error | undefined
  client.on('error', (err: Error) => {
    sshError = err
  })
  client.on('close', () => {
    if (closed) return
    void shutDown()
    const keepalive = sshError && /keepalive/i.test(sshError.message)
    report(
      keepalive
        ? new BackplaneError(ErrorCode.E_TIMEOUT, `The SSH server ${server} stopped answering keepalives; the tunnel to ${destination} was closed.`, {
            hint: 'Backplane opens it again on the next use; check the network if this repeats.',
            cause: sshError,
          })
        : new BackplaneError(ErrorCode.E_CONNECTION_RESET, `The SSH connection to ${server} was lost${sshError ? ` (${sshError.message})` : ''}; the tunnel to ${destination} was closed.`, {
            hint: 'Backplane opens it again on the next use.',
            cause: sshError,
          }),
    )
  })

  await new Promise<void>((resolve, reject) => {
    local.once('error', reject)
    local.listen({ host: '127.0.0.1', port: 0 }, () => {
      local.off('error', reject)
      resolve()
    })
  }).catch((err: unknown) => {
    throw toBackplaneError(err, ErrorCode.E_TUNNEL)
  })
  const address = local.address()
  const port = typeof address === 'object' && address ? address.port : 0
  log.info(`SSH tunnel open: 127.0.0.1:${port} → ${options.user}@${server} → ${destination}`)

  return {
    host: '127.0.0.1',
    port,
    get closed() {
      return closed
    },
    get lastError() {
      return lastError
    },
    onError(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    async close() {
      if (closed) return shutDown()
      const done = shutDown()
      const ended = new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          sshSocket.destroy()
          resolve()
        }, CLOSE_WAIT_MS)
        client.once('close', () => {
          clearTimeout(timer)
          resolve()
        })
      })
      client.end()
      await Promise.all([done, ended])
      log.debug(`SSH tunnel on 127.0.0.1:${port} closed`)
    },
  }
}

/** Both ways; a failure on either side closes this one forwarded connection only. */
function pipe(socket: Socket, channel: ClientChannel): void {
  const end = (): void => {
    socket.destroy()
    channel.close()
  }
  channel.on('error', end)
  channel.once('close', () => socket.destroy())
  socket.once('close', () => channel.close())
  socket.pipe(channel)
  channel.pipe(socket)
}

function forwardError(err: Error & { reason?: unknown }, server: string, destination: string): BackplaneError {
  if (err.reason === OPEN_ADMINISTRATIVELY_PROHIBITED) {
    return new BackplaneError(ErrorCode.E_TUNNEL, `The SSH server ${server} refused to forward a connection to ${destination} (administratively prohibited).`, {
      hint: `The SSH server does not allow forwarding to ${destination} (AllowTcpForwarding / PermitOpen in its sshd_config), at least not for this SSH user.`,
      details: { server, target: destination },
      cause: err,
    })
  }
  if (err.reason === OPEN_CONNECT_FAILED) {
    return new BackplaneError(ErrorCode.E_CONNECTION_REFUSED, `The SSH server ${server} could not connect to ${destination}: ${err.message.replace(/^\(SSH\) Channel open failure: /, '') || 'connect failed'}.`, {
      hint: `Is the server running there? Host and port are seen from the SSH server: 127.0.0.1 is the SSH server itself.`,
      details: { server, target: destination },
      cause: err,
    })
  }
  return new BackplaneError(ErrorCode.E_TUNNEL, `The SSH server ${server} did not open a channel to ${destination}: ${err.message}`, {
    hint: `Check that the SSH server allows forwarding to ${destination} (AllowTcpForwarding / PermitOpen).`,
    details: { server, target: destination },
    cause: err,
  })
}

