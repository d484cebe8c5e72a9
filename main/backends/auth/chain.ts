import { toBackplaneError } from '../../core/errors'
import type { ErrorPayload } from '../../core/schemas/error'
import type { AuthBackend, AuthRefusal, AuthUser, Credentials } from './base'

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
