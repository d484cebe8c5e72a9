import { ErrorCode, type ErrorPayload } from '../../../main/api/contract'
import { baseName, parentOf } from './entry-names'
import { RateMeter } from './rate-meter'
import { newTransferId, uploadUrl } from './storage-urls'
import type { Conflict, Transfer } from './types'

/** Uploads at a time: enough to hide a request's latency with many small files, few enough not to starve one big one. */
const PARALLEL = 3
/** XHR progress fires per chunk; the panel needs a few updates a second. */
const NOTIFY_MS = 200

export interface UploadItem {
  file: File
  /** The name in the storage (folder and relative path joined). */
  name: string
}

interface Upload {
  view: Transfer
  file: File
  alias: string
  conflict: Conflict
  meter: RateMeter
  request?: XMLHttpRequest
}

/**
 * The uploads this page sends: each file one PUT (XMLHttpRequest, for upload.onprogress) with its
 * transfer id, so the server lists it too. Kept outside React, so an upload keeps going and stays in
 * the panel when the page changes folder, alias or section.
 */
export class UploadQueue {
  private readonly uploads = new Map<string, Upload>()
  private readonly listeners = new Set<() => void>()
  private snapshot: Transfer[] = []
  private notifyTimer: ReturnType<typeof setTimeout> | null = null
  private readonly finishedListeners = new Set<(view: Transfer) => void>()

  readonly subscribe = (listener: () => void) => {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  readonly getSnapshot = () => this.snapshot

  /** Called once per upload that ended (done, failed or cancelled): the listing refreshes. */
  onFinished(listener: (view: Transfer) => void): () => void {
    this.finishedListeners.add(listener)
    return () => this.finishedListeners.delete(listener)
  }

  enqueue(alias: string, items: readonly UploadItem[], conflict: Conflict): string[] {
    const ids = items.map(({ file, name }) => {
      const id = newTransferId()
      const folder = parentOf(name)
      this.uploads.set(id, {
        file,
        alias,
        conflict,
        meter: new RateMeter(),
        view: {
          id,
          kind: 'upload',
          state: 'queued',
          from: null,
          to: { alias, name },
          label: `${baseName(name)} → ${alias}:${folder ? `${folder}/` : '/'}`,
          bytesDone: 0,
          bytesTotal: file.size,
          filesDone: 0,
          filesTotal: 1,
          bytesPerSecond: 0,
          secondsLeft: null,
          current: null,
          startedAt: new Date().toISOString(),
          finishedAt: null,
          resultName: null,
          error: null,
        },
      })
      return id
    })
    this.pump()
    this.notify(true)
    return ids
  }

  /** Stops an upload of this page (false when the id is not one). */
  cancel(id: string): boolean {
    const upload = this.uploads.get(id)
    if (!upload) return false
    if (upload.view.state === 'queued') this.finish(upload, { state: 'cancelled' })
    else upload.request?.abort()
    return true
  }

  clearFinished(): void {
    for (const [id, upload] of this.uploads) if (upload.view.finishedAt !== null) this.uploads.delete(id)
    this.notify(true)
  }

  private pump(): void {
    const running = [...this.uploads.values()].filter((upload) => upload.view.state === 'running').length
    const waiting = [...this.uploads.values()].filter((upload) => upload.view.state === 'queued')
    for (const upload of waiting.slice(0, Math.max(0, PARALLEL - running))) this.send(upload)
  }

  private send(upload: Upload): void {
    const request = new XMLHttpRequest()
    upload.request = request
    upload.view = { ...upload.view, state: 'running', startedAt: new Date().toISOString() }
    upload.meter.add(0)
    request.open('PUT', uploadUrl(upload.alias, upload.view.to?.name ?? upload.file.name, upload.conflict, upload.view.id))
    request.setRequestHeader('content-type', upload.file.type || 'application/octet-stream')
    request.upload.onprogress = (event) => {
      upload.meter.add(event.loaded)
      upload.view = { ...upload.view, bytesDone: event.loaded, bytesPerSecond: upload.meter.bytesPerSecond(), secondsLeft: upload.meter.secondsLeft(upload.file.size) }
      this.notify()
    }
    request.onload = () => {
      if (request.status >= 200 && request.status < 300) {
        const stored = parseJson(request.responseText) as { name?: unknown } | undefined
        const resultName = typeof stored?.name === 'string' ? stored.name : (upload.view.to?.name ?? null)
        this.finish(upload, { state: 'done', bytesDone: upload.file.size, filesDone: 1, resultName })
      } else {
        this.finish(upload, { state: 'failed', error: errorOf(request) })
      }
    }
    request.onerror = () =>
      this.finish(upload, {
        state: 'failed',
        error: { code: ErrorCode.E_DISCONNECTED, message: `The upload of ${upload.file.name} stopped: the connection to Backplane was lost.`, hint: 'Check that Backplane is still running, then upload the file again.' },
      })
    request.onabort = () => this.finish(upload, { state: 'cancelled' })
    request.send(upload.file)
  }

  private finish(upload: Upload, change: Partial<Transfer>): void {
    upload.request = undefined
    upload.view = { ...upload.view, bytesPerSecond: 0, secondsLeft: null, finishedAt: new Date().toISOString(), ...change }
    for (const listener of this.finishedListeners) listener(upload.view)
    this.pump()
    this.notify(true)
  }

  private notify(now = false): void {
    const flush = () => {
      this.notifyTimer = null
      this.snapshot = [...this.uploads.values()].map((upload) => upload.view)
      for (const listener of this.listeners) listener()
    }
    if (now) {
      if (this.notifyTimer) clearTimeout(this.notifyTimer)
      flush()
    } else if (!this.notifyTimer) {
      this.notifyTimer = setTimeout(flush, NOTIFY_MS)
    }
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return undefined
  }
}

/** The route answers errors as the rest of the API does, `{ error: { code, message, hint } }`; a proxy or a crash may not. */
function errorOf(request: XMLHttpRequest): ErrorPayload {
  const body = parseJson(request.responseText) as { error?: Partial<ErrorPayload> } | undefined
  const error = body?.error
  if (error && typeof error.code === 'string' && typeof error.message === 'string') return { code: error.code, message: error.message, hint: error.hint, details: error.details }
  return { code: ErrorCode.E_CLIENT, message: `The upload was refused (HTTP ${request.status}).`, hint: 'See the log of Backplane for what went wrong.' }
}

/** One queue for the whole renderer: uploads outlive the page that started them. */
export const uploadQueue = new UploadQueue()
