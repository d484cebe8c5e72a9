import { z } from 'zod'
import { HealthReport, Kind } from '../../core/schemas'
import { method } from './define'

export const healthMethods = {
  'health.list': method({
    redact: true,
    description: 'The last health report of every configured alias.',
    input: z.object({}).default({}),
    output: z.array(HealthReport),
  }),
  'health.check': method({
    redact: true,
    description: 'Runs health checks now: one alias, one kind, or everything.',
    input: z.object({ kind: Kind.optional(), alias: z.string().optional() }).default({}),
    output: z.array(HealthReport),
  }),
}
