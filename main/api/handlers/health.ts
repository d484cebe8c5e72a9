import type { HandlerGroup } from '../router'

export const healthHandlers: HandlerGroup<'health.list' | 'health.check'> = {
  'health.list': (_input, { app }) => app.health.list(),
  'health.check': async ({ kind, alias }, { app }) => {
    const targets = app.settings.snapshot.aliases.filter((a) => (!kind || a.kind === kind) && (!alias || a.name === alias))
    return Promise.all(targets.map((a) => app.health.check(a.kind, a.name)))
  },
}
