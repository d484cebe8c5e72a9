import { Readable } from 'node:stream'
import type { ReadableStream as WebReadableStream } from 'node:stream/web'
import type { StorageHttpRequest, StorageHttpResponse } from './storage-http'

/** Statuses whose responses never have a body (a Response with one would throw). */
const NO_BODY = new Set([204, 304])

/**
 * A Web Request (what Electron's protocol.handle gives) answered by the storage routes, as a Web
 * Response: the bodies stream both ways (a cancelled read of the response destroys the engine's
 * stream). The path is taken from the URL as sent, before dot segments are resolved.
 */
export async function handleWebRequest(request: Request, handle: (request: StorageHttpRequest) => Promise<StorageHttpResponse>): Promise<Response> {
  const url = new URL(request.url)
  const answer = await handle({
    method: request.method,
    rawPath: rawPathOf(request.url),
    query: url.searchParams,
    header: (name) => request.headers.get(name) ?? undefined,
    body: request.body ? Readable.fromWeb(request.body as WebReadableStream<Uint8Array>) : null,
    signal: request.signal,
  })
  const empty = request.method === 'HEAD' || NO_BODY.has(answer.status)
  if (empty) answer.body?.destroy()
  const body = empty || !answer.body ? null : (Readable.toWeb(answer.body) as unknown as ReadableStream<Uint8Array>)
  return new Response(body, { status: answer.status, headers: answer.headers })
}

/** "app://backplane/api/v1/storage/a/b%2Fc?x=1" → "/api/v1/storage/a/b%2Fc". */
export function rawPathOf(url: string): string {
  const afterHost = url.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, '')
  return afterHost.split(/[?#]/, 1)[0] || '/'
}
