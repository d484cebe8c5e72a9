import { isDatabase } from '../../backends/data'
import { BackplaneError, ErrorCode } from '../../core/errors'
import { exportToFile } from '../../services/data-export'
import type { HandlerGroup } from '../router'
import { backendOf } from './backend-of'

/** Progress goes out at most this often, whatever the batch size. */
const PROGRESS_EVERY_MS = 250

export const dataExportHandlers: HandlerGroup<'data.exportToFile'> = {
  'data.exportToFile': async ({ alias, format, table, sql, params, queryId }, { app }) => {
    if (!app.savePrompt) {
      throw new BackplaneError(ErrorCode.E_UNSUPPORTED, 'Only the desktop app saves an export to a file it asks you for.', {
        hint: 'In the browser, download it (GET /api/v1/data/export); from a terminal, run npx backplane export data.',
      })
    }
    const db = await backendOf(app, 'data', alias, isDatabase)
    const suggestedName = `${table?.name ?? 'query'}.${format === 'csv' ? 'csv' : 'jsonl'}`
    const file = await app.savePrompt({ suggestedName, format })
    if (!file) return { saved: false }
    let last = 0
    const summary = await exportToFile({
      db,
      source: table ? { table } : { sql: sql!, params },
      format,
      file,
      queryId,
      onProgress: (rows, bytes) => {
        const now = performance.now()
        if (now - last < PROGRESS_EVERY_MS) return
        last = now
        app.events.emit('data.exportProgress', { queryId, rows, bytes })
      },
    })
    app.events.emit('data.exportProgress', { queryId, rows: summary.rows, bytes: summary.bytes })
    return { saved: true, file: summary.file, rows: summary.rows, bytes: summary.bytes }
  },
}
