import { toBackplaneError } from '../../core/errors'
import type { ErrorPayload } from '../../core/schemas/error'
import type { AuthBackend, AuthRefusal, AuthResult, AuthUser, Credentials, WithPermOptions } from './base'

/** One auth alias of the chain, in settings order (Django's AUTHENTICATION_BACKENDS). */
export interface ChainLink {
  alias: string
  /** The alias's engine id, for the login tester. */
  engine: string
  backend: AuthBackend
}

/** One backend's answer: the shape of ChainAttemptView in the API contract. */
export interface ChainAttempt {
  alias: string
  engine: string
  outcome: 'success' | AuthRefusal
  message?: string
  ms: number
  error?: ErrorPayload
}

export interface ChainResult {
  user: AuthUser | null
  /** The alias that accepted. */
  alias: string | null
  attempts: ChainAttempt[]
  upgraded: boolean
  /**
   * The usernames backends resolved the credentials to while refusing them (a directory's own uid for
   * what was typed), when they said: the throttle counts a failure against these too.
   */
  resolved: string[]
}

/** A refusal that names the user it resolved the credentials to; a custom engine's odd value is ignored. */
function resolvedName(result: AuthResult): string | undefined {
  if (result.ok) return undefined
  const named: unknown = result.username
  return typeof named === 'string' && named !== '' ? named : undefined
}

/**
 * Django's authenticate(): ask each backend in settings order; the first that returns a user wins, a
 * `skipped` one (Django: the signature does not take these credentials) lets the next one answer, a
 * PermissionDenied (`denied`) stops the chain with no user. A backend that throws stops it too: Django
 * lets the exception propagate, so the Django app's login would fail with it. (A backend that answers a
 * refusal with reason `error`, as htpasswd-auth does for an entry it cannot read, only declined: the next
 * one is asked.) Unlike Django, every
 * answer is kept, timed, so the login tester can say which backend said what.
 */
export async function authenticateChain(links: readonly ChainLink[], credentials: Credentials): Promise<ChainResult> {
  const attempts: ChainAttempt[] = []
  const resolved = new Set<string>()
  for (const { alias, engine, backend } of links) {
    const started = performance.now()
    const ms = () => performance.now() - started
    try {
      const result = await backend.authenticate(credentials)
      if (result.ok) {
        attempts.push({ alias, engine, outcome: 'success', ms: ms() })
        return { user: result.user, alias, attempts, upgraded: result.upgraded === true, resolved: [...resolved] }
      }
      const named = resolvedName(result)
      if (named !== undefined) resolved.add(named)
      attempts.push({ alias, engine, outcome: result.reason, message: result.message, ms: ms() })
      if (result.reason === 'denied') break
    } catch (err) {
      const error = toBackplaneError(err).toPayload()
      attempts.push({
        alias,
        engine,
        outcome: 'error',
        message: `The backend failed (${error.code}: ${error.message}); Django would raise this, so the login fails and no later backend is asked.`,
        ms: ms(),
        error,
      })
      break
    }
  }
  return { user: null, alias: null, attempts, upgraded: false, resolved: [...resolved] }
}

/** A user's permissions over the chain: Django's User.get_user_permissions(), get_group_permissions(), get_all_permissions(). */
export interface ChainPermissions {
  userPermissions: string[]
  groupPermissions: string[]
  allPermissions: string[]
}

/** The union of every backend's answer; a backend without the method grants none, as in Django's _user_get_permissions(). */
async function unionOver(links: readonly ChainLink[], ask: (backend: AuthBackend) => Promise<string[]> | undefined): Promise<string[]> {
  const answers = await Promise.all(links.map(({ backend }) => ask(backend) ?? []))
  return [...new Set(answers.flat())].sort()
}

/** Django's user.get_all_permissions() alone: what a login answers, without asking for the two halves again. */
export function chainAllPermissions(links: readonly ChainLink[], user: AuthUser): Promise<string[]> {
  return unionOver(links, (b) => b.getAllPermissions?.(user))
}

export async function chainPermissions(links: readonly ChainLink[], user: AuthUser): Promise<ChainPermissions> {
  const [userPermissions, groupPermissions, allPermissions] = await Promise.all([
    unionOver(links, (b) => b.getUserPermissions?.(user)),
    unionOver(links, (b) => b.getGroupPermissions?.(user)),
    chainAllPermissions(links, user),
  ])
  return { userPermissions, groupPermissions, allPermissions }
}

/** Django's User.has_perm(): an active superuser has every permission; otherwise any backend may grant it. */
export async function chainHasPerm(links: readonly ChainLink[], user: AuthUser, perm: string): Promise<boolean> {
  if (user.isActive && user.isSuperuser) return true
  for (const { backend } of links) if (await backend.hasPerm?.(user, perm)) return true
  return false
}

/** Django's User.has_module_perms(): as has_perm, for any permission of the app. */
export async function chainHasModulePerms(links: readonly ChainLink[], user: AuthUser, appLabel: string): Promise<boolean> {
  if (user.isActive && user.isSuperuser) return true
  for (const { backend } of links) if (await backend.hasModulePerms?.(user, appLabel)) return true
  return false
}

/**
 * The users that have a permission, over every backend that can say (Django's with_perm() is asked of one
 * backend; here the union, so the answer matches has_perm over the chain). One username is one person in
 * Django's single user model, so a user two backends name is listed once, as the first one knows them.
 */
export async function chainWithPerm(links: readonly ChainLink[], perm: string, options: WithPermOptions, limit: number): Promise<AuthUser[]> {
  const found = new Map<string, AuthUser>()
  for (const { backend } of links) {
    for (const user of (await backend.withPerm?.(perm, options)) ?? []) {
      if (!found.has(user.username)) found.set(user.username, user)
      if (found.size >= limit) return [...found.values()]
    }
  }
  return [...found.values()]
}
