import { z } from 'zod'
import { Kind } from '../../core/schemas'
import { method } from './define'

export const TrustedModuleView = z.object({
  file: z.string(),
  sha256: z.string(),
  spec: z.string(),
  trustedAt: z.string(),
  /** Whether the file is still the content that was trusted; a changed one does not load. */
  state: z.enum(['trusted', 'changed', 'missing']),
})
export type TrustedModuleView = z.infer<typeof TrustedModuleView>

export const engineMethods = {
  'engines.trusted': method({
    description: 'The custom engine modules trusted to run, and whether this host can ask the user to trust one.',
    input: z.object({}).default({}),
    output: z.object({ modules: z.array(TrustedModuleView), canPrompt: z.boolean(), command: z.string() }),
  }),
  'engines.requestTrust': method({
    description:
      'Desktop app only: shows a main-process dialog asking the user whether this exact module may run; the renderer cannot answer it. Elsewhere E_UNSUPPORTED, with the command that trusts it.',
    input: z.object({ kind: Kind, spec: z.string().min(1).max(4096) }),
    output: z.object({ trusted: z.boolean(), file: z.string(), sha256: z.string() }),
  }),
}
