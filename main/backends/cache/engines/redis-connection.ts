import Redis from 'ioredis'
import type { Logger } from '../../../core/log'
import { redisError } from './redis-errors'
import type { RedisServer } from './redis-location'

export interface ConnectionTimeouts {
  connectMs: number
  commandMs: number
}

/**
 * One server of the alias, connected when first used and again on the first call after it went away.
 * ioredis's own reconnect loop and offline queue are off: a call to a server that is not there fails at
 * once with a typed error instead of waiting in a queue, and nothing retries in the background.
 */
export class RedisConnection {
  private readonly client: Redis
  /** Why the connection last failed: ioredis rejects the command with "Connection is closed." only. */
  private lastError: Error | undefined
  private connecting: Promise<void> | undefined
  private closed = false

  constructor(
    readonly server: RedisServer,
    timeouts: ConnectionTimeouts,
    private readonly log: Logger,
  ) {
    this.client = new Redis({
      ...server.connect,
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
      autoResendUnfulfilledCommands: false,
      connectTimeout: timeouts.connectMs,
      commandTimeout: timeouts.commandMs,
      // RESP2, as redis-py (Django's client) speaks it; replies then have one shape on every server version.
      protocol: 2,
      connectionName: 'backplane',
      disableClientInfo: true,
    })
    this.client.on('error', (err: Error) => {
      this.lastError = err
      this.log.debug(`Redis ${server.display}: ${err.message}`)
    })
  }

  get display(): string {
    return this.server.display
  }

  /** Runs commands on the connected client; every failure comes out as a BackplaneError naming the server. */
  async run<T>(commands: (client: Redis) => Promise<T>): Promise<T> {
    await this.ready()
    try {
      return await commands(this.client)
    } catch (err) {
      throw redisError(err, this.display, this.lastError)
    }
  }

  private async ready(): Promise<void> {
    if (this.closed) throw redisError(new Error('Connection is closed.'), this.display)
    if (this.client.status === 'ready') return
    this.connecting ??= this.connect().finally(() => (this.connecting = undefined))
    await this.connecting
  }

  /** Only ever one at a time (ready() shares it), so the client is never asked to connect while it is connecting. */
  private async connect(): Promise<void> {
    this.lastError = undefined
    try {
      await this.client.connect()
    } catch (err) {
      throw redisError(err, this.display, this.lastError)
    }
  }

  /** QUIT, so the server sees a clean goodbye; a server already gone is simply let go. */
  async close(): Promise<void> {
    this.closed = true
    if (this.client.status === 'ready') {
      await this.client.quit().catch(() => this.client.disconnect())
    } else {
      this.client.disconnect()
    }
  }
}
