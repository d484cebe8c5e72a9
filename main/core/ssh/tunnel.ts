import { createServer, type Server, type Socket } from 'node:net'
import type { ClientChannel } from 'ssh2'
import { BackplaneError, ErrorCode, toBackplaneError } from '../errors'
import type { Logger } from '../log'
import { serverAddress } from './known-hosts'
import { endSshConnection, openSshConnection, type SshConnection, type SshLoginPurpose } from './ssh-connect'
import type { SshTunnelOptions } from './tunnel-options'

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

/** How long close() waits for the SSH server to acknowledge the disconnect. */
/** SSH_OPEN_* reason codes of a refused channel (RFC 4254, 5.1). */
const OPEN_ADMINISTRATIVELY_PROHIBITED = 1
const OPEN_CONNECT_FAILED = 2

/**
 * Opens an SSH connection, checks the server's key against the alias's fingerprint or the user's known
 * hosts, logs in, and listens on 127.0.0.1:0; each local connection is forwarded to the target.
 */
export async function openSshTunnel(request: OpenSshTunnelRequest): Promise<SshTunnel> {
  const { options, target, log } = request
  const server = serverAddress(options.host, options.port)
  const ssh = await openSshConnection({ login: options, purpose: TUNNEL_LOGIN, dataDir: request.dataDir, signal: request.signal, readyTimeoutMs: request.readyTimeoutMs })
  log.debug(`SSH login of ${options.user} at ${server} accepted; forwarding to ${target.host}:${target.port}`)
  try {
    return await listen(ssh, request, server)
  } catch (err) {
    ssh.socket.destroy()
    throw err
  }
}

const TUNNEL_LOGIN: SshLoginPurpose = {
  optionsPath: ['tunnel'],
  settings: 'the SSH tunnel settings of the alias',
  authHint: 'Check the SSH user and its password or private key: this is the login on the SSH server, not the database user.',
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

// --- forwarding ------------------------------------------------------------------------------------

async function listen(connection: SshConnection, { options, target, log }: OpenSshTunnelRequest, server: string): Promise<SshTunnel> {
  const { client } = connection
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
      await Promise.all([done, endSshConnection(connection)])
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

