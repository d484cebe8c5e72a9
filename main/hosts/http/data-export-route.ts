import type { IncomingMessage, ServerResponse } from 'node:http'
import type { App } from '../../api/app'
import { backendOf } from '../../api/handlers/backend-of'
import { isDatabase } from '../../backends/data/base'
import { contentDisposition } from '../../backends/storage/content-types'
import { BackplaneError, ErrorCode } from '../../core/errors'
import { exportRows, FORMATS, type ExportFormat, type ExportSource } from '../../services/data-export'

const PATH = '/api/v1/data/export'
const MAX_NAME = 1000
const MAX_QUERY_ID = 200

interface ExportQuery {
  alias: string
  format: ExportFormat
  source: ExportSource
  queryId?: string
  filename: string
}

/**
 * `GET /api/v1/data/export?alias=A&format=csv|jsonl&[schema=S&]table=T` (or `&sql=SELECT…`): every row
 * as a download, streamed at the pace the client reads. The token or the browser's session cookie, as
 * for every API route, so the GUI can link to it. A problem found before the first byte (no such alias or
 * table, a statement that writes) is the usual JSON error with its status; a client that closes the
 * connection cancels the query at the server. `queryId=` lets the GUI stop it with data.cancel as well.
 * (The handler type is server.ts's RouteHandler, spelled out: server.ts mounts this route.)
 */
export function dataExportRoute(app: App): (req: IncomingMessage, res: ServerResponse, url: URL, authorize: () => void) => Promise<boolean> {
  return async (req, res, url, authorize) => {
    if (url.pathname !== PATH) return false
    authorize()
    if (req.method !== 'GET') throw new BackplaneError(ErrorCode.E_METHOD_NOT_ALLOWED, `Use GET for ${PATH}.`, { status: 405 })
    const query = parseQuery(url.searchParams)
    const db = await backendOf(app, 'data', query.alias, isDatabase)
    const controller = new AbortController()
    // 'close' also follows a complete answer; only one that came first is the client leaving.
    const onClose = () => {
      if (!res.writableFinished) controller.abort()
    }
    res.on('close', onClose)
    const headers = {
      'content-type': FORMATS[query.format].contentType,
      'content-disposition': contentDisposition('attachment', query.filename),
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    }
    try {
      await exportRows({
        db,
        source: query.source,
        format: query.format,
        out: res,
        signal: controller.signal,
        ...(query.queryId ? { queryId: query.queryId } : {}),
        // The status is decided once the query has started: until then an error is still a JSON answer.
        onColumns: () => res.writeHead(200, headers),
      })
      if (!res.headersSent) res.writeHead(200, headers)
      res.end()
    } finally {
      res.off('close', onClose)
    }
    return true
  }
}

function parseQuery(q: URLSearchParams): ExportQuery {
  const alias = q.get('alias') || 'default'
  const format = q.get('format') ?? 'csv'
  if (format !== 'csv' && format !== 'jsonl') throw invalid(`format is csv or jsonl, not "${format.slice(0, 40)}".`)
  const table = q.get('table')
  const sql = q.get('sql')
  const schema = q.get('schema')
  const queryId = q.get('queryId')
  if ((table === null) === (sql === null)) throw invalid('Give table= (a table or view) or sql= (a SELECT), one of them.')
  if (schema !== null && table === null) throw invalid('schema= goes with table=.')
  for (const [name, value] of [['alias', alias], ['table', table], ['schema', schema]] as const) {
    if (value !== null && (value === '' || value.length > MAX_NAME)) throw invalid(`${name}= must be 1 to ${MAX_NAME} characters.`)
  }
  if (queryId !== null && (queryId === '' || queryId.length > MAX_QUERY_ID)) throw invalid(`queryId= must be 1 to ${MAX_QUERY_ID} characters.`)
  const extension = FORMATS[format].extension
  return {
    alias,
    format,
    source: table !== null ? { table: { name: table, ...(schema !== null ? { schema } : {}) } } : { sql: sql! },
    ...(queryId !== null ? { queryId } : {}),
    filename: `${table ?? 'export'}.${extension}`,
  }
}

function invalid(message: string): BackplaneError {
  return new BackplaneError(ErrorCode.E_INVALID_INPUT, message, { hint: `GET ${PATH}?alias=default&format=csv&table=users (or &sql=SELECT …); see docs/data.md, Exporting rows.` })
}
