import { AsyncLocalStorage } from 'node:async_hooks'

/** What one API call touched, for telling a custom engine's fault from Backplane's own. */
export interface CallScope {
  /** `kind alias "name"` of each custom engine the call used. */
  customEngines: Set<string>
}

const storage = new AsyncLocalStorage<CallScope>()

export function runInCallScope<T>(run: () => T): { scope: CallScope; result: T } {
  const scope: CallScope = { customEngines: new Set() }
  return { scope, result: storage.run(scope, run) }
}

/** Notes, in the call being served (if any), that a custom engine took part. */
export function noteCustomEngine(label: string): void {
  storage.getStore()?.customEngines.add(label)
}
