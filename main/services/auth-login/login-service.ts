import { join } from 'node:path'
import { authenticateChain, chainPermissions, type ChainAttempt, type ChainLink, type ChainResult } from '../../backends/auth/chain'
import type { AuthUser } from '../../backends/auth/base'
import { BackplaneError, ErrorCode, toBackplaneError } from '../../core/errors'
import type { Logger } from '../../core/log'
import { AUDIT_FILE, AuditStore, type AuditOutcome } from './audit-store'
import { LoginThrottle, throttleKeys, type ThrottlePolicy } from './login-throttle'

export interface LoginAttempt {
  username: string
  password: string
  /** A client address, "desktop", "cli", or what the login tester named. */
  source: string
}

export interface LoginAnswer {
  user: AuthUser | null
  alias: string | null
  attempts: ChainAttempt[]
  permissions: string[]
  upgraded: boolean
}

export interface LoginServiceOptions {
  policy?: ThrottlePolicy
  /** The throttle's clock, for tests. */
  now?: () => number
  /** Audit entries kept. */
  retention?: number
}

/** Refusals that judged the password (or the person): they count towards a lockout. A backend that failed or took nothing did not. */
const FAILURES = new Set<AuditOutcome>(['unknown-user', 'bad-password', 'inactive', 'unusable-password', 'denied'])
/** When every backend refused, the audit log names the refusal that says most. */
const SPECIFICITY: AuditOutcome[] = ['denied', 'bad-password', 'inactive', 'unusable-password', 'unknown-user', 'error', 'skipped']

/**
 * A login as auth.authenticate makes it: the throttle first (a locked username or source is refused
 * without asking any backend, so no password is checked while locked), then the chain, then the audit
 * log and the throttle's count. Attempts for one username run one after another, so a burst of guesses
 * in parallel cannot all slip in before the first failure is counted.
 */
export class LoginService {
  readonly throttle: LoginThrottle
  readonly audit: AuditStore
  private readonly perUser = new Map<string, Promise<unknown>>()

  constructor(
    dataDir: string,
    private readonly log: Logger,
    options: LoginServiceOptions = {},
  ) {
    this.throttle = new LoginThrottle(options.policy, options.now)
    this.audit = new AuditStore(join(dataDir, AUDIT_FILE), options.retention)
  }

  login(attempt: LoginAttempt, links: () => Promise<ChainLink[]>): Promise<LoginAnswer> {
    const previous = this.perUser.get(attempt.username) ?? Promise.resolve()
    const running = previous.then(() => this.loginNow(attempt, links))
    const settled = running.catch(() => undefined)
    this.perUser.set(attempt.username, settled)
    void settled.then(() => {
      if (this.perUser.get(attempt.username) === settled) this.perUser.delete(attempt.username)
    })
    return running
  }

  close(): Promise<void> {
    return this.audit.close()
  }

  private async loginNow({ username, password, source }: LoginAttempt, links: () => Promise<ChainLink[]>): Promise<LoginAnswer> {
    const keys = throttleKeys(username, source)
    const started = performance.now()
    const locked = this.throttle.lockedKey([keys.user, keys.source])
    if (locked) {
      const seconds = Math.ceil(locked.retryAfterMs / 1000)
      await this.record({ username, source, alias: null, outcome: 'throttled', reason: `${locked.key} is locked for ${seconds} s more after repeated failures; no backend was asked.`, ms: performance.now() - started })
      throw new BackplaneError(ErrorCode.E_THROTTLED, `Too many failed logins for ${locked.key}: try again in ${seconds} s.`, {
        hint: `Wait ${seconds} s, or lift the lock in Auth → Protection (auth.clearThrottle with key "${locked.key}").`,
        details: { retryAfterMs: locked.retryAfterMs, key: locked.key },
      })
    }
    const chain = await links()
    const result = await authenticateChain(chain, { username, password })
    const ms = performance.now() - started
    const verdict = verdictOf(result)
    await this.record({ username, source, ms, ...verdict })
    if (result.user) this.throttle.recordSuccess(keys.user)
    else if (FAILURES.has(verdict.outcome)) this.throttle.recordFailure([keys.user, keys.source])
    return { user: result.user, alias: result.alias, attempts: result.attempts, permissions: result.user ? await this.permissionsOf(chain, result.user) : [], upgraded: result.upgraded }
  }

  /** The permission set beside a login; a backend that cannot answer leaves the login's answer standing, with a warning in the log. */
  private async permissionsOf(links: ChainLink[], user: AuthUser): Promise<string[]> {
    try {
      return (await chainPermissions(links, user)).allPermissions
    } catch (err) {
      const error = toBackplaneError(err)
      this.log.warn(`auth.authenticate: the permissions of "${user.username}" could not be read (${error.code}: ${error.message}); answering none.`)
      return []
    }
  }

  /** An audit log that cannot be written must not turn a login into a failure; it is Backplane's fault, so logged as an error. */
  private async record(entry: Parameters<AuditStore['record']>[0]): Promise<void> {
    try {
      await this.audit.record(entry)
    } catch (err) {
      this.log.error(`The audit log could not record a login attempt: ${toBackplaneError(err).message}`)
    }
  }
}

/** What the audit log keeps of a chain's answer: the deciding attempt's outcome, alias and message. */
function verdictOf(result: ChainResult): { outcome: AuditOutcome; alias: string | null; reason: string } {
  if (result.user) return { outcome: 'success', alias: result.alias, reason: `Signed in as "${result.user.username}"${result.upgraded ? '; the stored hash was upgraded' : ''}.` }
  if (result.attempts.length === 0) return { outcome: 'skipped', alias: null, reason: 'No auth alias is configured.' }
  // A denial or a backend that threw ended the chain: it decided. Otherwise every backend declined.
  const last = result.attempts.at(-1)!
  const deciding = last.outcome === 'denied' || last.error ? last : [...result.attempts].sort((a, b) => SPECIFICITY.indexOf(a.outcome) - SPECIFICITY.indexOf(b.outcome))[0]!
  const outcome = deciding.outcome as AuditOutcome
  const alias = outcome === 'skipped' ? null : deciding.alias
  return { outcome, alias, reason: deciding.message ?? outcome }
}
