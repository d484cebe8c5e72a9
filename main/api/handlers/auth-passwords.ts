import { inspectHash } from '../../backends/auth/hashers'
import { validatePassword } from '../../backends/auth/validators'
import { BackplaneError, ErrorCode } from '../../core/errors'
import type { AppServices } from '../app-services'
import type { HandlerGroup } from '../router'

/**
 * The `hashers` option of an auth alias (the model backend's PASSWORD_HASHERS), read through its engine's
 * options schema so that Django class paths are named as the engine names them; undefined (Django's
 * default list) for an alias whose engine has no such option.
 */
function aliasHashers(app: AppServices, alias: string): readonly string[] | undefined {
  const loaded = app.settings.alias('auth', alias)
  if (!loaded) throw new BackplaneError(ErrorCode.E_ALIAS_NOT_FOUND, `No auth alias "${alias}" is configured.`, { hint: "Leave the alias out to read the hash with Django's default hashers." })
  const engine = app.registry.list('auth').find((e) => e.id === loaded.entry.engine)
  const parsed = engine?.options.safeParse(loaded.entry.options ?? {})
  const hashers = parsed?.success ? (parsed.data as { hashers?: unknown }).hashers : undefined
  if (Array.isArray(hashers) && hashers.every((h) => typeof h === 'string')) return hashers
  if (parsed && !parsed.success && loaded.entry.options?.hashers !== undefined) {
    throw new BackplaneError(ErrorCode.E_ALIAS_INVALID, `The options of auth alias "${alias}" are invalid: ${parsed.error.issues[0]?.message ?? 'see Settings'}`)
  }
  return undefined
}

export const authPasswordHandlers: HandlerGroup<'auth.inspectHash' | 'auth.validatePassword'> = {
  'auth.inspectHash': ({ encoded, alias }, { app }) => inspectHash(encoded, alias === undefined ? undefined : aliasHashers(app, alias)),
  'auth.validatePassword': async ({ password, user }) => {
    const problems = await validatePassword(password, user)
    return { ok: problems.length === 0, problems }
  },
}
