import { spawn, type ChildProcess } from 'node:child_process'
import { createConnection, createServer } from 'node:net'

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

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

async function waitForPort(port: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 5000
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`memcached exited (${child.exitCode ?? child.signalCode})`)
    const open = await new Promise<boolean>((resolve) => {
      const socket = createConnection(port, '127.0.0.1')
      socket.once('connect', () => (socket.destroy(), resolve(true)))
      socket.once('error', () => resolve(false))
    })
    if (open) return
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error(`memcached did not listen on ${port} within 5 s`)
}

/** `memcached -l 127.0.0.1 -p <free port> -U 0`, as nobody when run as root; `args` adds options (e.g. -I 4m). */
export async function startOwnMemcached(args: string[] = []): Promise<OwnMemcached> {
  const port = await freePort()
  let child: ChildProcess | undefined
  const start = async () => {
    const user = process.getuid?.() === 0 ? ['-u', 'nobody'] : []
    const started = spawn('memcached', ['-l', '127.0.0.1', '-p', String(port), '-U', '0', ...user, ...args], { stdio: 'ignore' })
    child = started
    // Should a test file end without its afterAll (a crash, a timeout), the server still goes with it.
    const stopOnExit = () => started.exitCode === null && started.signalCode === null && started.kill('SIGKILL')
    process.once('exit', stopOnExit)
    started.once('exit', () => process.removeListener('exit', stopOnExit))
    await waitForPort(port, child)
  }
  const kill = async () => {
    const running = child
    if (!running?.pid || running.exitCode !== null || running.signalCode !== null) return
    const exited = new Promise((resolve) => running.once('exit', resolve))
    process.kill(running.pid, 'SIGKILL')
    await exited
  }
  await start()
  return { port, location: `127.0.0.1:${port}`, kill, start, pid: () => child?.pid }
}
