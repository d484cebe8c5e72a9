import type { IncomingMessage, ServerResponse } from 'node:http'
import { BackplaneError, toBackplaneError, ErrorCode } from '../../core/errors'
import { assertJsonTextDepth } from '../../api/input-shape'

export interface BodyLimits {
  /** Bytes. */
  limit: number
  /** A body that sends nothing for this long is cut off. */
  idleMs: number
  /** …and so is one that takes longer than this in all, however steadily it trickles. */
  totalMs: number
}

/**
 * Reads a JSON body within its limits; an empty body is `undefined` (the method's defaults apply).
 * A slow body is refused with E_REQUEST_TIMEOUT rather than held: Node's own requestTimeout would
 * keep a trickling client's connection for 300 s.
 */
export async function readJsonBody(req: IncomingMessage, limits: BodyLimits): Promise<unknown> {
  const declared = Number(req.headers['content-length'] ?? 0)
  if (declared > limits.limit) throw tooLarge(limits.limit)
  const body = await readBody(req, limits)
  if (body.length === 0) return undefined
  const text = body.toString('utf8')
  assertJsonTextDepth(text)
  try {
    return JSON.parse(text)
  } catch (err) {
    throw new BackplaneError(ErrorCode.E_INVALID_JSON, `The request body is not valid JSON: ${(err as Error).message}`, {
      hint: 'Send a JSON object, e.g. {"alias": "default"}.',
    })
  }
}

function readBody(req: IncomingMessage, { limit, idleMs, totalMs }: BodyLimits): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    const finish = (error: BackplaneError | undefined) => {
      clearTimeout(idle)
      clearTimeout(total)
      req.off('data', onData).off('end', onEnd).off('error', onGone).off('close', onGone)
      if (error) reject(error)
      else resolve(Buffer.concat(chunks))
    }
    const slow = (what: string, ms: number) => () =>
      finish(new BackplaneError(ErrorCode.E_REQUEST_TIMEOUT, `The request body ${what} ${formatSeconds(ms)}; the connection is closed.`))
    let idle = setTimeout(slow('sent nothing for', idleMs), idleMs)
    const total = setTimeout(slow('took longer than', totalMs), totalMs)
    const onData = (chunk: Buffer) => {
      size += chunk.length
      if (size > limit) return finish(tooLarge(limit))
      chunks.push(chunk)
      clearTimeout(idle)
      idle = setTimeout(slow('sent nothing for', idleMs), idleMs)
    }
    const onEnd = () => finish(undefined)
    // Nobody reads this answer (the client is gone); it only ends the wait.
    const onGone = () => finish(new BackplaneError(ErrorCode.E_INVALID_INPUT, 'The client closed the connection before the body was complete.'))
    req.on('data', onData).on('end', onEnd).on('error', onGone).on('close', onGone)
  })
}

function formatSeconds(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`
}

function tooLarge(limit: number): BackplaneError {
  return new BackplaneError(ErrorCode.E_TOO_LARGE, `The request body is larger than ${Math.round(limit / 1024 / 1024)} MiB.`, {
    hint: 'Send less at once; large files go through uploads, not the JSON API.',
  })
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  // Answered before the body was read (a refusal, an early error): the server drops the rest with the
  // connection (server.ts), so the client must not reuse it.
  if (!res.req.complete) res.setHeader('connection', 'close')
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
