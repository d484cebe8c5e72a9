import { BackplaneError, toBackplaneError, ErrorCode } from '../core/errors'
import type { Logger } from '../core/log'
import { methods, type MethodName, type MethodOutput, type ParsedInput } from './contract'
import type { AppServices } from './app-services'

export interface CallContext {
  app: AppServices
  /** Which door the call came through, for logs. */
  via: 'ipc' | 'http' | 'ws' | 'cli'
}

export type Handler<M extends MethodName> = (input: ParsedInput<M>, ctx: CallContext) => Promise<MethodOutput<M>> | MethodOutput<M>
export type Handlers = { [M in MethodName]: Handler<M> }
export type HandlerGroup<M extends MethodName> = { [K in M]: Handler<K> }

export interface Router {
  dispatch(method: string, input: unknown, ctx: CallContext): Promise<unknown>
  has(method: string): method is MethodName
}

/**
 * The only entry into the API: validate the input against the contract, call the handler, validate
 * what it returns, and turn every failure into a typed BackplaneError (never a stack trace).
 */
export function createRouter(handlers: Handlers, log: Logger): Router {
  const has = (method: string): method is MethodName => Object.hasOwn(methods, method)
  return {
    has,
    async dispatch(method, input, ctx) {
      if (!has(method)) {
        throw new BackplaneError(ErrorCode.E_UNKNOWN_METHOD, `There is no method "${method}".`, { hint: suggest(method) })
      }
      const spec = methods[method]
      const parsed = spec.input.safeParse(input ?? undefined)
      if (!parsed.success) {
        const issues = parsed.error.issues.map((i) => ({ path: i.path.map(String), message: i.message }))
        throw new BackplaneError(ErrorCode.E_INVALID_INPUT, `Invalid input for ${method}: ${issues.map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`).join('; ')}`, {
          hint: 'Fix the fields named in details.issues.',
          details: { issues },
        })
      }
      let result: unknown
      try {
        result = await (handlers[method] as (input: unknown, ctx: CallContext) => unknown)(parsed.data, ctx)
      } catch (err) {
        const error = toBackplaneError(err)
        if (error.status >= 500) log.error(`${method} failed: ${(err as Error)?.stack ?? String(err)}`)
        throw error
      }
      const checked = spec.output.safeParse(result)
      if (!checked.success) {
        log.error(`${method} returned output that breaks its contract: ${checked.error.message}`)
        throw new BackplaneError(ErrorCode.E_BAD_OUTPUT, `${method} produced an answer that does not match its contract.`, {
          hint: 'This is a bug in Backplane; the log has the details.',
          status: 500,
        })
      }
      return checked.data
    },
  }
}

function suggest(method: string): string {
  const [area] = method.split('.')
  const near = Object.keys(methods).filter((m) => m.startsWith(`${area}.`))
  return near.length ? `Methods in "${area}": ${near.join(', ')}.` : `Areas: ${[...new Set(Object.keys(methods).map((m) => m.split('.')[0]))].join(', ')}.`
}
