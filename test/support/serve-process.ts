import { spawn, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'

const root = join(import.meta.dirname, '..', '..')
const STOP_GRACE_MS = 5_000
/** What is kept of the server's stderr: its log, for a failure's message, without growing through a long benchmark. */
const STDERR_KEPT = 1024 * 1024

export interface ServeProcess {
  child: ChildProcess
  /** The URL `backplane serve` printed (with `?token=` when it prints one). */
  url: string
  /** What the server wrote to stderr so far (its log). */
  stderr(): string
  alive(): boolean
  /** SIGTERM to the child's own PID (never by name), SIGKILL if it has not gone after a grace period. */
  stop(): Promise<void>
}

export interface ServeSpawn {
  /** The script that runs the CLI, from the checkout's root: the bundle (out/main/cli.js) or the sources (bin/backplane.mjs). */
  entry: string
  env: NodeJS.ProcessEnv
  /** serve's own arguments. */
  args: string[]
  startupTimeoutMs: number
}

/**
 * `backplane serve` in a child process of its own, resolved once it prints "serving on". Its output is
 * drained all along (a full pipe would stall it), and it goes with this process should that die first.
 */
export function spawnServe({ entry, env, args, startupTimeoutMs }: ServeSpawn): Promise<ServeProcess> {
  const child = spawn(process.execPath, [join(root, entry), 'serve', ...args], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] })
  const killOnExit = () => child.kill('SIGKILL')
  process.once('exit', killOnExit)
  child.once('exit', () => process.off('exit', killOnExit))
  let stdout = ''
  let stderr = ''
  child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-STDERR_KEPT)))
  const running = (url: string): ServeProcess => ({
    child,
    url,
    stderr: () => stderr,
    alive: () => child.exitCode === null && child.signalCode === null,
    stop: () => stopChild(child),
  })
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(`did not start within ${startupTimeoutMs / 1000} s`), startupTimeoutMs)
    const fail = (why: string) => {
      clearTimeout(timer)
      void stopChild(child)
      reject(new Error(`backplane serve ${why}\nstdout: ${stdout.slice(-2000)}\nstderr: ${stderr.slice(-2000)}`))
    }
    child.stdout!.on('data', (chunk: Buffer) => {
      if (stdout.length < STDERR_KEPT) stdout += chunk.toString()
      const match = /serving on (http:\/\/\S+)/.exec(stdout)
      if (match?.[1]) {
        clearTimeout(timer)
        resolve(running(match[1]))
      }
    })
    child.once('exit', (code, signal) => fail(`exited early (${signal ?? `code ${code}`})`))
  })
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return Promise.resolve()
  return new Promise((resolve) => {
    const killer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS)
    child.once('exit', () => {
      clearTimeout(killer)
      resolve()
    })
    child.kill('SIGTERM')
  })
}
