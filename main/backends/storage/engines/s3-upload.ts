import { AbortMultipartUploadCommand, CreateMultipartUploadCommand, type PutObjectCommandInput, type S3Client } from '@aws-sdk/client-s3'
import { Upload } from '@aws-sdk/lib-storage'
import type { Readable } from 'node:stream'
import type { Logger } from '../../../core/log'

/** S3 allows at most 10,000 parts in one multipart upload. */
const MAX_PARTS = 10_000
/** Parts uploaded at once: memory holds about this many parts (lib-storage buffers queueSize × partSize). */
const QUEUE_SIZE = 2
const MiB = 1024 * 1024

export interface UploadRequest {
  client: S3Client
  params: Omit<PutObjectCommandInput, 'Body'> & { Bucket: string; Key: string }
  body: Readable
  partSizeMiB: number
  /** The length when known: a file of more than 10,000 parts gets larger parts. */
  size?: number
  signal?: AbortSignal
  log: Logger
}

/**
 * Streams a body to one key with lib-storage's Upload: a single PUT when it fits in one part, else a
 * multipart upload that S3 makes visible only when completed. On any failure nothing is left: every
 * request in flight is aborted, then each multipart upload begun is aborted (its parts deleted) before
 * the error is thrown. lib-storage alone does not promise that: its done() rejects at once on abort while
 * its own cleanup runs later, if at all. So the client it gets is wrapped to see every request it sends.
 */
export async function uploadObject(request: UploadRequest): Promise<void> {
  const { client, body, signal } = request
  const stop = new AbortController()
  const onAbort = (): void => stop.abort()
  signal?.addEventListener('abort', onAbort, { once: true })
  const tracker = new RequestTracker(client, stop.signal)
  const partSize = Math.max(request.partSizeMiB * MiB, request.size ? Math.ceil(request.size / MAX_PARTS) : 0)
  const upload = new Upload({ client: tracker.client, params: { ...request.params, Body: body }, partSize, queueSize: QUEUE_SIZE, abortController: stop })
  try {
    signal?.throwIfAborted()
    await upload.done()
  } catch (err) {
    stop.abort()
    body.destroy()
    await tracker.close()
    await abortUploads(client, request, tracker.uploadIds)
    throw err
  } finally {
    signal?.removeEventListener('abort', onAbort)
  }
}

async function abortUploads(client: S3Client, request: UploadRequest, uploadIds: ReadonlySet<string>): Promise<void> {
  const { Bucket, Key } = request.params
  for (const UploadId of uploadIds) {
    try {
      await client.send(new AbortMultipartUploadCommand({ Bucket, Key, UploadId }))
    } catch (err) {
      // The server is gone (that may be why the upload failed): its parts stay until a lifecycle rule
      // (AbortIncompleteMultipartUpload) removes them; they are never visible as an object.
      request.log.warn(`Could not abort the unfinished multipart upload ${UploadId} of "${Key}" in bucket "${Bucket}" (${(err as Error).name}); its parts stay on the server until a lifecycle rule removes them.`)
    }
  }
}

const writing = new Map<string, number>()

/**
 * Marks a key as being written by this process until the returned release() is called; null when an
 * exclusive write finds it taken already. S3 servers that ignore If-None-Match (s3rver, older MinIO and
 * Ceph) would otherwise let two concurrent saves of one name both pass the HEAD check and one overwrite
 * the other; this closes that window for writers in one Backplane, whichever alias they come through.
 */
export function reserveKey(slot: string, exclusive: boolean): (() => void) | null {
  const count = writing.get(slot) ?? 0
  if (exclusive && count > 0) return null
  writing.set(slot, count + 1)
  let released = false
  return () => {
    if (released) return
    released = true
    const left = (writing.get(slot) ?? 1) - 1
    if (left > 0) writing.set(slot, left)
    else writing.delete(slot)
  }
}

type Send = S3Client['send']

/**
 * The client as Upload sees it: every request carries the upload's abort signal (so an abort stops a
 * part in flight, not only the next one), the IDs of multipart uploads begun are kept, and after close()
 * nothing more is sent. CreateMultipartUpload alone is never aborted, so no upload begins unseen.
 */
class RequestTracker {
  readonly uploadIds = new Set<string>()
  readonly client: S3Client
  private readonly inFlight = new Set<Promise<unknown>>()
  private closed = false

  constructor(target: S3Client, signal: AbortSignal) {
    const send = ((command: Parameters<Send>[0], options?: Parameters<Send>[1]) => {
      if (this.closed) return Promise.reject(Object.assign(new Error('Upload aborted.'), { name: 'AbortError' }))
      const creates = command instanceof CreateMultipartUploadCommand
      const sent = target.send(command, { ...(options as object), ...(creates ? {} : { abortSignal: signal }) }).then((output: unknown) => {
        const uploadId = creates ? (output as { UploadId?: string }).UploadId : undefined
        if (uploadId) this.uploadIds.add(uploadId)
        return output
      })
      this.inFlight.add(sent)
      const forget = (): void => void this.inFlight.delete(sent)
      sent.then(forget, forget)
      return sent
    }) as Send
    this.client = new Proxy(target, { get: (t, property, receiver) => (property === 'send' ? send : Reflect.get(t, property, receiver)) })
  }

  /** Sends nothing more and waits for what is in flight to settle. */
  async close(): Promise<void> {
    this.closed = true
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight])
  }
}
