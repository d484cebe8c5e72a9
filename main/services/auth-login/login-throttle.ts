export interface ThrottlePolicy {
  /** Failures that cost nothing; the next one locks the key. */
  freeFailures: number
  /** The first lock; each further failure doubles it... */
  baseDelayMs: number
  /** ...up to this. */
  maxDelayMs: number
}

export const DEFAULT_THROTTLE_POLICY: ThrottlePolicy = { freeFailures: 5, baseDelayMs: 1000, maxDelayMs: 15 * 60_000 }

/** A key whose last failure is this old starts again from nothing, so a typo a week later does not lock anyone out for minutes. */
const FORGET_AFTER_MS = 24 * 60 * 60_000
/**
 * Unlocked keys kept at most, per table (usernames, sources: a flood of made-up usernames cannot push
 * out the sources, nor the other way round). Past it the oldest unlocked keys are forgotten, down to
 * 90% so the sweep runs once per thousand failures, not on each. A key locked now is never forgotten
 * for room, until HARD_MAX_KEYS: then the locks that end soonest go, so memory stays bounded.
 */
const MAX_KEYS = 10_000
const HARD_MAX_KEYS = 100_000

interface KeyState {
  failures: number
  lastFailure: number
  lockedUntil: number | null
}

export interface ThrottleLock {
  key: string
  failures: number
  lockedUntil: string | null
}

/**
 * The form of a username the throttle counts: NFKC (fullwidth "ｍａｌｌｏｒｙ" is "mallory"), without
 * surrounding spaces, lower-case. Backends that fold case or spaces (LDAP, MariaDB's collations) would
 * otherwise see one person through many keys; on a case-sensitive database "Ada" and "ada" share a lock,
 * which only ever locks more, never less.
 */
export function throttleName(username: string): string {
  return username.normalize('NFKC').trim().toLowerCase()
}

export function userKey(username: string): string {
  return `user:${throttleName(username)}`
}

/** The keys a login attempt counts against: its username and where it came from. */
export function throttleKeys(username: string, source: string): { user: string; source: string } {
  return { user: userKey(username), source: `source:${source}` }
}

const isSourceKey = (key: string) => key.startsWith('source:')

/** One table of keys in the order of their last failure (a Map keeps insertion order). */
class KeyTable {
  readonly keys = new Map<string, KeyState>()

  /** Forgets unlocked keys, oldest first, once past MAX_KEYS; past HARD_MAX_KEYS, the locks ending soonest too. */
  trim(now: number): void {
    if (this.keys.size <= MAX_KEYS) return
    const target = Math.floor(MAX_KEYS * 0.9)
    for (const [key, state] of this.keys) {
      if (this.keys.size <= target) break
      if ((state.lockedUntil ?? 0) <= now) this.keys.delete(key)
    }
    if (this.keys.size <= HARD_MAX_KEYS) return
    const soonest = [...this.keys].sort(([, a], [, b]) => (a.lockedUntil ?? 0) - (b.lockedUntil ?? 0))
    for (const [key] of soonest.slice(0, this.keys.size - HARD_MAX_KEYS)) this.keys.delete(key)
  }
}

/**
 * Failed-login throttling with exponential backoff, per key (a username, a source). Kept in memory:
 * a restart lifts every lock, which is acceptable for a tool on a developer's machine and keeps a
 * flood of failures from writing to disk. The clock is injectable so tests never sleep.
 */
export class LoginThrottle {
  private readonly users = new KeyTable()
  private readonly sources = new KeyTable()

  constructor(
    readonly policy: ThrottlePolicy = DEFAULT_THROTTLE_POLICY,
    private readonly now: () => number = Date.now,
  ) {}

  /** The first of the keys that is locked now, for how much longer, and until when. */
  lockedKey(keys: readonly string[]): { key: string; retryAfterMs: number; lockedUntil: number } | undefined {
    const now = this.now()
    for (const key of keys) {
      const state = this.current(key, now)
      if (state?.lockedUntil != null && state.lockedUntil > now) return { key, retryAfterMs: state.lockedUntil - now, lockedUntil: state.lockedUntil }
    }
    return undefined
  }

  /**
   * How many more failures the key may have before the next one locks it (0 while locked): at least 1
   * once a lock has passed, as the next failure locks again, for twice as long.
   */
  failuresLeft(key: string): number {
    const now = this.now()
    const state = this.current(key, now)
    if (!state) return this.policy.freeFailures + 1
    if (state.lockedUntil != null && state.lockedUntil > now) return 0
    return Math.max(1, this.policy.freeFailures + 1 - state.failures)
  }

  recordFailure(keys: readonly string[]): void {
    const now = this.now()
    for (const key of new Set(keys)) {
      const table = this.tableOf(key)
      const state = this.current(key, now) ?? { failures: 0, lastFailure: now, lockedUntil: null }
      state.failures++
      state.lastFailure = now
      const over = state.failures - this.policy.freeFailures
      // 2 ** over grows past any delay quickly; capping the exponent keeps the number finite.
      if (over > 0) state.lockedUntil = now + Math.min(this.policy.baseDelayMs * 2 ** Math.min(over - 1, 40), this.policy.maxDelayMs)
      table.keys.delete(key) // re-inserted last: the Map's order is the order of last failure
      table.keys.set(key, state)
      table.trim(now)
    }
  }

  /** A successful login clears its username's failures (not its source's: one right password says nothing of the others tried from there). */
  recordSuccess(userKeys: readonly string[]): void {
    for (const key of userKeys) this.users.keys.delete(key)
  }

  /** Every key with failures, the most recent failure first. */
  locks(): ThrottleLock[] {
    const now = this.now()
    const found: Array<{ lock: ThrottleLock; last: number; order: number }> = []
    for (const table of [this.users, this.sources]) {
      for (const key of [...table.keys.keys()]) {
        const state = this.current(key, now)
        if (!state) continue
        const lockedUntil = state.lockedUntil != null && state.lockedUntil > now ? new Date(state.lockedUntil).toISOString() : null
        found.push({ lock: { key, failures: state.failures, lockedUntil }, last: state.lastFailure, order: found.length })
      }
    }
    // Within a table the Map's order is the order of failure; a source counted with a username comes after it.
    return found.sort((a, b) => b.last - a.last || b.order - a.order).map((f) => f.lock)
  }

  /** Forgets one key's failures ("user:Ada" is the same key as "user:ada"), or every key's; answers how many were forgotten. */
  clear(key?: string): number {
    if (key === undefined) {
      const count = this.users.keys.size + this.sources.keys.size
      this.users.keys.clear()
      this.sources.keys.clear()
      return count
    }
    const named = key.startsWith('user:') ? userKey(key.slice('user:'.length)) : key
    return this.tableOf(named).keys.delete(named) ? 1 : 0
  }

  private tableOf(key: string): KeyTable {
    return isSourceKey(key) ? this.sources : this.users
  }

  private current(key: string, now: number): KeyState | undefined {
    const table = this.tableOf(key)
    const state = table.keys.get(key)
    if (state && now - state.lastFailure > FORGET_AFTER_MS && (state.lockedUntil ?? 0) <= now) {
      table.keys.delete(key)
      return undefined
    }
    return state
  }
}
