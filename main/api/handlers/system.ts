import type { HandlerGroup } from '../router'

export const systemHandlers: HandlerGroup<'system.ping' | 'system.info'> = {
  'system.ping': () => ({ ok: true }),
  'system.info': (_input, { app }) => ({
    version: app.version,
    host: app.host,
    dataDir: app.dataDir,
    settingsFile: app.settings.file,
    secretStore: {
      kind: app.secrets.kind,
      description: app.secrets.description,
      ...(app.secrets.warning ? { warning: app.secrets.warning } : {}),
    },
    node: process.versions.node,
    platform: `${process.platform} ${process.arch}`,
  }),
}
