import { App } from '../../api/app'
import { resolveDataDir } from '../../core/data-dir'
import { BackplaneError, toBackplaneError, ErrorCode } from '../../core/errors'
import { runningAppClient } from './running-app-client'

/**
 * `backplane call <method> [json]`: one API method. In the app running on this data directory when
 * there is one (its in-process cache and capture server are only there), else — or with `--local` —
 * in this process.
 */
export async function callCommand(method: string, json: string | undefined, { local = false }: { local?: boolean } = {}): Promise<number> {
  let input: unknown
  try {
    input = json === undefined || json === '' ? undefined : JSON.parse(json)
  } catch (err) {
    return fail(new BackplaneError(ErrorCode.E_INVALID_JSON, `The input is not valid JSON: ${(err as Error).message}`, { hint: `Quote it for the shell: backplane call ${method} '{"alias":"default"}'` }))
  }
  const dataDir = resolveDataDir()
  const remote = local ? undefined : await runningAppClient(dataDir)
  if (remote) {
    try {
      const answer = await remote(method, input)
      if (!answer.ok) return print({ error: answer.error }, 1)
      return print(answer.result, 0)
    } catch (err) {
      return fail(err)
    }
  }
  const app = await App.open({ host: 'cli', dataDir })
  try {
    return print(await app.router.dispatch(method, input, { app, via: 'cli' }), 0)
  } catch (err) {
    return fail(err)
  } finally {
    await app.close()
  }
}

function print(value: unknown, code: number): number {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n')
  return code
}

function fail(err: unknown): number {
  return print({ error: toBackplaneError(err).toPayload() }, 1)
}
