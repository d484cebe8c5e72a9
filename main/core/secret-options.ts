import { BackplaneError, ErrorCode } from './errors'
import { rememberSecret } from './redact'
import { isSecretRef, isSecretUrlRef } from './schemas/kinds'
import type { SecretStore } from './secrets/secret-store'
import { joinPath } from './secret-paths'
import { splitUrlPassword, withUrlPassword } from './url-credentials'

export { optionsJsonSchema } from './options-schema'
export { secretPaths } from './secret-paths'

const MAX_DEPTH = 32

/**
 * The options with every reference into the secret store replaced by its value, at any depth
 * (`{ "$secret": id }`, and `{ "$url", "$secret" }` for a URL whose password is stored), for building a
 * backend. Every value read, and every password still typed inside a URL, is registered with redaction
 * so no log line, error or report can carry it out.
 */
export async function resolveSecrets(options: Record<string, unknown>, secrets: SecretStore, where: string): Promise<Record<string, unknown>> {
  const read = async (id: string, path: (string | number)[]): Promise<string> => {
    const value = await secrets.get(id)
    if (value === undefined) {
      const field = joinPath(path)
      throw new BackplaneError(ErrorCode.E_SECRET_MISSING, `The secret for "${field}" of ${where} is not in the secret store (${secrets.description}).`, {
        hint: 'Open the alias in Settings and enter it again.',
        details: { field, secret: id },
      })
    }
    rememberSecret(value)
    return value
  }
  const walk = async (value: unknown, path: (string | number)[]): Promise<unknown> => {
    if (path.length > MAX_DEPTH) return value
    if (isSecretRef(value)) return read(value.$secret, path)
    if (isSecretUrlRef(value)) return withUrlPassword(value.$url, await read(value.$secret, path))
    if (typeof value === 'string') {
      const typed = splitUrlPassword(value)
      if (typed) rememberSecret(typed.password)
      return value
    }
    if (Array.isArray(value)) return Promise.all(value.map((item, i) => walk(item, [...path, i])))
    if (typeof value === 'object' && value !== null) {
      const out: Record<string, unknown> = {}
      for (const [key, item] of Object.entries(value)) defineOwn(out, key, await walk(item, [...path, key]))
      return out
    }
    return value
  }
  return (await walk(options, [])) as Record<string, unknown>
}

/** A copy of a plain object with each value mapped; keys are set as data (defineOwn), "__proto__" included. */
export function mapOwnValues(source: object, map: (item: unknown, key: string) => unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [key, item] of Object.entries(source)) defineOwn(out, key, map(item, key))
  return out
}

/** Sets a property as data, so a key such as "__proto__" is an ordinary key and never a prototype. */
export function defineOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true })
}
