/**
 * Password hashes run on libuv's thread pool (node:crypto's async pbkdf2/scrypt, @node-rs's AsyncTasks),
 * which the whole process shares: file reads, DNS lookups, zlib. Sixteen logins at once on the default
 * four threads left a small file read waiting seconds. So hashes take one of a few slots, in the order
 * they asked, and the pool always keeps two threads for everything else.
 */

/** libuv's pool size as it reads it (UV_THREADPOOL_SIZE, 4 by default); hashing may use all but two. */
export function hashingSlotCount(env: NodeJS.ProcessEnv = process.env): number {
  const pool = Math.floor(Number(env.UV_THREADPOOL_SIZE)) || 4
  return Math.max(1, pool - 2)
}

/** A counting semaphore, first come first served: a freed slot goes to the oldest waiter, never to a newcomer. */
export class Slots {
  private busy = 0
  private readonly waiting: (() => void)[] = []

  constructor(readonly size: number) {}

  /** Works now running. */
  get active(): number {
    return this.busy
  }

  /** Works waiting for a slot. */
  get queued(): number {
    return this.waiting.length
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    // The releaser hands its slot over without decrementing, so `busy` already counts a woken waiter.
    if (this.busy < this.size) this.busy++
    else await new Promise<void>((resolve) => this.waiting.push(resolve))
    try {
      return await work()
    } finally {
      const next = this.waiting.shift()
      if (next) next()
      else this.busy--
    }
  }
}

/** The slots every hasher shares: one process, one thread pool. */
export const HASHING_SLOTS = new Slots(hashingSlotCount())

/** Runs one hash (one call into the thread pool) when a slot is free. */
export function onHashingSlot<T>(work: () => Promise<T>): Promise<T> {
  return HASHING_SLOTS.run(work)
}
