import { isAuthBackend, type AuthBackend, type AuthUser } from '../../backends/auth/base'
import { chainHasModulePerms, chainHasPerm, chainPermissions, chainWithPerm, type ChainLink } from '../../backends/auth/chain'
import { BackplaneError, ErrorCode } from '../../core/errors'
import { AUDIT_CSV_HEADER, AUDIT_EXPORT_MAX, auditCsvRows, auditFileName, auditJsonLines } from '../../services/auth-login'
import type { AppServices } from '../app-services'
import type { CallContext, HandlerGroup } from '../router'
import { backendOf, capability } from './backend-of'

/**
 * Every valid auth alias in settings order: Django's AUTHENTICATION_BACKENDS. One whose backend cannot be
 * built stays in its place and fails when asked, as an unimportable backend fails Django's authenticate().
 */
async function chainOf(app: AppServices): Promise<ChainLink[]> {
  const aliases = app.settings.snapshot.aliases.filter((a) => a.kind === 'auth' && a.valid)
  return Promise.all(
    aliases.map(async ({ name, entry }) => ({
      alias: name,
      engine: entry.engine,
      backend: await backendOf(app, 'auth', name, isAuthBackend).catch((err: unknown) => unavailable(err)),
    })),
  )
}

/** A stand-in for a backend that could not be built: every method fails with the reason it could not. */
function unavailable(reason: unknown): AuthBackend {
  const fail = () => Promise.reject(reason)
  return { authenticate: fail, getUser: fail, getAllPermissions: fail, getUserPermissions: fail, getGroupPermissions: fail, hasPerm: fail, hasModulePerms: fail, withPerm: fail, check: fail, close: async () => undefined }
}

/** The user named on the alias (Django's get_by_natural_key), for the permission questions. */
async function userNamed(app: AppServices, alias: string, username: string): Promise<AuthUser> {
  const backend = await backendOf(app, 'auth', alias, isAuthBackend)
  const find = capability(backend.getUserByName?.bind(backend), 'look users up by username', alias)
  const user = await find(username)
  if (!user) throw new BackplaneError(ErrorCode.E_NOT_FOUND, `Alias "${alias}" has no user "${username}".`, { hint: 'Check the spelling: Django usernames are case-sensitive.' })
  return user
}

/**
 * Where an attempt came from, as the door says: the peer's address over HTTP and WebSocket, "desktop",
 * "cli". Never what the input says: a client naming a new source on each guess would never be throttled,
 * and one naming "desktop" would lock the desktop out.
 */
function sourceOf(ctx: CallContext): string {
  return ctx.source ?? (ctx.via === 'ipc' ? 'desktop' : ctx.via)
}

export const authHandlers: HandlerGroup<
  'auth.authenticate' | 'auth.userPermissions' | 'auth.hasPerm' | 'auth.withPerm' | 'auth.audit' | 'auth.auditExport' | 'auth.throttle' | 'auth.clearThrottle'
> = {
  // The input's source is only a label for the audit log ("127.0.0.1 (login tester)"); the throttle counts the caller's.
  'auth.authenticate': ({ username, password, source }, ctx) => ctx.app.authLogin.login({ username, password, source: sourceOf(ctx), label: source }, () => chainOf(ctx.app)),

  'auth.userPermissions': async ({ alias, username }, { app }) => {
    const user = await userNamed(app, alias, username)
    return { user, ...(await chainPermissions(await chainOf(app), user)) }
  },

  'auth.hasPerm': async ({ alias, username, perm }, { app }) => {
    const user = await userNamed(app, alias, username)
    const links = await chainOf(app)
    const [hasPerm, hasModulePerms] = await Promise.all([chainHasPerm(links, user, perm), chainHasModulePerms(links, user, perm.slice(0, perm.indexOf('.')))])
    return { hasPerm, hasModulePerms }
  },

  'auth.withPerm': async ({ alias, perm, isActive, includeSuperusers, limit }, { app }) => {
    await backendOf(app, 'auth', alias, isAuthBackend)
    // The alias asked about answers first, so a user several backends know is shown as it knows them.
    const links = (await chainOf(app)).sort((a, b) => Number(b.alias === alias) - Number(a.alias === alias))
    return { users: await chainWithPerm(links, perm, { isActive, includeSuperusers, limit }, limit) }
  },

  'auth.audit': ({ limit, beforeId, ...filter }, { app }) => app.authLogin.audit.list(filter, { limit, beforeId }),

  'auth.auditExport': async ({ format, ...filter }, { app }) => {
    const csv = format === 'csv'
    const { text, count, truncated } = await app.authLogin.audit.export(filter, AUDIT_EXPORT_MAX, csv ? auditCsvRows : auditJsonLines)
    return {
      filename: auditFileName(format),
      contentType: csv ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8',
      text: csv ? AUDIT_CSV_HEADER + text : text,
      count,
      truncated,
    }
  },

  'auth.throttle': (_input, { app }) => ({ locks: app.authLogin.throttle.locks(), policy: app.authLogin.throttle.policy }),

  'auth.clearThrottle': ({ key }, { app }) => ({ cleared: app.authLogin.throttle.clear(key) }),
}
