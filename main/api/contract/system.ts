import { z } from 'zod'
import { method } from './define'

export const SecretStoreInfo = z.object({
  kind: z.enum(['safe-storage', 'keyring', 'encrypted-file']),
  description: z.string(),
  warning: z.string().optional(),
})

export const systemMethods = {
  'system.ping': method({
    description: 'Does nothing and answers: for latency checks and benchmarks.',
    input: z.object({}).default({}),
    output: z.object({ ok: z.literal(true) }),
  }),
  'system.info': method({
    description: 'Version, host, data directory and where secrets are kept.',
    input: z.object({}).default({}),
    output: z.object({
      version: z.string(),
      host: z.enum(['electron', 'serve', 'cli']),
      dataDir: z.string(),
      settingsFile: z.string(),
      secretStore: SecretStoreInfo,
      node: z.string(),
      platform: z.string(),
    }),
  }),
}
