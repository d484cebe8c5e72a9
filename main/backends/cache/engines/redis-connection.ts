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
  private readonly commandMs: number
  /** Calls waiting for an answer, and when one last came (or the first began): what the watchdog reads. */
  private inFlight = 0
  private lastAnswer = 0
  private watchdog: NodeJS.Timeout | undefined
  /** The watchdog dropped the connection: what its calls fail with is a timeout, not a closed connection. */
  private timedOut = false
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
      // No commandTimeout: ioredis arms a timer per command, a tenth of a get's cost; one watchdog per
      // connection (watch()) drops a connection that has answered nothing for that long instead.
      // RESP2, as redis-py (Django's client) speaks it; replies then have one shape on every server version.
      protocol: 2,
      connectionName: 'backplane',
      disableClientInfo: true,
    })
    this.commandMs = timeouts.commandMs
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
    if (this.client.status !== 'ready') await this.ready()
    if (this.inFlight++ === 0) {
      this.lastAnswer = performance.now()
      this.watch()
    }
    try {
      return await commands(this.client)
    } catch (err) {
      throw redisError(this.timedOut ? new Error('Command timed out') : err, this.display, this.lastError)
    } finally {
      this.inFlight--
      this.lastAnswer = performance.now()
    }
  }

  /**
   * While calls wait, checks every half timeout that an answer came within the timeout; if none did,
   * the server is not answering: the connection is dropped, which fails every waiting call (E_TIMEOUT),
   * and the next call connects again.
   */
  private watch(): void {
    if (this.watchdog) return
    this.watchdog = setTimeout(() => {
      this.watchdog = undefined
      if (this.inFlight === 0) return
      if (performance.now() - this.lastAnswer >= this.commandMs) {
        this.timedOut = true
        // disconnect() alone only half-closes, and the socket's close (which fails the waiting calls) would
        // wait for the stuck server; destroying the socket closes it now.
        this.client.disconnect()
        ;(this.client as unknown as { stream?: { destroy(): void } }).stream?.destroy()
      }
      this.watch()
    }, this.commandMs / 2)
    this.watchdog.unref()
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
    this.timedOut = false
    try {
      await this.client.connect()
    } catch (err) {
      throw redisError(err, this.display, this.lastError)
    }
  }

  /** QUIT, so the server sees a clean goodbye; a server already gone is simply let go. */
  async close(): Promise<void> {
    this.closed = true
    clearTimeout(this.watchdog)
    if (this.client.status === 'ready') {
      await this.client.quit().catch(() => this.client.disconnect())
    } else {
      this.client.disconnect()
    }
  }
}
