import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { spawnServe } from '../../test/support/serve-process'

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
  const serve = await spawnServe({ entry: join('out', 'main', 'cli.js'), env, args: ['--port', String(port), '--smtp-port', '0', ...args], startupTimeoutMs: STARTUP_TIMEOUT_MS })
  const url = serve.url
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
    alive: serve.alive,
    stderr: serve.stderr,
    stop: serve.stop,
  }
}
