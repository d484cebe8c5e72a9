import { z } from 'zod'
import { kindSpec, type Backend, type EngineContext } from '../../core/engine'
import { HealthProbe } from '../../core/health-probe'
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

/**
 * What authenticate() is given: Django passes keyword arguments and skips a backend whose signature
 * does not take them; here a backend answers `skipped` to credentials it does not take (a token
 * backend given a username and password, say).
 */
export interface Credentials {
  username: string
  password: string
  /** Other credentials a custom backend may take (an API token, a REMOTE_USER header). */
  [other: string]: string | undefined
}

/**
 * Why a backend said no, in words a person debugging a login can use. `skipped`: the backend does not
 * take these credentials (Django's signature mismatch); the chain goes on. `denied`: the backend raised
 * PermissionDenied; the chain stops there, as in Django.
 */
export type AuthRefusal = 'skipped' | 'unknown-user' | 'bad-password' | 'inactive' | 'unusable-password' | 'denied' | 'error'

/** `upgraded`: the stored hash was replaced by one of the preferred hasher (Django's check_password setter). */
/** `username` on a refusal: the name the backend resolved the credentials to (a directory's own uid), counted by the throttle too. */
export type AuthResult = { ok: true; user: AuthUser; upgraded?: boolean } | { ok: false; reason: AuthRefusal; message: string; username?: string }

export interface UserQuery {
  search?: string
  isActive?: boolean
  isStaff?: boolean
  isSuperuser?: boolean
  /** Only members of the group with this name. */
  group?: string
  limit?: number
  offset?: number
}

export interface UserPage {
  users: AuthUser[]
  total: number
}

/** The profile and flags of a user, each optional: what creating, changing and mirroring a user share. */
export interface UserFields {
  email?: string
  firstName?: string
  lastName?: string
  isActive?: boolean
  isStaff?: boolean
  isSuperuser?: boolean
  /** Group names. */
  groups?: string[]
}

export interface NewUser extends UserFields {
  username: string
  password?: string
  /** Direct permissions, as "app_label.codename". */
  permissions?: string[]
}

/** A change to a user; a field left out stays as it is. `groups` and `permissions` replace the lists. */
export interface UserPatch extends UserFields {
  username?: string
  permissions?: string[]
}

/** A user with what the editor shows: groups, direct permissions and the stored hash's algorithm. */
export interface AuthUserDetail {
  user: AuthUser
  groups: string[]
  /** Direct permissions (auth_user_user_permissions), "app_label.codename". */
  permissions: string[]
  password: { usable: boolean; algorithm: string | null }
}

export interface AuthGroup {
  id: string
  name: string
  /** "app_label.codename" */
  permissions: string[]
  userCount: number
}

export interface AuthPermission {
  id: string
  /** "app_label.codename", as has_perm() takes it. */
  perm: string
  name: string
  appLabel: string
  model: string
  codename: string
}

/** A user as another directory (LDAP) knows them, to be mirrored into a store of users. `groups`, when given, become exactly the user's groups (missing ones are created), as django-auth-ldap's MIRROR_GROUPS. */
export interface ExternalUser extends UserFields {
  username: string
}

export interface WithPermOptions {
  isActive?: boolean
  includeSuperusers?: boolean
  /** At most this many users (the first by username): a directory of a million users is not read whole. */
  limit?: number
}

/**
 * A Django authentication backend: authenticate(), get_user() and the permission methods of
 * BaseBackend. A backend that owns its users (the model backend) also has the optional admin
 * capabilities: list, create, edit and delete users, groups and permissions, and mirror a user
 * another backend (LDAP) found. The permission methods are optional for a custom engine: one without
 * them grants nothing, as Django's BaseBackend. BaseAuthBackend has them all.
 */
export interface AuthBackend extends Backend {
  authenticate(credentials: Credentials): Promise<AuthResult>
  getUser(id: string): Promise<AuthUser | null>
  /** Django's get_user_permissions(): the user's own, "app_label.codename"; every one for an active superuser. */
  getUserPermissions?(user: AuthUser): Promise<string[]>
  /** Django's get_group_permissions(): those of the user's groups; every one for an active superuser. */
  getGroupPermissions?(user: AuthUser): Promise<string[]>
  getAllPermissions?(user: AuthUser): Promise<string[]>
  hasPerm?(user: AuthUser, perm: string): Promise<boolean>
  hasModulePerms?(user: AuthUser, appLabel: string): Promise<boolean>
  /** Django's ModelBackend.with_perm(): the users that have the permission. */
  withPerm?(perm: string, options?: WithPermOptions): Promise<AuthUser[]>

  /** The user with this username (Django's get_by_natural_key), for the permission queries and the editor. */
  getUserByName?(username: string): Promise<AuthUser | null>
  listUsers?(query: UserQuery): Promise<UserPage>
  getUserDetail?(id: string): Promise<AuthUserDetail | null>
  createUser?(user: NewUser): Promise<AuthUser>
  updateUser?(id: string, patch: UserPatch): Promise<AuthUser>
  deleteUser?(id: string): Promise<void>
  /** Sets a password (hashed with the preferred hasher), or, given null, an unusable one. */
  setPassword?(username: string, password: string | null): Promise<void>
  listGroups?(): Promise<AuthGroup[]>
  /** Creates a group (no id) or renames it and replaces its permissions. */
  saveGroup?(group: { id?: string; name: string; permissions: string[] }): Promise<AuthGroup>
  deleteGroup?(id: string): Promise<void>
  listPermissions?(): Promise<AuthPermission[]>
  /** Creates the user with an unusable password, or updates the fields given; answers the stored user. */
  mirrorUser?(user: ExternalUser): Promise<AuthUser>
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

  /** Django's BaseBackend: no permissions of its own. The model backend reads its tables. */
  async getUserPermissions(_user: AuthUser): Promise<string[]> {
    return []
  }

  async getGroupPermissions(_user: AuthUser): Promise<string[]> {
    return []
  }

  /** Django's get_all_permissions(): none for an inactive user, else the user's and the groups'. */
  async getAllPermissions(user: AuthUser): Promise<string[]> {
    if (!user.isActive) return []
    const [own, groups] = await Promise.all([this.getUserPermissions(user), this.getGroupPermissions(user)])
    return [...new Set([...own, ...groups])].sort()
  }

  /** Django's ModelBackend.has_perm(): an active user holding the permission. */
  async hasPerm(user: AuthUser, perm: string): Promise<boolean> {
    return user.isActive && (await this.getAllPermissions(user)).includes(perm)
  }

  /** Django's has_module_perms(): any permission of the app. */
  async hasModulePerms(user: AuthUser, appLabel: string): Promise<boolean> {
    return user.isActive && (await this.getAllPermissions(user)).some((p) => p.slice(0, p.indexOf('.')) === appLabel)
  }

  /** The refusal for credentials this backend does not take: the chain asks the next one. */
  protected skip(message: string): AuthResult {
    return this.refuse('skipped', message)
  }

  /** Django's PermissionDenied from a backend: the chain stops here. */
  protected deny(message: string): AuthResult {
    return this.refuse('denied', message)
  }

  /** Where the users come from, for the health report ("Django ModelBackend on sqlite", "htpasswd file …"). */
  protected abstract serverVersion(): Promise<string>

  /** Django's ModelBackend.user_can_authenticate(): inactive users are refused unless allowInactive. */
  protected userCanAuthenticate(user: Pick<AuthUser, 'isActive'>): boolean {
    return user.isActive || this.options.allowInactive
  }

  /** A refusal that says which of the reasons it is, for the login tester. */
  protected refuse(reason: AuthRefusal, message: string, username?: string): AuthResult {
    return username === undefined ? { ok: false, reason, message } : { ok: false, reason, message, username }
  }

  /** The verdict on a user whose password matched: signed in, or refused as inactive. */
  protected accept(user: AuthUser, upgraded = false): AuthResult {
    if (!this.userCanAuthenticate(user)) return this.refuse('inactive', `User "${user.username}" is inactive (is_active = false), so the ${this.ctx.engine} backend refuses it.`)
    return { ok: true, user, upgraded }
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

export function isAuthBackend(backend: Backend): backend is AuthBackend {
  return typeof (backend as Partial<AuthBackend>).authenticate === 'function'
}
