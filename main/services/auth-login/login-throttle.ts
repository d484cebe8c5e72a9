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
/** Keys kept at most; the oldest are forgotten first, so a flood of made-up usernames cannot fill memory. */
const MAX_KEYS = 10_000

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

/** The keys a login attempt counts against: its username and where it came from. */
export function throttleKeys(username: string, source: string): { user: string; source: string } {
  return { user: `user:${username}`, source: `source:${source}` }
}

/**
 * Failed-login throttling with exponential backoff, per key (a username, a source). Kept in memory:
 * a restart lifts every lock, which is acceptable for a tool on a developer's machine and keeps a
 * flood of failures from writing to disk. The clock is injectable so tests never sleep.
 */
export class LoginThrottle {
  private readonly keys = new Map<string, KeyState>()

  constructor(
    readonly policy: ThrottlePolicy = DEFAULT_THROTTLE_POLICY,
    private readonly now: () => number = Date.now,
  ) {}

  /** The first of the keys that is locked now, and for how much longer. */
  lockedKey(keys: readonly string[]): { key: string; retryAfterMs: number } | undefined {
    const now = this.now()
    for (const key of keys) {
      const state = this.current(key, now)
      if (state?.lockedUntil != null && state.lockedUntil > now) return { key, retryAfterMs: state.lockedUntil - now }
    }
    return undefined
  }

  recordFailure(keys: readonly string[]): void {
    const now = this.now()
    for (const key of keys) {
      const state = this.current(key, now) ?? { failures: 0, lastFailure: now, lockedUntil: null }
      state.failures++
      state.lastFailure = now
      const over = state.failures - this.policy.freeFailures
      // 2 ** over grows past any delay quickly; capping the exponent keeps the number finite.
      if (over > 0) state.lockedUntil = now + Math.min(this.policy.baseDelayMs * 2 ** Math.min(over - 1, 40), this.policy.maxDelayMs)
      this.keys.delete(key) // re-inserted last: the Map's order is the order of last failure
      this.keys.set(key, state)
    }
    while (this.keys.size > MAX_KEYS) this.keys.delete(this.keys.keys().next().value!)
  }

  /** A successful login clears its username's failures (not its source's: one right password says nothing of the others tried from there). */
  recordSuccess(userKey: string): void {
    this.keys.delete(userKey)
  }

  locks(): ThrottleLock[] {
    const now = this.now()
    const locks: ThrottleLock[] = []
    for (const key of [...this.keys.keys()].reverse()) {
      const state = this.current(key, now)
      if (state) locks.push({ key, failures: state.failures, lockedUntil: state.lockedUntil != null && state.lockedUntil > now ? new Date(state.lockedUntil).toISOString() : null })
    }
    return locks
  }

  /** Forgets one key's failures, or every key's; answers how many were forgotten. */
  clear(key?: string): number {
    if (key === undefined) {
      const count = this.keys.size
      this.keys.clear()
      return count
    }
    return this.keys.delete(key) ? 1 : 0
  }

  private current(key: string, now: number): KeyState | undefined {
    const state = this.keys.get(key)
    if (state && now - state.lastFailure > FORGET_AFTER_MS && (state.lockedUntil ?? 0) <= now) {
      this.keys.delete(key)
      return undefined
    }
    return state
  }
}
