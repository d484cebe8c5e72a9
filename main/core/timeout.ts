import { BackplaneError, ErrorCode } from './errors'

/**
 * The promise, or an E_TIMEOUT once `ms` have passed: for work that a server or a custom engine may
 * never finish. The work itself is not stopped (a promise cannot be), only no longer waited for.
 */
export function withTimeout<T>(
  promise: Promise<T>,
  ms: number,
  what: string,
  hint = 'The server or engine may be overloaded, or a firewall may drop packets.',
  /** Disposes of what the work produces after all, once nobody waits for it (a backend to close). */
  onLate?: (value: T) => void,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  let timedOut = false
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      timedOut = true
      reject(new BackplaneError(ErrorCode.E_TIMEOUT, `${what} took longer than ${formatSeconds(ms)}.`, { hint }))
    }, ms)
  })
  // A late rejection of the abandoned work must not surface as an unhandled rejection.
  promise.then(
    (value) => {
      if (timedOut) onLate?.(value)
    },
    () => undefined,
  )
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

function formatSeconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 100) / 10} s`
}
