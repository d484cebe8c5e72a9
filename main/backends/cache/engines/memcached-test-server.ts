import { freePort } from '../../../../test/support/failures'
import { OwnServer, waitForPort } from '../../../../test/support/own-server'

/**
 * A memcached of a test's own (tests only): the contract suite clears its cache, which must never
 * flush the testbed's shared server, and the fault tests stop and restart it. Stopped by its PID.
 */
export interface OwnMemcached {
  port: number
  location: string
  /** Stops the server (SIGKILL: it goes away mid-call, as a crashed server would). */
  kill(): Promise<void>
  /** Starts it again on the same port. */
  start(): Promise<void>
  /** The running server's process id. */
  pid(): number | undefined
}

/** `memcached -l 127.0.0.1 -p <free port> -U 0`, as nobody when run as root; `args` adds options (e.g. -I 4m). */
export async function startOwnMemcached(args: string[] = []): Promise<OwnMemcached> {
  const port = await freePort()
  const user = process.getuid?.() === 0 ? ['-u', 'nobody'] : []
  const server = new OwnServer('memcached', ['-l', '127.0.0.1', '-p', String(port), '-U', '0', ...user, ...args], (child) => waitForPort(port, child, 'memcached'))
  await server.start()
  return { port, location: `127.0.0.1:${port}`, kill: () => server.stop(), start: () => server.start(), pid: () => server.pid }
}
