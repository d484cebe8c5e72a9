import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const root = join(import.meta.dirname, '..', '..')

export interface RunningBackplane {
  /** The URL `backplane serve` printed, with `?token=`. */
  url: string
  /** http://127.0.0.1:PORT, without a trailing slash. */
  baseUrl: string
  token: string
  home: string
  /** Calls an API method over HTTP, as a test suite or curl would. */
  rpc<T = unknown>(method: string, input?: unknown): Promise<T>
  /** Calls an API method over HTTP and gives back the status and the JSON body, errors included. */
  post(method: string, input?: unknown): Promise<{ status: number; body: Record<string, unknown> & { error?: { code: string; message: string; hint?: string; details?: unknown } } }>
  /** A file over the storage route (`GET`/`PUT /api/v1/storage/<alias>/<name>`), as curl would: the status, and the JSON answer or the bytes as text. */
  file(method: 'GET' | 'PUT', alias: string, name: string, content?: string): Promise<{ status: number; body: Record<string, unknown> & { error?: { code: string; message: string } }; text: string }>
  /** Whether the process still runs. */
  alive(): boolean
  /** What the server wrote to stderr so far (its log). */
  stderr(): string
  stop(): Promise<void>
}

interface StartOptions {
  /** Reuse a data directory (a restart); a new temporary one by default. */
  home?: string
  /** BACKPLANE_TOKEN; null lets serve keep its own token in the data directory, as a user's does. */
  token?: string | null
  /** More arguments for serve, e.g. --new-token. */
  args?: string[]
  /** A fixed port (a restart keeps the old one, so open pages can reconnect); a free one by default. */
  port?: number
}

const STARTUP_TIMEOUT_MS = 30_000
const STOP_GRACE_MS = 5_000

/** A fresh temporary BACKPLANE_HOME. */
export function makeHome(): string {
  return mkdtempSync(join(tmpdir(), 'backplane-e2e-'))
}

/**
 * `backplane serve` from the bundle in out/main, the code `npm start` and the desktop app run (the
 * bin script would run the TypeScript sources instead), in a child process on free ports (HTTP and SMTP), with the file secret store so
 * no keychain is touched. Resolves once it prints "serving on".
 */
export async function startBackplane({ home = makeHome(), token = `e2e-${Math.random().toString(36).slice(2)}`, port = 0, args = [] }: StartOptions = {}): Promise<RunningBackplane> {
  const env: NodeJS.ProcessEnv = { ...process.env, BACKPLANE_HOME: home, BACKPLANE_SECRET_STORE: 'file' }
  if (token === null) delete env.BACKPLANE_TOKEN
  else env.BACKPLANE_TOKEN = token
  const child = spawn(process.execPath, [join(root, 'out', 'main', 'cli.js'), 'serve', '--port', String(port), '--smtp-port', '0', ...args], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString()
  })
  const url = await waitForUrl(child)
  const baseUrl = new URL(url).origin
  token = new URL(url).searchParams.get('token') ?? ''
  return {
    url,
    baseUrl,
    token,
    home,
    async rpc<T>(method: string, input: unknown = {}) {
      const response = await fetch(`${baseUrl}/rpc/${method}`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: JSON.stringify(input) })
      const body = (await response.json()) as T | { error: { code: string; message: string } }
      if (!response.ok) throw new Error(`${method}: ${JSON.stringify(body)}`)
      return body as T
    },
    async post(method: string, input: unknown = {}) {
      const response = await fetch(`${baseUrl}/rpc/${method}`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: JSON.stringify(input) })
      return { status: response.status, body: (await response.json()) as never }
    },
    async file(method: 'GET' | 'PUT', alias: string, name: string, content?: string) {
      const path = [alias, ...name.split('/')].map(encodeURIComponent).join('/')
      const response = await fetch(`${baseUrl}/api/v1/storage/${path}`, { method, headers: { authorization: `Bearer ${token}` }, ...(content !== undefined ? { body: content } : {}) })
      const text = await response.text()
      let body: unknown = {}
      if ((response.headers.get('content-type') ?? '').startsWith('application/json')) body = JSON.parse(text)
      return { status: response.status, body: body as never, text }
    },
    alive: () => child.exitCode === null && child.signalCode === null,
    stderr: () => stderr,
    stop: () => stopChild(child),
  }
}

function waitForUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let stdout = ''
    let stderr = ''
    const timer = setTimeout(() => fail(new Error(`backplane serve did not start within ${STARTUP_TIMEOUT_MS / 1000} s`)), STARTUP_TIMEOUT_MS)
    const fail = (error: Error) => {
      clearTimeout(timer)
      void stopChild(child)
      reject(new Error(`${error.message}\nstdout: ${stdout}\nstderr: ${stderr.slice(-2000)}`))
    }
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString()
    })
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
      const match = /serving on (http:\/\/\S+)/.exec(stdout)
      if (match?.[1]) {
        clearTimeout(timer)
        resolve(match[1])
      }
    })
    child.once('exit', (code, signal) => fail(new Error(`backplane serve exited early (${signal ?? `code ${code}`})`)))
  })
}

/** SIGTERM to the child's own PID (never by name), SIGKILL if it has not exited after the grace period. */
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
