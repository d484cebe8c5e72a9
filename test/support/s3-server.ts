import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * s3rver (npm, a Koa S3 emulator that keeps objects in a folder) run as a child process on a free loopback
 * port with a temp directory of its own, so S3 tests never skip and never share state. A child, not an
 * in-process server: a test can kill it by PID mid-upload, like a server that vanishes, and its request
 * handling never shares the test's event loop (loop-lag and memory measurements stay about our code).
 * s3rver-child.mjs adds the multipart calls s3rver lacks (abort, list), so leftovers can be checked.
 */
export interface S3TestServer {
  /** `http://127.0.0.1:<port>`; path-style addressing (`forcePathStyle: true`). */
  readonly endpoint: string
  readonly region: string
  readonly accessKeyId: string
  readonly secretAccessKey: string
  /** An account that may read and list but is refused every write with AccessDenied (403), as a policy without s3:PutObject. */
  readonly readOnly: { readonly accessKeyId: string; readonly secretAccessKey: string }
  /** The folder s3rver stores buckets in (removed by stop()). */
  readonly directory: string
  /** The PID of the running s3rver, undefined while it is down. */
  readonly pid: number | undefined
  /** Kills s3rver (SIGKILL: no graceful close) and keeps its data; the port stays reserved for restart(). */
  kill(): Promise<void>
  /** Kills s3rver if it runs and starts it again on the same port and data. */
  restart(): Promise<void>
  /** Kills s3rver and removes its data. Idempotent. */
  stop(): Promise<void>
}

export interface S3TestServerOptions {
  /** Buckets created at startup (default `['backplane-test']`). */
  readonly buckets?: readonly string[]
}

// s3rver's fixed credentials: it verifies signatures made with this pair and refuses any other.
const ACCESS_KEY_ID = 'S3RVER'
const SECRET_ACCESS_KEY = 'S3RVER'
const START_TIMEOUT_MS = 15_000

const CHILD_SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 's3rver-child.mjs')

const running = new Set<ChildProcess>()
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL')
})

export async function startS3Server(options: S3TestServerOptions = {}): Promise<S3TestServer> {
  const buckets = options.buckets ?? ['backplane-test']
  const directory = await mkdtemp(join(tmpdir(), 'backplane-s3rver-'))
  let child: ChildProcess | undefined
  let port = 0
  try {
    ;({ child, port } = await launch(directory, 0, buckets))
  } catch (error) {
    await rm(directory, { recursive: true, force: true })
    throw error
  }

  const kill = async (): Promise<void> => {
    const current = child
    child = undefined
    if (current) await killChild(current)
  }
  return {
    endpoint: `http://127.0.0.1:${port}`,
    region: 'us-east-1',
    accessKeyId: ACCESS_KEY_ID,
    secretAccessKey: SECRET_ACCESS_KEY,
    readOnly: { accessKeyId: 'READONLY', secretAccessKey: 'READONLY' },
    directory,
    get pid() {
      return child?.pid
    },
    kill,
    async restart() {
      await kill()
      child = (await launch(directory, port, buckets)).child
    },
    async stop() {
      await kill()
      await rm(directory, { recursive: true, force: true })
    },
  }
}

/** Spawns s3rver and resolves once it prints the port it listens on. */
function launch(directory: string, port: number, buckets: readonly string[]): Promise<{ child: ChildProcess; port: number }> {
  // s3rver enciphers its continuation tokens with DES, which OpenSSL 3 keeps in its legacy provider: without
  // it every truncated listing (more keys than MaxKeys) fails with InternalError.
  const child = spawn(process.execPath, ['--openssl-legacy-provider', CHILD_SCRIPT, directory, String(port), ...buckets], { stdio: ['ignore', 'pipe', 'pipe'] })
  running.add(child)
  child.once('exit', () => running.delete(child))
  return new Promise((resolve, reject) => {
    let output = ''
    const fail = (reason: string): void => {
      clearTimeout(timer)
      child.kill('SIGKILL')
      reject(new Error(`s3rver did not start: ${reason}\n${output}`))
    }
    const timer = setTimeout(() => fail(`no "listening" line within ${START_TIMEOUT_MS} ms`), START_TIMEOUT_MS)
    const onData = (chunk: Buffer): void => {
      output += chunk.toString()
      const match = /S3rver listening on [^:\s]+:(\d+)/.exec(output)
      if (!match?.[1]) return
      clearTimeout(timer)
      child.stdout?.off('data', onData)
      // Keep draining so a chatty child never blocks on a full pipe.
      child.stdout?.resume()
      resolve({ child, port: Number(match[1]) })
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString()
    })
    child.once('error', (error) => fail(error.message))
    child.once('exit', (code, signal) => fail(`exited with ${signal ?? code}`))
  })
}

function killChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    child.once('exit', () => resolve())
    child.kill('SIGKILL')
  })
}
