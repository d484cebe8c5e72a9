/**
 * Shares the event loop between workers and everything else. An engine that answers synchronously
 * inside a promise (locmem) never gives timers or I/O a turn: awaiting a resolved promise only runs
 * microtasks. Workers ask `due()` after each operation and, once a slice is used up, all of them wait
 * on one shared setImmediate, so the loop turns once per slice however many workers there are (a
 * setImmediate each would give every worker a slice of its own before the loop turns again).
 */
export class EventLoopSlices {
  private sliceStart = performance.now()
  private turn: Promise<void> | undefined

  constructor(private readonly sliceMs: number) {}

  due(now: number): boolean {
    return now - this.sliceStart >= this.sliceMs
  }

  /** Resolves after timers and I/O have had their turn. */
  yield(): Promise<void> {
    this.turn ??= new Promise<void>((resolve) =>
      setImmediate(() => {
        this.turn = undefined
        this.sliceStart = performance.now()
        resolve()
      }),
    )
    return this.turn
  }
}
