import Redis from 'ioredis'
import { freePort } from '../../../../test/support/failures'
import { OwnServer } from '../../../../test/support/own-server'

/** A redis-server of a test's own (no persistence), to kill mid-call and start again on the same port. */
export interface OwnRedis {
  port: number
  /** A raw client for filling the server; it reconnects once the server is back. */
  client: Redis
  /** SIGKILL, by PID: the server goes away as a crashed one would. */
  stop(): Promise<void>
  start(): Promise<void>
}

export async function startOwnRedis(): Promise<OwnRedis> {
  const port = await freePort()
  const client = new Redis({ port, lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => 100 })
  client.on('error', () => undefined)
  const server = new OwnServer('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--enable-debug-command', 'yes'], async (child) => {
    // Listening is not enough: redis answers LOADING until it is ready.
    const deadline = Date.now() + 5000
    for (;;) {
      const probe = new Redis({ port, lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 })
      probe.on('error', () => undefined)
      try {
        await probe.connect()
        await probe.ping()
        probe.disconnect()
        return
      } catch (err) {
        probe.disconnect()
        if (Date.now() > deadline || child.exitCode !== null) throw err
        await new Promise((r) => setTimeout(r, 50))
      }
    }
  })
  await server.start()
  await client.connect()
  return { port, client, stop: () => server.stop(), start: () => server.start() }
}
