import { BackplaneError, ErrorCode } from '../../core/errors'
import type { HandlerGroup } from '../router'

export const engineHandlers: HandlerGroup<'engines.trusted' | 'engines.requestTrust'> = {
  'engines.trusted': async (_input, { app }) => ({
    modules: await app.trust.listWithState(),
    canPrompt: app.trustPrompt !== undefined,
    command: app.trust.commandFor('<module>'),
  }),
  'engines.requestTrust': async ({ kind, spec }, { app }) => {
    if (app.registry.isBuiltin(kind, spec)) throw new BackplaneError(ErrorCode.E_INVALID_INPUT, `"${spec}" is a built-in engine; it needs no trust.`)
    if (!app.trustPrompt) {
      throw new BackplaneError(ErrorCode.E_UNSUPPORTED, 'Only the desktop app can ask you to trust an engine module; the API cannot trust one itself.', {
        hint: `From a terminal: ${app.trust.commandFor(spec)}`,
      })
    }
    // Read and hashed, never imported: the person decides on the content the dialog names.
    const module = await app.registry.locate(kind, spec, app.dataDir)
    app.trust.assertTrustable(module)
    const trusted = await app.trustPrompt({ kind, module })
    if (trusted) {
      await app.trust.trust(module)
      await app.trustChanged()
    }
    return { trusted, file: module.file, sha256: module.sha256 }
  },
}
