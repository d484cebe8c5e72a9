import type { EngineRegistry } from '../core/engine-registry'
import { BackplaneError, toBackplaneError } from '../core/errors'
import { resolveSecrets } from '../core/secret-options'
import { splitPath } from '../core/secret-paths'
import type { SecretStore } from '../core/secrets/secret-store'
import type { AliasValidator } from '../core/settings/settings-store'

/**
 * Checks each alias on load: its engine must resolve (a custom module must load and implement the
 * kind), and its options must parse. Problems come back as paths inside the alias, which the
 * settings store turns into JSON pointers.
 */
export function createAliasValidator(registry: EngineRegistry, secrets: SecretStore, dataDir: string): AliasValidator {
  return async ({ kind, name, entry }) => {
    let engine
    try {
      engine = await registry.resolve(kind, entry.engine, dataDir)
    } catch (err) {
      const e = toBackplaneError(err)
      return [{ path: ['engine'], message: e.hint ? `${e.message} ${e.hint}` : e.message }]
    }
    let resolved
    try {
      resolved = await resolveSecrets(entry.options ?? {}, secrets, `${kind} alias "${name}"`)
    } catch (err) {
      const e = toBackplaneError(err)
      const field = e instanceof BackplaneError && e.details && typeof e.details === 'object' ? (e.details as { field?: string }).field : undefined
      return [{ path: field ? ['options', ...splitPath(field)] : ['options'], message: e.message }]
    }
    const parsed = engine.options.safeParse(resolved)
    if (parsed.success) return []
    return parsed.error.issues.map((issue) => ({ path: ['options', ...issue.path.map(String)], message: issue.message }))
  }
}
