import { runInCallScope, type CallScope } from '../core/call-scope'
import { BackplaneError, ErrorCode, toBackplaneError } from '../core/errors'
import type { Logger } from '../core/log'
import { redactDeep } from '../core/redact'
import { methods, type MethodName, type MethodOutput, type ParsedInput } from './contract'
import type { AppServices } from './app-services'
import { assertInputDepth } from './input-shape'

export interface CallContext {
  app: AppServices
  /** Which door the call came through, for logs. */
  via: 'ipc' | 'http' | 'ws' | 'cli'
  /** The peer's address, set by the HTTP and WebSocket hosts; the auth handlers name the other doors ("desktop", "cli") from `via`. */
  source?: string
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
 * what it returns, and turn every failure into a typed BackplaneError (never a stack trace). A failure
 * that comes from a custom engine (an untyped throw, an answer of the wrong shape) is reported as the
 * engine's (502), not as a bug of Backplane (500).
 */
export function createRouter(handlers: Handlers, log: Logger): Router {
  const has = (method: string): method is MethodName => Object.hasOwn(methods, method)
  return {
    has,
    async dispatch(method, input, ctx) {
      if (!has(method)) {
        // A name is echoed cut short: a client must not get megabytes back for a long one.
        const shown = method.length > 100 ? `${method.slice(0, 100)}…` : method
        throw new BackplaneError(ErrorCode.E_UNKNOWN_METHOD, `There is no method "${shown}".`, { hint: suggest(shown) })
      }
      const spec = methods[method]
      assertInputDepth(input)
      const parsed = spec.input.safeParse(input ?? undefined)
      if (!parsed.success) {
        const issues = parsed.error.issues.map((i) => ({ path: i.path.map(String), message: i.message }))
        throw new BackplaneError(ErrorCode.E_INVALID_INPUT, `Invalid input for ${method}: ${issues.map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`).join('; ')}`, {
          details: { issues },
        })
      }
      const { scope, result: running } = runInCallScope(() => Promise.resolve().then(() => (handlers[method] as (input: unknown, ctx: CallContext) => unknown)(parsed.data, ctx)))
      let result: unknown
      try {
        result = await running
      } catch (err) {
        const error = blameEngine(toBackplaneError(err), scope)
        // Only Backplane's own faults get a stack in the log; a backend that failed is one line, a client mistake none.
        if (error.status === 500) log.error(`${method} failed: ${(err as Error)?.stack ?? String(err)}`)
        else if (error.status >= 502) log.warn(`${method}: ${error.code}: ${error.message}`)
        throw error
      }
      const checked = spec.output.safeParse(result)
      if (!checked.success) {
        const issues = checked.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(answer)'}: ${i.message}`).join('; ')
        if (scope.customEngines.size > 0) {
          throw new BackplaneError(ErrorCode.E_ENGINE_OUTPUT, `The engine of the ${[...scope.customEngines].join(', ')} answered ${method} with something of the wrong shape: ${issues}`)
        }
        log.error(`${method} returned output that breaks its contract: ${checked.error.message}`)
        throw new BackplaneError(ErrorCode.E_BAD_OUTPUT, `${method} produced an answer that does not match its contract.`)
      }
      if (scope.customEngines.size > 0) assertSendable(checked.data, method, scope)
      return spec.redact ? redactDeep(checked.data) : checked.data
    },
  }
}

/**
 * An answer a custom engine took part in must be JSON the hosts can send: a BigInt, a cycle, a toJSON or a
 * getter that throws, a 300 MB string would otherwise fail later, inside the host, as a 500.
 */
function assertSendable(data: unknown, method: string, scope: CallScope): void {
  try {
    JSON.stringify(data)
  } catch (err) {
    throw new BackplaneError(ErrorCode.E_ENGINE_OUTPUT, `The engine of the ${[...scope.customEngines].join(', ')} answered ${method} with something that cannot be sent: ${(err as Error).message}`)
  }
}

/** An untyped failure in a call that used a custom engine is the engine's doing, most likely its answer's shape. */
function blameEngine(error: BackplaneError, scope: CallScope): BackplaneError {
  if (error.code !== ErrorCode.E_INTERNAL || scope.customEngines.size === 0) return error
  return new BackplaneError(ErrorCode.E_ENGINE_OUTPUT, `The engine of the ${[...scope.customEngines].join(', ')} answered with something Backplane could not use: ${error.message}`, { cause: error })
}

function suggest(method: string): string {
  const [area] = method.split('.')
  const near = Object.keys(methods).filter((m) => m.startsWith(`${area}.`))
  return near.length ? `Methods in "${area}": ${near.join(', ')}.` : `Areas: ${[...new Set(Object.keys(methods).map((m) => m.split('.')[0]))].join(', ')}.`
}
