import { Readable } from 'node:stream'
import { baseName, splitName, type Storage, type StorageEntry } from '../../backends/storage'
import { BackplaneError, ErrorCode, toBackplaneError } from '../../core/errors'
import { contentDisposition, contentTypeOf, inlineTypeOf } from '../../backends/storage/content-types'
import { ifRangeHolds, resolveRange, unsatisfiable, type RangeAnswer, type ResolvedRange } from './http-ranges'
import { metered } from './metered'
import { parseRoutePath, type RoutePath } from './route-path'
import type { Transfer } from './transfer'
import type { StorageTransfers } from './transfer-queue'
import { commonFolder, topNames } from './tree-walk'
import { uploadBody } from './upload-body'
import { zipStream } from './zip-stream'

/** One request to the storage routes, as either host (serve mode's HTTP, Electron's app://) sees it. */
export interface StorageHttpRequest {
  method: string
  /** The request target's path as sent, still percent-encoded. */
  rawPath: string
  query: URLSearchParams
  /** A request header by its lower-case name. */
  header(name: string): string | undefined
  body: Readable | null
  /** Aborted when the client goes away before the answer is complete. */
  signal: AbortSignal
}

export interface StorageHttpResponse {
  status: number
  headers: Record<string, string>
  body: Readable | null
}

export interface StorageHttpOptions {
  storageOf(alias: string): Promise<Storage>
  transfers: StorageTransfers
  /** An upload that sends nothing for this long is cut off with 408 (default 30 s). */
  uploadIdleMs?: number
}

const UPLOAD_IDLE_MS = 30_000
const MAX_ZIP_NAMES = 10_000
const CONFLICTS = ['rename', 'overwrite', 'fail'] as const
type Conflict = (typeof CONFLICTS)[number]

/** Every file response: never cached, never sniffed into something active, never a page with rights. */
const FILE_HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'content-security-policy': "sandbox; default-src 'none'",
}

/**
 * The storage routes, independent of the host: `GET`/`HEAD`/`PUT /api/v1/storage/<alias>/<path>` and
 * `GET /api/v1/storage-zip/<alias>?name=…`. The host has checked the token; this answers everything
 * else, a fault before the first byte included, as a response (a typed JSON error with its status).
 */
export function storageHttp(options: StorageHttpOptions): (request: StorageHttpRequest) => Promise<StorageHttpResponse> {
  return async (request) => {
    try {
      const path = parseRoutePath(request.rawPath)
      const transferId = transferIdOf(request.query)
      if (path.route === 'zip') {
        if (request.method !== 'GET') throw methodNotAllowed('GET', path)
        return await zip(options, request, path, transferId)
      }
      if (request.method === 'GET' || request.method === 'HEAD') return await download(options, request, path, transferId)
      if (request.method === 'PUT') return await upload(options, request, path, transferId)
      throw methodNotAllowed('GET, HEAD or PUT', path)
    } catch (err) {
      return errorResponse(err)
    }
  }
}

export function errorResponse(err: unknown): StorageHttpResponse {
  const error = toBackplaneError(err)
  const text = JSON.stringify({ error: error.toPayload() })
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(text)), 'cache-control': 'no-store' }
  const size = (error.details as { size?: unknown } | undefined)?.size
  if (error.status === 416 && typeof size === 'number') headers['content-range'] = `bytes */${size}`
  return { status: error.status, headers, body: Readable.from([Buffer.from(text)]) }
}

async function download(options: StorageHttpOptions, request: StorageHttpRequest, path: RoutePath, transferId: string | undefined): Promise<StorageHttpResponse> {
  const storage = await options.storageOf(path.alias)
  const entry = await storage.stat(path.name)
  if (entry.type === 'dir') {
    throw new BackplaneError(ErrorCode.E_IS_DIRECTORY, `"${entry.name || '/'}" is a folder.`, {
      hint: `Download a folder as a zip: GET /api/v1/storage-zip/${encodeURIComponent(path.alias)}?name=${encodeURIComponent(entry.name)}`,
    })
  }
  const size = entry.size ?? 0
  const etag = etagOf(entry)
  const headers: Record<string, string> = { ...FILE_HEADERS, 'accept-ranges': 'bytes', etag, ...dispositionOf(entry, request.query.get('inline') === '1') }
  if (entry.modified) headers['last-modified'] = new Date(entry.modified).toUTCString()
  if (notModified(request, etag, entry)) return { status: 304, headers: pick(headers, ['etag', 'last-modified', 'cache-control']), body: null }
  const rangeHeader = request.header('range')
  const stale = rangeHeader !== undefined && !ifRangeHolds(request.header('if-range'), etag, headers['last-modified'])
  const answer: RangeAnswer = stale ? { kind: 'whole', reason: 'If-Range names another version: the whole file is sent' } : resolveRange(rangeHeader, size)
  if (answer.kind === 'unsatisfiable') throw unsatisfiable(size)
  let range: ResolvedRange | undefined
  if (answer.kind === 'part') {
    range = answer.range
    headers['content-range'] = `bytes ${range.start}-${range.end}/${size}`
  } else if (answer.reason) headers['x-range-ignored'] = answer.reason
  const length = range ? range.end - range.start + 1 : size
  headers['content-length'] = String(length)
  const status = range ? 206 : 200
  if (request.method === 'HEAD') return { status, headers, body: null }
  const transfer = transferId
    ? options.transfers.begin({ id: transferId, kind: 'download', from: { alias: path.alias, name: entry.name }, to: null, label: `${baseName(entry.name)} ← ${path.alias}:${splitName(entry.name).dir || '/'}`, bytesTotal: length, filesTotal: 1 })
    : undefined
  const signal = transfer ? AbortSignal.any([request.signal, transfer.signal]) : request.signal
  try {
    const source = await storage.open(entry.name, { signal, ...(range ? { range } : {}) })
    const body = transfer ? metered(source, (n) => transfer.progress(n)) : source
    return { status, headers, body: transfer ? tracked(body, transfer, request.signal, entry.name) : destroyedOnAbort(body, request.signal) }
  } catch (err) {
    transfer?.fail(err)
    throw err
  }
}

async function upload(options: StorageHttpOptions, request: StorageHttpRequest, path: RoutePath, transferId: string | undefined): Promise<StorageHttpResponse> {
  const conflict = conflictOf(request.query)
  const declared = contentLengthOf(request.header('content-length'))
  const storage = await options.storageOf(path.alias)
  const transfer = options.transfers.begin({
    id: transferId,
    kind: 'upload',
    from: null,
    to: { alias: path.alias, name: path.name },
    label: `${baseName(path.name) || path.name} → ${path.alias}:${splitName(path.name).dir || '/'}`,
    bytesTotal: declared ?? null,
    filesTotal: 1,
  })
  const signal = AbortSignal.any([request.signal, transfer.signal])
  const body = uploadBody(request.body ?? Readable.from([]), { declared, idleMs: options.uploadIdleMs ?? UPLOAD_IDLE_MS, progress: (n) => transfer.progress(n) })
  let bodyError: unknown
  body.stream.once('error', (err) => (bodyError = err))
  // A cancel or the client leaving stops the engine's read as well as its write.
  const stop = () => body.stream.destroy(toBackplaneError(signal.reason))
  signal.addEventListener('abort', stop, { once: true })
  const writeOptions = { signal, contentType: contentTypeOf(path.name, request.header('content-type')), ...(declared !== undefined ? { size: declared } : {}) }
  try {
    const name =
      conflict === 'rename'
        ? await storage.save(path.name, body.stream, writeOptions)
        : await storage.put(path.name, body.stream, { ...writeOptions, overwrite: conflict === 'overwrite' })
    transfer.fileDone()
    transfer.finish(name)
    const text = JSON.stringify({ name, size: body.received() })
    return { status: 201, headers: { 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(text)), 'cache-control': 'no-store', 'x-transfer-id': transfer.id }, body: Readable.from([Buffer.from(text)]) }
  } catch (err) {
    body.stream.destroy()
    // The client gone is the upload stopped by its sender: cancelled, like a cancel from the panel.
    if (request.signal.aborted) transfer.cancel()
    // What the body said went wrong (too slow, too short) says more than the engine's "stream destroyed".
    const cause = transfer.signal.aborted ? transfer.signal.reason : (bodyError ?? err)
    transfer.fail(cause)
    throw cause
  } finally {
    signal.removeEventListener('abort', stop)
  }
}

async function zip(options: StorageHttpOptions, request: StorageHttpRequest, path: RoutePath, transferId: string | undefined): Promise<StorageHttpResponse> {
  const given = request.query.getAll('name')
  if (given.length === 0) throw new BackplaneError(ErrorCode.E_INVALID_INPUT, 'Name the files and folders to zip with ?name=.', { hint: `GET /api/v1/storage-zip/${encodeURIComponent(path.alias)}?name=photos&name=notes.txt` })
  if (given.length > MAX_ZIP_NAMES) throw new BackplaneError(ErrorCode.E_TOO_LARGE, `${given.length} names given; at most ${MAX_ZIP_NAMES} per zip.`, { hint: 'Zip their folder instead.' })
  const names = topNames(given)
  const storage = await options.storageOf(path.alias)
  // Every name must exist before the first byte: a missing one is a 404, not a zip without it.
  for (const name of names) await storage.stat(name)
  const filename = zipFilename(request.query.get('filename'), names, path.alias)
  const transfer = options.transfers.begin({ id: transferId, kind: 'zip', from: { alias: path.alias, name: names[0]! }, to: null, label: `${filename} ← ${path.alias}:` })
  const body = zipStream(storage, names, transfer)
  const headers = { ...FILE_HEADERS, 'content-type': 'application/zip', 'content-disposition': contentDisposition('attachment', filename) }
  return { status: 200, headers, body: tracked(body, transfer, request.signal, null) }
}

/** The transfer ends with the body: done when it was read to its end, cancelled when the client left. */
function tracked(body: Readable, transfer: Transfer, clientGone: AbortSignal, resultName: string | null): Readable {
  let ended = false
  body.once('end', () => {
    ended = true
    if (resultName) transfer.fileDone()
    transfer.finish(resultName)
  })
  body.once('close', () => {
    if (ended) return
    if (clientGone.aborted) transfer.cancel()
    else transfer.fail(body.errored ?? new BackplaneError(ErrorCode.E_CONNECTION_RESET, 'The download stopped before its end.'))
  })
  const stop = () => body.destroy(toBackplaneError(transfer.signal.reason))
  transfer.signal.addEventListener('abort', stop, { once: true })
  return destroyedOnAbort(body, clientGone)
}

function destroyedOnAbort(body: Readable, signal: AbortSignal): Readable {
  if (signal.aborted) body.destroy()
  else signal.addEventListener('abort', () => body.destroy(), { once: true })
  return body
}

function etagOf(entry: StorageEntry): string {
  if (entry.etag) return /^(W\/)?".*"$/.test(entry.etag) ? entry.etag : `"${entry.etag.replace(/"/g, '')}"`
  const mtime = entry.modified ? Date.parse(entry.modified) : 0
  return `"${(entry.size ?? 0).toString(16)}-${Math.trunc(mtime).toString(16)}"`
}

/** RFC 9110 §13.1.2: If-None-Match (weak comparison) wins; If-Modified-Since only without it. */
function notModified(request: StorageHttpRequest, etag: string, entry: StorageEntry): boolean {
  const noneMatch = request.header('if-none-match')
  const strip = (tag: string) => tag.trim().replace(/^W\//, '')
  if (noneMatch !== undefined) return noneMatch.trim() === '*' || noneMatch.split(',').some((tag) => strip(tag) === strip(etag))
  const since = request.header('if-modified-since')
  if (since === undefined || !entry.modified) return false
  const sinceMs = Date.parse(since)
  return !Number.isNaN(sinceMs) && Math.floor(Date.parse(entry.modified) / 1000) * 1000 <= sinceMs
}

/** Inline only for what shows without running anything, and then sandboxed; everything else downloads. */
function dispositionOf(entry: StorageEntry, inline: boolean): Record<string, string> {
  const type = contentTypeOf(entry.name, entry.contentType)
  const inlineType = inline ? inlineTypeOf(type) : null
  const filename = baseName(entry.name)
  if (inlineType) return { 'content-type': inlineType, 'content-disposition': contentDisposition('inline', filename) }
  return { 'content-type': type, 'content-disposition': contentDisposition('attachment', filename) }
}

function transferIdOf(query: URLSearchParams): string | undefined {
  const id = query.get('transfer')
  if (id === null) return undefined
  if (!/^[A-Za-z0-9_-]{1,100}$/.test(id)) throw new BackplaneError(ErrorCode.E_INVALID_INPUT, 'transfer= is 1 to 100 letters, digits, "-" or "_".', { hint: 'Use an id such as upload-3f2a.' })
  return id
}

function conflictOf(query: URLSearchParams): Conflict {
  const value = query.get('conflict') ?? 'rename'
  if (!(CONFLICTS as readonly string[]).includes(value)) {
    throw new BackplaneError(ErrorCode.E_INVALID_INPUT, `conflict= is rename, overwrite or fail, not "${value.slice(0, 40)}".`, { hint: 'rename (the default) keeps both files, as Django does.' })
  }
  return value as Conflict
}

function contentLengthOf(header: string | undefined): number | undefined {
  if (header === undefined) return undefined
  if (!/^\d{1,16}$/.test(header.trim())) throw new BackplaneError(ErrorCode.E_INVALID_INPUT, 'Content-Length is not a number of bytes.')
  return Number(header.trim())
}

function zipFilename(given: string | null, names: string[], alias: string): string {
  if (given !== null) {
    // eslint-disable-next-line no-control-regex -- a header value cannot hold them
    if (given === '' || given.length > 255 || /[\u0000-\u001f\u007f/\\]/.test(given)) {
      throw new BackplaneError(ErrorCode.E_INVALID_NAME, 'filename= is 1 to 255 characters, without "/", "\\" or control characters.')
    }
    return given
  }
  const base = names.length === 1 ? baseName(names[0]!) : baseName(commonFolder(names)) || alias
  return `${base}.zip`
}

function methodNotAllowed(allowed: string, path: RoutePath): BackplaneError {
  return new BackplaneError(ErrorCode.E_METHOD_NOT_ALLOWED, `Use ${allowed} for the storage ${path.route === 'zip' ? 'zip ' : ''}route.`, { status: 405 })
}

function pick(headers: Record<string, string>, names: string[]): Record<string, string> {
  return Object.fromEntries(names.filter((n) => headers[n] !== undefined).map((n) => [n, headers[n]!]))
}
