import type { HandlerGroup } from '../router'

type DataConsoleMethod = 'dataConsole.history' | 'dataConsole.record' | 'dataConsole.clearHistory' | 'dataConsole.saved' | 'dataConsole.save' | 'dataConsole.deleteSaved'

export const dataConsoleHandlers: HandlerGroup<DataConsoleMethod> = {
  'dataConsole.history': ({ alias, search, limit, offset }, { app }) => app.dataConsole.history(alias, { search, limit, offset }),
  'dataConsole.record': ({ alias, ...run }, { app }) => app.dataConsole.record(alias, run),
  'dataConsole.clearHistory': async ({ alias }, { app }) => ({ cleared: await app.dataConsole.clearHistory(alias) }),
  'dataConsole.saved': ({ alias }, { app }) => app.dataConsole.saved(alias),
  'dataConsole.save': ({ alias, id, name, sql }, { app }) => app.dataConsole.save(alias, { id, name, sql }),
  'dataConsole.deleteSaved': async ({ alias, id }, { app }) => ({ deleted: await app.dataConsole.deleteSaved(alias, id) }),
}
