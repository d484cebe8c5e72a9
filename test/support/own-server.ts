import { spawn, type ChildProcess } from 'node:child_process'
import { createConnection } from 'node:net'

/**
 * A server process of a test's own (a redis-server or memcached to kill mid-call, or to clear without
 * touching the testbed's shared one): started, waited for until `ready` says so, stopped by its PID with
 * SIGKILL (it goes away as a crashed server would), and never left running when the test process ends.
 */
export class OwnServer {
  private child: ChildProcess | undefined

  constructor(
    private readonly command: string,
    private readonly args: readonly string[],
    private readonly ready: (child: ChildProcess) => Promise<void>,
  ) {}

  get pid(): number | undefined {
    return this.child?.pid
  }

  async start(): Promise<void> {
    const started = spawn(this.command, [...this.args], { stdio: 'ignore' })
    this.child = started
    // Should a test file end without its afterAll (a crash, a timeout), the server still goes with it.
    const stopOnExit = () => started.exitCode === null && started.signalCode === null && started.kill('SIGKILL')
    process.once('exit', stopOnExit)
    started.once('exit', () => process.removeListener('exit', stopOnExit))
    await this.ready(started)
  }

  async stop(): Promise<void> {
    const running = this.child
    if (!running?.pid || running.exitCode !== null || running.signalCode !== null) return
    const exited = new Promise((resolve) => running.once('exit', resolve))
    process.kill(running.pid, 'SIGKILL')
    await exited
  }
}

/** Resolves once something accepts connections on the port; fails when the child exits first, or after 5 s. */
export async function waitForPort(port: number, child: ChildProcess, name: string): Promise<void> {
  const deadline = Date.now() + 5000
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${name} exited (${child.exitCode ?? child.signalCode})`)
    const open = await new Promise<boolean>((resolve) => {
      const socket = createConnection(port, '127.0.0.1')
      socket.once('connect', () => (socket.destroy(), resolve(true)))
      socket.once('error', () => resolve(false))
    })
    if (open) return
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error(`${name} did not listen on ${port} within 5 s`)
}
