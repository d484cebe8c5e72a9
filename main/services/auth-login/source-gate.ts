/**
 * At most `limit()` logins at once per key (a source), the rest waiting their turn. The limit is read
 * again whenever one finishes, so it can shrink as failures are counted: with the failures a source has
 * left before its lock as the limit, a burst of parallel guesses from one source (a password spray, one
 * username each) cannot put more in flight than could fail before the lock. A limit of 0 (locked) sends
 * every waiter away.
 */
export class SourceGate {
  private readonly running = new Map<string, number>()
  private readonly waiting = new Map<string, Array<() => void>>()

  /** Waits for a turn: answers the function that gives it back, or null when the limit fell to 0. */
  async enter(key: string, limit: () => number): Promise<(() => void) | null> {
    for (;;) {
      const allowed = limit()
      if (allowed <= 0) return null
      const running = this.running.get(key) ?? 0
      if (running < allowed) {
        this.running.set(key, running + 1)
        let left = false
        return () => {
          if (left) return
          left = true
          this.leave(key)
        }
      }
      await new Promise<void>((wake) => {
        const queue = this.waiting.get(key) ?? []
        queue.push(wake)
        this.waiting.set(key, queue)
      })
    }
  }

  /** Logins running or waiting for the key, for tests. */
  load(key: string): { running: number; waiting: number } {
    return { running: this.running.get(key) ?? 0, waiting: this.waiting.get(key)?.length ?? 0 }
  }

  private leave(key: string): void {
    const running = (this.running.get(key) ?? 1) - 1
    if (running > 0) this.running.set(key, running)
    else this.running.delete(key)
    // Every waiter looks again: the limit may have fallen (a failure) or the key may be locked now.
    const queue = this.waiting.get(key)
    this.waiting.delete(key)
    for (const wake of queue ?? []) wake()
  }
}
