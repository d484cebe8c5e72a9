import { z } from 'zod'
import { kindSpec, type Backend, type EngineContext } from '../../core/engine'
import { toBackplaneError } from '../../core/errors'
import { HealthProbe } from '../../core/health-probe'
import type { ErrorPayload } from '../../core/schemas/error'
import type { HealthReport } from '../../core/schemas/health'

export const AuthOptions = z.object({
  allowInactive: z
    .boolean()
    .default(false)
    .describe("Let inactive users (is_active = false) sign in, as Django's AllowAllUsersModelBackend does."),
})
export type AuthOptions = z.output<typeof AuthOptions>

export interface AuthUser {
  id: string
  username: string
  email?: string
  firstName?: string
  lastName?: string
  isActive: boolean
  isStaff: boolean
  isSuperuser: boolean
  lastLogin?: string | null
  dateJoined?: string
  groups?: string[]
}

export interface Credentials {
  username: string
  password: string
}

/** Why a backend said no, in words a person debugging a login can use. */
export type AuthRefusal = 'unknown-user' | 'bad-password' | 'inactive' | 'unusable-password' | 'error'

export type AuthResult = { ok: true; user: AuthUser } | { ok: false; reason: AuthRefusal; message: string }

export interface UserPage {
  users: AuthUser[]
  total: number
}

export interface NewUser {
  username: string
  password?: string
  email?: string
  firstName?: string
  lastName?: string
  isStaff?: boolean
  isSuperuser?: boolean
  isActive?: boolean
}

/**
 * A Django authentication backend: authenticate() and get_user(); backends that own their users
 * (the model backend) also list and create them.
 */
export interface AuthBackend extends Backend {
  authenticate(credentials: Credentials): Promise<AuthResult>
  getUser(id: string): Promise<AuthUser | null>
  listUsers?(options: { search?: string; limit?: number; offset?: number }): Promise<UserPage>
  createUser?(user: NewUser): Promise<AuthUser>
  setPassword?(username: string, password: string): Promise<void>
}

export const authKind = kindSpec<AuthBackend>()({
  kind: 'auth',
  methods: ['authenticate', 'getUser'],
  baseOptions: AuthOptions.passthrough(),
})

declare module '../../core/engine' {
  interface BackendKinds {
    auth: AuthBackend
  }
}

/**
 * What every auth engine shares (Django's BaseBackend and ModelBackend): the refusal for inactive users
 * (user_can_authenticate, with the allow-all variant as an option), the shape of a refusal, and a health
 * check that looks a user up without changing anything. An engine supplies authenticate() and getUser().
 */
export abstract class BaseAuthBackend<O extends AuthOptions = AuthOptions> implements AuthBackend {
  constructor(
    protected readonly options: O,
    protected readonly ctx: EngineContext,
  ) {}

  abstract authenticate(credentials: Credentials): Promise<AuthResult>
  abstract getUser(id: string): Promise<AuthUser | null>
  listUsers?(options: { search?: string; limit?: number; offset?: number }): Promise<UserPage>
  createUser?(user: NewUser): Promise<AuthUser>
  setPassword?(username: string, password: string): Promise<void>

  /** Where the users come from, for the health report ("Django ModelBackend on sqlite", "htpasswd file …"). */
  protected abstract serverVersion(): Promise<string>

  /** Django's ModelBackend.user_can_authenticate(): inactive users are refused unless allowInactive. */
  protected userCanAuthenticate(user: Pick<AuthUser, 'isActive'>): boolean {
    return user.isActive || this.options.allowInactive
  }

  /** A refusal that says which of the reasons it is, for the login tester. */
  protected refuse(reason: AuthRefusal, message: string): AuthResult {
    return { ok: false, reason, message }
  }

  /** The verdict on a user whose password matched: signed in, or refused as inactive. */
  protected accept(user: AuthUser): AuthResult {
    if (!this.userCanAuthenticate(user)) return this.refuse('inactive', `User "${user.username}" is inactive (is_active = false), so the ${this.ctx.engine} backend refuses it.`)
    return { ok: true, user }
  }

  async check(): Promise<HealthReport> {
    const probe = new HealthProbe('auth', this.ctx.alias, this.ctx.engine)
    probe.version = await probe.step('open', () => this.serverVersion(), (v) => v)
    await this.checkSteps(probe)
    return probe.report()
  }

  /** Steps of the engine's own; the default looks up a user that is not there. */
  protected async checkSteps(probe: HealthProbe): Promise<void> {
    await probe.step('lookup', () => this.getUser('__backplane_health__'), () => undefined)
  }

  async close(): Promise<void> {}
}

export interface ChainAttempt {
  alias: string
  ok: boolean
  reason?: AuthRefusal
  message?: string
  error?: ErrorPayload
}

export interface ChainResult {
  user: AuthUser | null
  alias: string | null
  attempts: ChainAttempt[]
}

/**
 * Django's authenticate(): ask each backend in settings order; the first that returns a user wins.
 * Unlike Django, every refusal is kept, so the GUI can say which backend said what.
 */
export async function authenticateChain(
  backends: readonly { alias: string; backend: AuthBackend }[],
  credentials: Credentials,
): Promise<ChainResult> {
  const attempts: ChainAttempt[] = []
  for (const { alias, backend } of backends) {
    try {
      const result = await backend.authenticate(credentials)
      if (result.ok) {
        attempts.push({ alias, ok: true })
        return { user: result.user, alias, attempts }
      }
      attempts.push({ alias, ok: false, reason: result.reason, message: result.message })
    } catch (err) {
      attempts.push({ alias, ok: false, reason: 'error', message: 'The backend failed.', error: toBackplaneError(err).toPayload() })
    }
  }
  return { user: null, alias: null, attempts }
}

export function isAuthBackend(backend: Backend): backend is AuthBackend {
  return typeof (backend as Partial<AuthBackend>).authenticate === 'function'
}
