/**
 * A small pool of connections that are made on demand, at most `size`, handed out one caller at a time;
 * callers beyond the size wait in order.
 */
export class ThreadPool<T extends { alive: boolean }> {
  private readonly idle: T[] = []
  private readonly waiting: ((item: T) => void)[] = []
  private count = 0
  private closed = false

  constructor(
    private readonly size: number,
    private readonly make: () => T,
  ) {}

  get opened(): boolean {
    return this.count > 0
  }

  async acquire(): Promise<T> {
    for (;;) {
      const item = this.idle.pop()
      if (!item) break
      if (item.alive) return item
      this.count--
    }
    if (this.count < this.size) {
      this.count++
      try {
        return this.make()
      } catch (err) {
        this.count--
        throw err
      }
    }
    return new Promise((resolve) => this.waiting.push(resolve))
  }

  release(item: T, discard: boolean): void {
    if (discard || !item.alive || this.closed) {
      this.count--
      // A waiter gets a fresh connection in place of the one discarded.
      const next = this.waiting.shift()
      if (next && !this.closed) {
        this.count++
        next(this.make())
      }
      return
    }
    const next = this.waiting.shift()
    if (next) next(item)
    else this.idle.push(item)
  }

  async close(end: (item: T) => Promise<void>): Promise<void> {
    this.closed = true
    const items = this.idle.splice(0)
    this.count -= items.length
    await Promise.all(items.map(end))
  }
}
