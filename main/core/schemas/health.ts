import { z } from 'zod'
import { ErrorPayload } from './error'

export const HealthState = z.enum(['ok', 'degraded', 'down', 'unknown'])
export type HealthState = z.infer<typeof HealthState>

export const HealthStep = z.object({
  name: z.string(),
  ok: z.boolean(),
  ms: z.number(),
  detail: z.string().optional(),
  error: ErrorPayload.optional(),
})
export type HealthStep = z.infer<typeof HealthStep>

export const HealthReport = z.object({
  kind: z.string(),
  alias: z.string(),
  engine: z.string(),
  state: HealthState,
  latencyMs: z.number().nullable(),
  version: z.string().optional(),
  summary: z.string().optional(),
  steps: z.array(HealthStep),
  error: ErrorPayload.optional(),
  checkedAt: z.string(),
})
export type HealthReport = z.infer<typeof HealthReport>
