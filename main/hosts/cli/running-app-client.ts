import { BackplaneError, ErrorCode } from '../../core/errors'
import { findRunningInstance } from '../running-instance'
import { readKeptToken } from '../serve-token-file'

export type RemoteAnswer = { ok: true; result: unknown } | { ok: false; error: ReturnType<BackplaneError['toPayload']> }

/**
 * A client of the app serving this data directory, for `call` and `check`: undefined when none runs,
 * so the command runs in its own process instead. Its token is the one the server keeps in the data
 * directory (readable by its owner only), or BACKPLANE_TOKEN when the server was given that.
 */
export async function runningAppClient(dataDir: string, env: NodeJS.ProcessEnv = process.env): Promise<((method: string, input: unknown) => Promise<RemoteAnswer>) | undefined> {
  const instance = await findRunningInstance(dataDir)
  if (!instance) return undefined
  const token = env.BACKPLANE_TOKEN || (await readKeptToken(dataDir))
  if (!token) return undefined
  return async (method, input) => {
    let response: Response
    try {
      response = await fetch(new URL(`rpc/${encodeURIComponent(method)}`, instance.url), {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(input ?? {}),
      })
    } catch (err) {
      throw new BackplaneError(ErrorCode.E_CONNECTION, `The Backplane app at ${instance.url} (process ${instance.pid}) did not answer: ${(err as Error).message}.`, {
        hint: 'Run the command with --local to run it in its own process instead.',
      })
    }
    const body = (await response.json()) as unknown
    if (response.status === 401) {
      const refused = new BackplaneError(ErrorCode.E_UNAUTHORIZED, `The Backplane app at ${instance.url} (process ${instance.pid}) refused this command's token.`, {
        hint: 'It was probably started with its own BACKPLANE_TOKEN: set the same one here, or run the command with --local.',
      })
      return { ok: false, error: refused.toPayload() }
    }
    if (!response.ok) return { ok: false, error: (body as { error: ReturnType<BackplaneError['toPayload']> }).error }
    return { ok: true, result: body }
  }
}
