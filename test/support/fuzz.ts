/** A seeded pseudo-random source for the fuzz tests: the same seed gives the same hostile inputs, so a failure replays. */
export function prng(seed: number): () => number {
  return () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff
    return seed / 0x7fffffff
  }
}

/** The input, short, for a failure message; long strings are cut, and deeply nested inputs do not stringify on a small stack. */
export function show(input: unknown): string {
  try {
    return JSON.stringify(input, (_k, v: unknown) => (typeof v === 'string' && v.length > 80 ? `${v.slice(0, 40)}…(${v.length})` : v)).slice(0, 300)
  } catch {
    return '(too deep to show)'
  }
}
