import type { Backend } from '../../core/engine'
import { BackplaneError, ErrorCode } from '../../core/errors'
import type { Kind } from '../../core/schemas/kinds'
import type { AppServices } from '../app-services'

/** The live backend of an alias, checked to be of the interface the caller needs. */
export async function backendOf<B extends Backend>(app: AppServices, kind: Kind, alias: string, is: (b: Backend) => b is B): Promise<B> {
  const backend = await app.pool.get(kind, alias)
  if (!is(backend)) {
    throw new BackplaneError(ErrorCode.E_ENGINE_INTERFACE, `The engine of ${kind} alias "${alias}" does not implement what this needs.`, {
      hint: 'Check the engine named in Settings.',
    })
  }
  return backend
}

/** A capability some engines have and others lack (listing users, say), with a clear error when absent. */
export function capability<T>(value: T | undefined, what: string, alias: string): T {
  if (value === undefined) {
    throw new BackplaneError(ErrorCode.E_UNSUPPORTED, `The engine of alias "${alias}" cannot ${what}.`, { hint: 'Use an alias whose engine supports it.' })
  }
  return value
}
