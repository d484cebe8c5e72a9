import type { IncomingMessage, ServerResponse } from 'node:http'
import { BackplaneError, toBackplaneError, ErrorCode } from '../../core/errors'

/** Reads a JSON body up to a limit; an empty body is `undefined` (the method's defaults apply). */
export async function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const declared = Number(req.headers['content-length'] ?? 0)
  if (declared > limit) throw tooLarge(limit)
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > limit) throw tooLarge(limit)
    chunks.push(chunk as Buffer)
  }
  if (size === 0) return undefined
  const text = Buffer.concat(chunks).toString('utf8')
  try {
    return JSON.parse(text)
  } catch (err) {
    throw new BackplaneError(ErrorCode.E_INVALID_JSON, `The request body is not valid JSON: ${(err as Error).message}`, {
      hint: 'Send a JSON object, e.g. {"alias": "default"}.',
    })
  }
}

function tooLarge(limit: number): BackplaneError {
  return new BackplaneError(ErrorCode.E_TOO_LARGE, `The request body is larger than ${Math.round(limit / 1024 / 1024)} MiB.`, {
    hint: 'Send less at once; large files go through uploads, not the JSON API.',
  })
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' })
  res.end(text)
}

export function sendError(res: ServerResponse, err: unknown): void {
  const error = toBackplaneError(err)
  if (res.headersSent) {
    res.destroy()
    return
  }
  sendJson(res, error.status, { error: error.toPayload() })
}
