/**
 * Runs `work` while a timer ticks every `everyMs`, and answers its result with the worst lateness of a
 * tick (how long the main event loop was held at once, the last stretch included) and the time it took.
 */
export async function sampleLoopLag<T>(work: () => Promise<T>, everyMs = 10): Promise<{ result: T; worstLagMs: number; elapsedMs: number }> {
  let last = performance.now()
  let worst = 0
  const timer = setInterval(() => {
    const now = performance.now()
    worst = Math.max(worst, now - last - everyMs)
    last = now
  }, everyMs)
  const started = performance.now()
  try {
    const result = await work()
    const ended = performance.now()
    return { result, worstLagMs: Math.max(worst, ended - last - everyMs), elapsedMs: ended - started }
  } finally {
    clearInterval(timer)
  }
}
