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
interface Waiter {
  since: number
  reject(error: Error): void
}

export class RedisConnection {
  private readonly client: Redis
  private readonly commandMs: number
  /** The calls waiting for an answer, and the one timer that fails those past the command timeout. */
  private readonly waiting = new Set<Waiter>()
  private watchdog: NodeJS.Timeout | undefined
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
      // connection (run()) fails calls past the timeout instead.
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
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter = { since: performance.now(), reject }
      this.waiting.add(waiter)
      this.watch()
      commands(this.client).then(
        (value) => {
          this.waiting.delete(waiter)
          resolve(value)
        },
        (err: unknown) => {
          this.waiting.delete(waiter)
          reject(redisError(err, this.display, this.lastError))
        },
      )
    })
  }

  /** Sweeps every half timeout while calls wait; a call past the timeout is E_TIMEOUT (its late answer is dropped). */
  private watch(): void {
    if (this.watchdog) return
    this.watchdog = setTimeout(() => {
      this.watchdog = undefined
      const now = performance.now()
      for (const waiter of this.waiting) {
        if (now - waiter.since < this.commandMs) continue
        this.waiting.delete(waiter)
        waiter.reject(redisError(new Error('Command timed out'), this.display))
      }
      if (this.waiting.size > 0) this.watch()
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
