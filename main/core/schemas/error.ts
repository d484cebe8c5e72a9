import { z } from 'zod'

/** What every failure looks like once it leaves the main process: no stack, a code the UI can act on. */
export const ErrorPayload = z.object({
  code: z.string(),
  message: z.string(),
  hint: z.string().optional(),
  details: z.unknown().optional(),
})
export type ErrorPayload = z.infer<typeof ErrorPayload>
