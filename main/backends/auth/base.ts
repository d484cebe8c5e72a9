import { z } from 'zod'
import type { Backend, KindSpec } from '../../core/engine'
import { toBackplaneError } from '../../core/errors'
import type { ErrorPayload } from '../../core/schemas/error'

export const AuthOptions = z.object({})

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

export const authKind: KindSpec = {
  kind: 'auth',
  methods: ['authenticate', 'getUser'],
  baseOptions: AuthOptions.passthrough(),
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
