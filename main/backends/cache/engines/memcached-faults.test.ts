import { createServer, type Server, type Socket } from 'node:net'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createBackend, testContext } from '../../../../test/support/engine-context'
import { describeService } from '../../../../test/support/services'
import type { Cache } from '../base'
import { memcachedEngine } from './memcached'
import { parseLocation, selectServer } from './memcached-ring'
import { startOwnMemcached, type OwnMemcached } from './memcached-test-server'

/** A TCP server that counts connections and does `behave` with each: never answer, or hang up at once. */
async function fakeServer(behave: 'silent' | 'hang-up'): Promise<{ port: number; connections: () => number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>()
  let connections = 0
  const server: Server = createServer((socket) => {
    connections++
    sockets.add(socket)
    socket.on('error', () => undefined)
    if (behave === 'hang-up') socket.destroy()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    port: (server.address() as { port: number }).port,
    connections: () => connections,
    close: async () => {
      for (const socket of sockets) socket.destroy()
      await new Promise((resolve) => server.close(resolve))
    },
  }
}

async function timed<T>(promise: Promise<T>): Promise<{ error: unknown; ms: number }> {
  const started = performance.now()
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  return { error, ms: performance.now() - started }
}

const caches: Cache[] = []
async function make(options: Record<string, unknown>): Promise<Cache> {
  const cache = await createBackend<Cache>(memcachedEngine, { keyPrefix: 'bp-mc-faults', ...options }, testContext('cache'))
  caches.push(cache)
  return cache
}
afterEach(async () => {
  for (const cache of caches.splice(0)) await cache.close()
})

describe('memcached faults, typed and fast', () => {
  it('answers a port where nothing listens with E_CONNECTION_REFUSED at once, naming the server', async () => {
    const probe = await fakeServer('silent')
    await probe.close() // the port is now free: nothing listens there
    const cache = await make({ location: `127.0.0.1:${probe.port}` })
    const { error, ms } = await timed(cache.get('k'))
    expect(error).toMatchObject({ code: 'E_CONNECTION_REFUSED', status: 502, message: expect.stringContaining(`127.0.0.1:${probe.port}`) })
    expect(ms).toBeLessThan(1000)
    const report = await cache.check()
    expect(report.state).toBe('down')
    expect(report.error?.code).toBe('E_CONNECTION_REFUSED')
  })

  it('answers a server that never replies with E_TIMEOUT after the command timeout', async () => {
    const silent = await fakeServer('silent')
    try {
      const cache = await make({ location: `127.0.0.1:${silent.port}`, commandTimeoutSeconds: 0.3 })
      const { error, ms } = await timed(cache.set('k', 1))
      expect(error).toMatchObject({ code: 'E_TIMEOUT', status: 504 })
      expect(ms).toBeGreaterThanOrEqual(250)
      expect(ms).toBeLessThan(1500)
    } finally {
      await silent.close()
    }
  })

  it('tries a server that hangs up once per call, never in a retry storm', async () => {
    const rude = await fakeServer('hang-up')
    try {
      const cache = await make({ location: `127.0.0.1:${rude.port}` })
      const { error, ms } = await timed(cache.get('k'))
      expect(error).toMatchObject({ code: 'E_CONNECTION_RESET' })
      expect(ms).toBeLessThan(1000)
      await new Promise((r) => setTimeout(r, 500)) // time for any retry to show itself
      expect(rude.connections()).toBe(1)
    } finally {
      await rude.close()
    }
  })
})

describeService('memcached', 'memcached faults on a real server', () => {
  let own: OwnMemcached
  beforeAll(async () => {
    own = await startOwnMemcached()
  })
  afterAll(async () => {
    await own?.kill()
  })

  it('fails a call pending on a server that goes away within a couple of seconds, and recovers when it is back', async () => {
    const cache = await make({ location: own.location })
    await cache.set('k', 'before')
    // Frozen, the server holds the call unanswered; then it dies under it.
    process.kill(own.pid()!, 'SIGSTOP')
    await new Promise((r) => setTimeout(r, 50)) // a signal takes effect asynchronously
    const pending = timed(cache.get('k'))
    await new Promise((r) => setTimeout(r, 100))
    await own.kill()
    const { error, ms } = await pending
    expect(error).toMatchObject({ code: 'E_CONNECTION_RESET', message: expect.stringContaining(own.location) })
    expect(ms).toBeLessThan(2500)
    // While it is down: refused at once.
    expect((await timed(cache.get('k'))).error).toMatchObject({ code: 'E_CONNECTION_REFUSED' })
    await own.start()
    await cache.set('k', 'after')
    expect(await cache.get('k')).toBe('after')
  })

  it('reports one server of two down by name, while keys on the other still work', async () => {
    const other = await startOwnMemcached()
    const cache = await make({ location: [own.location, other.location], keyPrefix: 'two' })
    const servers = parseLocation([own.location, other.location])
    const keyOn = (node: string) => Array.from({ length: 100 }, (_, i) => `k${i}`).find((k) => selectServer(servers, `two:1:${k}`).node === node)!
    await other.kill()
    const report = await cache.check()
    expect(report.state).toBe('down')
    expect(report.error?.message).toContain(other.location)
    await cache.set(keyOn(own.location), 'fine')
    expect(await cache.get(keyOn(own.location))).toBe('fine')
    await expect(cache.get(keyOn(other.location))).rejects.toMatchObject({ code: 'E_CONNECTION_REFUSED', message: expect.stringContaining(other.location) })
  })
})
