import type { z } from 'zod'

/** One API method: what it takes, what it gives back, and one line of what it does. */
export interface MethodSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  input: I
  output: O
  description: string
  /**
   * The answer reports on backends (health, traces, settings): every secret the process knows and every
   * URL password in it is masked before it leaves. Content methods (file bytes, query rows, mail) are
   * not, since masking would change the user's own data.
   */
  redact?: boolean
}

export function method<I extends z.ZodType, O extends z.ZodType>(spec: MethodSpec<I, O>): MethodSpec<I, O> {
  return spec
}
