import { spawn, type ChildProcess } from 'node:child_process'
import Redis from 'ioredis'
import { freePort } from '../../../../test/support/failures'

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
  let child: ChildProcess | undefined
  const client = new Redis({ port, lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => 100 })
  client.on('error', () => undefined)
  const start = async () => {
    const started = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--enable-debug-command', 'yes'], { stdio: 'ignore' })
    child = started
    const stopOnExit = () => started.exitCode === null && started.signalCode === null && started.kill('SIGKILL')
    process.once('exit', stopOnExit)
    started.once('exit', () => process.removeListener('exit', stopOnExit))
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
        if (Date.now() > deadline || started.exitCode !== null) throw err
        await new Promise((r) => setTimeout(r, 50))
      }
    }
  }
  const stop = async () => {
    const running = child
    if (!running?.pid || running.exitCode !== null || running.signalCode !== null) return
    const exited = new Promise((resolve) => running.once('exit', resolve))
    process.kill(running.pid, 'SIGKILL')
    await exited
  }
  await start()
  await client.connect()
  return {
    port,
    client,
    stop,
    start,
  }
}
