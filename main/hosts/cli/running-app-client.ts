import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { BackplaneError, ErrorCode } from '../../core/errors'
import { findRunningInstance, INSTANCE_FILE, type RunningInstance } from '../running-instance'
import { readKeptToken } from '../serve-token-file'

export type RemoteAnswer = { ok: true; result: unknown } | { ok: false; error: ReturnType<BackplaneError['toPayload']> }

/** A `check` of every alias may take a while (each has its own deadline); a hung app must not stall CI forever. */
const CALL_TIMEOUT_MS = 120_000
/** Whether something answers at all, before any token is sent. */
const PROBE_TIMEOUT_MS = 2_000

/**
 * A client of the app serving this data directory, for `call` and `check`: undefined when none runs,
 * so the command runs in its own process instead. Its token is the one the server keeps in the data
 * directory (readable by its owner only), or BACKPLANE_TOKEN when the server was given that.
 *
 * The record may be stale (a crash, kill -9, a reboot that reused the PID): before the token is sent,
 * `/session` must answer as a Backplane does. A record nothing answers for is removed.
 */
export async function runningAppClient(dataDir: string, env: NodeJS.ProcessEnv = process.env): Promise<((method: string, input: unknown) => Promise<RemoteAnswer>) | undefined> {
  const instance = await findRunningInstance(dataDir)
  if (!instance) return undefined
  if (!(await answersAsBackplane(instance))) {
    await rm(join(dataDir, INSTANCE_FILE), { force: true })
    return undefined
  }
  const token = env.BACKPLANE_TOKEN || (await readKeptToken(dataDir))
  if (!token) return undefined
  return async (method, input) => {
    let status: number
    let text: string
    try {
      const response = await fetch(new URL(`rpc/${encodeURIComponent(method)}`, instance.url), {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(input ?? {}),
        signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
      })
      status = response.status
      text = await response.text()
    } catch (err) {
      throw new BackplaneError(ErrorCode.E_CONNECTION, `The Backplane app at ${instance.url} (process ${instance.pid}) did not answer: ${(err as Error).message}.`, {
        hint: 'Run the command with --local to run it in its own process instead.',
      })
    }
    if (status === 401) {
      const refused = new BackplaneError(ErrorCode.E_UNAUTHORIZED, `The Backplane app at ${instance.url} (process ${instance.pid}) refused this command's token.`, {
        hint: 'It was probably started with its own BACKPLANE_TOKEN: set the same one here, or run the command with --local.',
      })
      return { ok: false, error: refused.toPayload() }
    }
    let body: unknown
    try {
      body = JSON.parse(text)
    } catch {
      const garbled = new BackplaneError(ErrorCode.E_CONNECTION, `The app at ${instance.url} answered ${status} with something other than JSON.`, { hint: 'Run the command with --local.' })
      return { ok: false, error: garbled.toPayload() }
    }
    if (status >= 400) return { ok: false, error: (body as { error: ReturnType<BackplaneError['toPayload']> }).error }
    return { ok: true, result: body }
  }
}

async function answersAsBackplane(instance: RunningInstance): Promise<boolean> {
  try {
    const response = await fetch(new URL('session', instance.url), { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) })
    const body = (await response.json()) as { signedIn?: unknown }
    return response.ok && typeof body.signedIn === 'boolean'
  } catch {
    return false
  }
}
