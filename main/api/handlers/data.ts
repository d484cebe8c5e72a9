import { isDatabase } from '../../backends/data'
import type { HandlerGroup } from '../router'
import { backendOf } from './backend-of'

export const dataHandlers: HandlerGroup<'data.tables' | 'data.query'> = {
  'data.tables': async ({ alias }, { app }) => (await backendOf(app, 'data', alias, isDatabase)).tables(),
  'data.query': async ({ alias, sql, params, maxRows }, { app }) => (await backendOf(app, 'data', alias, isDatabase)).query(sql, params, { maxRows }),
}
