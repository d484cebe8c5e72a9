import { join } from 'node:path'
import { readKeptToken } from '../../main/hosts/serve-token-file'
import { spawnServe } from '../../test/support/serve-process'
import { getHashed, putFile } from './http-stream'

const STARTUP_TIMEOUT_MS = 60_000

export interface RpcAnswer {
  status: number
  body: { error?: { code: string; message: string; hint?: string; details?: Record<string, unknown> } } & Record<string, unknown>
}

export interface ServeChild {
  pid: number
  baseUrl: string
  /** POST /rpc/<method>, as curl would: the status and the JSON body, errors included. */
  rpc(method: string, input?: unknown): Promise<RpcAnswer>
  /** The same, throwing on an error answer. */
  call<T = Record<string, unknown>>(method: string, input?: unknown): Promise<T>
  /** PUT /api/v1/storage/<alias>/<name> with the file as the streamed body. */
  upload(alias: string, name: string, file: string, size: number, signal?: AbortSignal): Promise<void>
  /** GET /api/v1/storage/<alias>/<name>, hashed as it arrives and kept nowhere. */
  download(alias: string, name: string, signal?: AbortSignal): Promise<{ bytes: number; sha256: string }>
  stop(): Promise<void>
}

/**
 * `backplane serve` as users run it from a checkout (bin/backplane.mjs, the TypeScript sources through
 * tsx, so the routes being built now are what runs), in its own process on free ports, with the data
 * directory given and the file secret store. No BACKPLANE_TOKEN: serve keeps its own token in the data
 * directory, and that file is where the token is read from, as a script beside a user's serve would.
 */
export async function startServe(home: string): Promise<ServeChild> {
  const env: NodeJS.ProcessEnv = { ...process.env, BACKPLANE_HOME: home, BACKPLANE_SECRET_STORE: 'file' }
  delete env.BACKPLANE_TOKEN
  const serve = await spawnServe({ entry: join('bin', 'backplane.mjs'), env, args: ['--port', '0', '--smtp-port', '0'], startupTimeoutMs: STARTUP_TIMEOUT_MS })
  const baseUrl = new URL(serve.url).origin
  const token = await readKeptToken(home)
  if (!token) {
    await serve.stop()
    throw new Error(`backplane serve kept no token in ${home}`)
  }
  const auth = { authorization: `Bearer ${token}` }
  const storagePath = (alias: string, name: string) => `/api/v1/storage/${encodeURIComponent(alias)}/${name.split('/').map(encodeURIComponent).join('/')}`

  const rpc = async (method: string, input: unknown = {}): Promise<RpcAnswer> => {
    const response = await fetch(`${baseUrl}/rpc/${method}`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify(input) })
    return { status: response.status, body: (await response.json()) as RpcAnswer['body'] }
  }
  return {
    pid: serve.child.pid!,
    baseUrl,
    rpc,
    async call<T>(method: string, input: unknown = {}) {
      const answer = await rpc(method, input)
      if (answer.status >= 300 || answer.body.error) throw answerError(`${method}`, answer)
      return answer.body as T
    },
    upload: (alias, name, file, size, signal) => putFile(new URL(storagePath(alias, name), baseUrl), auth, file, size, signal),
    download: (alias, name, signal) => getHashed(new URL(storagePath(alias, name), baseUrl), auth, signal),
    stop: serve.stop,
  }
}

/** An error that keeps the answer's code and details, so a caller can act on E_HOST_KEY_UNKNOWN. */
export function answerError(what: string, answer: RpcAnswer): Error & { code?: string; details?: Record<string, unknown> } {
  const e = answer.body.error
  return Object.assign(new Error(`${what}: ${e ? `${e.code} ${e.message}` : `status ${answer.status}`}`), { code: e?.code, details: e?.details })
}
