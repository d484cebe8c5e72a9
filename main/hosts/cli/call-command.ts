import { App } from '../../api/app'
import { BackplaneError, toBackplaneError, ErrorCode } from '../../core/errors'

/** `backplane call <method> [json]`: one API method, in-process, against BACKPLANE_HOME. */
export async function callCommand(method: string, json: string | undefined): Promise<number> {
  let input: unknown
  try {
    input = json === undefined || json === '' ? undefined : JSON.parse(json)
  } catch (err) {
    return fail(new BackplaneError(ErrorCode.E_INVALID_JSON, `The input is not valid JSON: ${(err as Error).message}`, { hint: `Quote it for the shell: backplane call ${method} '{"alias":"default"}'` }))
  }
  const app = await App.open({ host: 'cli' })
  try {
    const result = await app.router.dispatch(method, input, { app, via: 'cli' })
    process.stdout.write(JSON.stringify(result, null, 2) + '\n')
    return 0
  } catch (err) {
    return fail(err)
  } finally {
    await app.close()
  }
}

function fail(err: unknown): number {
  process.stdout.write(JSON.stringify({ error: toBackplaneError(err).toPayload() }, null, 2) + '\n')
  return 1
}
