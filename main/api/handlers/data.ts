import { isDatabase, type Database } from '../../backends/data'
import { djangoView } from '../../backends/data/django'
import type { AppServices } from '../app-services'
import type { HandlerGroup } from '../router'
import { backendOf, capability } from './backend-of'

type DataMethod =
  | 'data.schemas'
  | 'data.tables'
  | 'data.describe'
  | 'data.query'
  | 'data.script'
  | 'data.cancel'
  | 'data.page'
  | 'data.planChanges'
  | 'data.applyChanges'
  | 'data.explain'
  | 'data.django'

const database = (app: AppServices, alias: string) => backendOf(app, 'data', alias, isDatabase)

/** A method the base has and a custom engine written from scratch may lack. */
function needs<K extends keyof Database>(db: Database, key: K, what: string, alias: string): NonNullable<Database[K]> {
  const value = db[key]
  return capability(typeof value === 'function' ? (value.bind(db) as NonNullable<Database[K]>) : undefined, what, alias)
}

export const dataHandlers: HandlerGroup<DataMethod> = {
  'data.schemas': async ({ alias }, { app }) => {
    const db = await database(app, alias)
    return db.schemas ? db.schemas() : [{ name: 'main', isDefault: true }]
  },
  'data.tables': async ({ alias, schema }, { app }) => {
    const db = await database(app, alias)
    if (schema === undefined) return db.tables()
    // The engine lists one schema itself (its default schema's tables carry no schema name).
    if (db.listTables) return db.listTables(schema)
    return (await db.tables()).filter((t) => (t.schema ?? '') === schema)
  },
  'data.describe': async ({ alias, table }, { app }) => needs(await database(app, alias), 'describe', 'describe a table', alias)(table),
  'data.query': async ({ alias, sql, params, maxRows, queryId }, { app }) => (await database(app, alias)).query(sql, params, { maxRows, ...(queryId ? { queryId } : {}) }),
  'data.script': async ({ alias, sql, maxRows, queryId, confirmDestructive }, { app }) => {
    const run = needs(await database(app, alias), 'script', 'run a script', alias)
    const { results, failure } = await run(sql, { maxRows, confirmDestructive, ...(queryId ? { queryId } : {}) })
    return failure ? { results, failure: { statementIndex: failure.statementIndex, error: failure.error.toPayload() } } : { results }
  },
  'data.cancel': async ({ alias, queryId }, { app }) => ({ cancelled: await needs(await database(app, alias), 'cancel', 'cancel a query', alias)(queryId) }),
  'data.page': async ({ alias, queryId, ...request }, { app }) => needs(await database(app, alias), 'page', 'page through a table', alias)(request, queryId ? { queryId } : {}),
  'data.planChanges': async ({ alias, ...changeSet }, { app }) => needs(await database(app, alias), 'planChanges', 'edit rows', alias)(changeSet),
  'data.applyChanges': async ({ alias, ...changeSet }, { app }) => needs(await database(app, alias), 'applyChanges', 'edit rows', alias)(changeSet),
  'data.explain': async ({ alias, sql, params }, { app }) => needs(await database(app, alias), 'explain', 'explain a statement', alias)(sql, params),
  'data.django': async ({ alias }, { app }) => djangoView(await database(app, alias)),
}
