import { join } from 'node:path'
import { authenticateChain, chainAllPermissions, type ChainAttempt, type ChainLink, type ChainResult } from '../../backends/auth/chain'
import type { AuthUser } from '../../backends/auth/base'
import { BackplaneError, ErrorCode, toBackplaneError } from '../../core/errors'
import type { Logger } from '../../core/log'
import { AUDIT_FILE, AuditStore, type AuditOutcome } from './audit-store'
import { LoginThrottle, throttleKeys, userKey, type ThrottlePolicy } from './login-throttle'
import { maskPassword } from './password-mask'
import { SourceGate } from './source-gate'
import { ThrottledAudit } from './throttled-audit'

export interface LoginAttempt {
  username: string
  password: string
  /** Where the call came from, as the door says (the peer's address, "desktop", "cli"): the throttle counts it. */
  source: string
  /** What the caller said the attempt is ("login tester"): kept in the audit log beside the source, counted by nothing. */
  label?: string | undefined
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
 * Logins from one source that run at once, at most: one client cannot take every hashing slot (and with
 * them libuv's threads) from the others. Fewer when the source has fewer free failures left.
 */
export const MAX_LOGINS_PER_SOURCE = 4

/** The source as the audit log shows it: the caller's address, then the label it gave, "127.0.0.1 (login tester)". */
export function auditSource(source: string, label: string | undefined): string {
  return label ? `${source} (${label})` : source
}

/**
 * A login as auth.authenticate makes it: the throttle first (a locked username or source is refused
 * without asking any backend, so no password is checked while locked), then the chain, then the audit
 * log and the throttle's count. Attempts for one username (as the throttle spells it: "ADA" is "ada")
 * run one after another, and a source has at most as many in flight as it has failures left before its
 * lock, so neither a burst of guesses for one user nor a spray over many users from one source can slip
 * in before the failures are counted.
 */
export class LoginService {
  readonly throttle: LoginThrottle
  readonly audit: AuditStore
  private readonly perUser = new Map<string, Promise<unknown>>()
  private readonly perSource = new SourceGate()
  private readonly throttled: ThrottledAudit

  constructor(
    dataDir: string,
    private readonly log: Logger,
    options: LoginServiceOptions = {},
  ) {
    const now = options.now ?? Date.now
    this.throttle = new LoginThrottle(options.policy, now)
    this.audit = new AuditStore(join(dataDir, AUDIT_FILE), options.retention)
    this.throttled = new ThrottledAudit(this.audit, (err) => this.auditFailed(err), now)
  }

  login(attempt: LoginAttempt, links: () => Promise<ChainLink[]>): Promise<LoginAnswer> {
    const queue = userKey(attempt.username)
    const previous = this.perUser.get(queue) ?? Promise.resolve()
    const running = previous.then(() => this.loginNow(attempt, links))
    const settled = running.catch(() => undefined)
    this.perUser.set(queue, settled)
    void settled.then(() => {
      if (this.perUser.get(queue) === settled) this.perUser.delete(queue)
    })
    return running
  }

  close(): Promise<void> {
    return this.audit.close()
  }

  private async loginNow(attempt: LoginAttempt, links: () => Promise<ChainLink[]>): Promise<LoginAnswer> {
    const { username, password } = attempt
    const source = auditSource(attempt.source, attempt.label)
    const keys = throttleKeys(username, attempt.source)
    const started = performance.now()
    const refuseIfLocked = () => {
      const locked = this.throttle.lockedKey([keys.user, keys.source])
      return locked ? this.refuseLocked(locked, { username, source, started }) : undefined
    }
    await refuseIfLocked()
    const leave = await this.perSource.enter(keys.source, () => Math.min(MAX_LOGINS_PER_SOURCE, this.throttle.failuresLeft(keys.source)))
    // No turn: the source was locked while this attempt waited.
    if (!leave) return (await refuseIfLocked()) ?? this.loginNow(attempt, links)
    try {
      // The username may have been locked meanwhile too (the same person, typed another way, from elsewhere).
      await refuseIfLocked()
      const chain = await links()
      // The backends' words only: the user object stays as its backend answered it.
      const answered = await authenticateChain(chain, { username, password })
      const result = { ...answered, attempts: maskPassword(answered.attempts, password) }
      const verdict = verdictOf(result)
      // Counted before this attempt gives its turn back, so the next one from the source sees the count.
      if (result.user) this.throttle.recordSuccess([keys.user, userKey(result.user.username)])
      else if (FAILURES.has(verdict.outcome)) this.throttle.recordFailure([keys.user, ...result.resolved.map(userKey), keys.source])
      await this.record({ username, source, ms: performance.now() - started, ...verdict })
      return { user: result.user, alias: result.alias, attempts: result.attempts, permissions: result.user ? await this.permissionsOf(chain, result.user, password) : [], upgraded: result.upgraded }
    } finally {
      leave()
    }
  }

  /** Refuses an attempt for a locked key: E_THROTTLED, and the lock's one audit row counts it. */
  private async refuseLocked(locked: { key: string; retryAfterMs: number; lockedUntil: number }, { username, source, started }: { username: string; source: string; started: number }): Promise<never> {
    const seconds = Math.ceil(locked.retryAfterMs / 1000)
    const until = new Date(locked.lockedUntil).toISOString()
    await this.throttled.refused(locked, { username, source, alias: null, outcome: 'throttled', reason: '', ms: performance.now() - started }, (refused) =>
      refused === 1
        ? `${locked.key} is locked until ${until} after repeated failures; no backend was asked.`
        : `${locked.key} is locked until ${until} after repeated failures; no backend was asked. ${refused} attempts were refused during this lock (this row stands for all of them; the first was for this username and source).`,
    )
    throw new BackplaneError(ErrorCode.E_THROTTLED, `Too many failed logins for ${locked.key}: try again in ${seconds} s.`, {
      hint: `Wait ${seconds} s, or lift the lock in Auth → Protection (auth.clearThrottle with key "${locked.key}").`,
      details: { retryAfterMs: locked.retryAfterMs, key: locked.key },
    })
  }

  /** The permission set beside a login; a backend that cannot answer leaves the login's answer standing, with a warning in the log. */
  private async permissionsOf(links: ChainLink[], user: AuthUser, password: string): Promise<string[]> {
    try {
      return await chainAllPermissions(links, user)
    } catch (err) {
      const error = maskPassword(toBackplaneError(err).toPayload(), password)
      this.log.warn(`auth.authenticate: the permissions of "${user.username}" could not be read (${error.code}: ${error.message}); answering none.`)
      return []
    }
  }

  /** An audit log that cannot be written must not turn a login into a failure; it is Backplane's fault, so logged as an error. */
  private async record(entry: Parameters<AuditStore['record']>[0]): Promise<void> {
    await this.audit.record(entry).catch((err: unknown) => this.auditFailed(err))
  }

  private auditFailed(err: unknown): void {
    this.log.error(`The audit log could not record a login attempt: ${toBackplaneError(err).message}`)
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
