import {
  CopyObjectCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  type ListObjectsV2CommandInput,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3'
import { getSignedUrl } from '@aws-sdk/s3-request-presigner'
import { PassThrough, Readable } from 'node:stream'
import { defineEngine, type EngineContext } from '../../../core/engine'
import { BackplaneError, ErrorCode } from '../../../core/errors'
import { contentTypeOf } from '../content-types'
import {
  BaseStorage,
  isAddressable,
  NameTakenError,
  normalizeName,
  notFound,
  type CopyOptions,
  type ExclusiveWrite,
  type OpenOptions,
  type PresignOptions,
  type StorageEntry,
  type StorageFeatures,
  type StorageListing,
  type FolderPageRequest,
  type WriteOptions,
} from '../base'
import { isForbidden, isInvalidRange, isNotFound, isPreconditionFailed, s3Error, type S3ErrorContext } from './s3-errors'
import { listFolderPage } from './s3-listing'
import { MAX_PRESIGN_SECONDS, S3Options } from './s3-options'
import { reserveKey, uploadObject } from './s3-upload'

/** CopyObject copies at most 5 GiB; larger objects stream through Backplane (the base's copy). */
const MAX_COPY_BYTES = 5 * 1024 ** 3
/** DeleteObjects takes at most 1000 keys a call. */
const DELETE_BATCH = 1000
/** S3 refuses keys longer than this many bytes of UTF-8 (and s3rver, storing keys as file names, fails on far less). */
const MAX_KEY_BYTES = 1024
/** Tries per request (the SDK's default is 3 with backoff): a server that vanished answers in seconds. */
const MAX_ATTEMPTS = 2
const CONNECT_TIMEOUT_MS = 5_000
/** Socket inactivity, not the length of a transfer: a part or a download may take as long as it needs. */
const IDLE_TIMEOUT_MS = 60_000

/**
 * django-storages' S3Storage on any S3-compatible service: a key prefix is the root, "folders" are key
 * prefixes (plus zero-byte "name/" markers for empty ones), uploads are multipart and invisible until
 * complete, copies happen on the server.
 */
export class S3Storage extends BaseStorage {
  override readonly features: StorageFeatures = { localPath: false, presignedUrls: true, folders: 'prefix' }
  private readonly client: S3Client
  private readonly bucket: string
  private readonly prefix: string
  private readonly server: string

  constructor(
    private readonly s3: S3Options,
    ctx: EngineContext,
  ) {
    super(s3, ctx)
    this.bucket = s3.bucket
    this.prefix = s3.prefix
    this.server = s3.endpoint ? new URL(s3.endpoint).host : `Amazon S3 (${s3.region})`
    this.client = new S3Client({
      region: s3.region,
      ...(s3.endpoint ? { endpoint: s3.endpoint } : {}),
      forcePathStyle: s3.forcePathStyle ?? s3.endpoint !== undefined,
      credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey, ...(s3.sessionToken ? { sessionToken: s3.sessionToken } : {}) },
      maxAttempts: MAX_ATTEMPTS,
      requestHandler: { connectionTimeout: CONNECT_TIMEOUT_MS, requestTimeout: IDLE_TIMEOUT_MS },
      // Checksums only where S3 requires them: the SDK's newer default (CRC32 trailers, aws-chunked
      // bodies) is refused by many S3-compatible servers.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    })
  }

  async writeFile(name: string, content: Readable, options: WriteOptions & ExclusiveWrite): Promise<string> {
    const release = reserveKey(`${this.server}\n${this.bucket}\n${this.key(name)}`, options.exclusive)
    if (!release) throw new NameTakenError(name)
    try {
      const existing = await this.statEntry(name)
      if (existing?.type === 'dir') {
        content.destroy()
        throw new BackplaneError(ErrorCode.E_IS_DIRECTORY, `"${name}" is a folder.`, { hint: 'Choose another name for the file.' })
      }
      if (options.exclusive && existing) throw new NameTakenError(name)
      await this.upload(name, content, options)
      return name
    } finally {
      release()
    }
  }

  private async upload(name: string, content: Readable, options: WriteOptions & ExclusiveWrite): Promise<void> {
    try {
      await uploadObject({
        client: this.client,
        // If-None-Match: * makes AWS refuse to complete over a key written meanwhile by another client
        // (servers that ignore the header, s3rver among them, have only the checks above).
        params: { Bucket: this.bucket, Key: this.key(name), ContentType: contentTypeOf(name, options.contentType), ...(options.exclusive ? { IfNoneMatch: '*' } : {}) },
        body: content,
        partSizeMiB: this.s3.partSizeMiB,
        ...(options.size !== undefined ? { size: options.size } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
        log: this.ctx.log,
      })
    } catch (err) {
      if (options.signal?.aborted) throw s3Error({ name: 'AbortError' }, this.context(name))
      // The content is spent, so nextName cannot help: S3 binds an upload to its key.
      if (isPreconditionFailed(err)) throw new NameTakenError(name)
      throw s3Error(err, this.context(name))
    }
  }

  async readFile(name: string, options: OpenOptions): Promise<Readable> {
    if (name === '') throw isFolder(name)
    const range = options.range && (options.range.start > 0 || options.range.end !== undefined) ? `bytes=${options.range.start}-${options.range.end ?? ''}` : undefined
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.key(name), ...(range ? { Range: range } : {}) }), options.signal ? { abortSignal: options.signal } : {})
      return typedBody(out.Body as Readable, this.context(name))
    } catch (err) {
      // A start at or past the end: S3 says 416; the other engines (and fs) read nothing, and so does this one.
      if (isInvalidRange(err)) return Readable.from([], { objectMode: false })
      if (!isNotFound(err)) throw s3Error(err, this.context(name))
      if ((await this.statEntry(name))?.type === 'dir') throw isFolder(name)
      throw notFound(name)
    }
  }

  async statEntry(name: string): Promise<StorageEntry | null> {
    if (name === '') return { name: '', type: 'dir' }
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.key(name) }))
      return {
        name,
        type: 'file',
        size: head.ContentLength ?? 0,
        ...(head.LastModified ? { modified: head.LastModified.toISOString() } : {}),
        ...(head.ContentType ? { contentType: head.ContentType } : {}),
        ...(head.ETag ? { etag: head.ETag } : {}),
      }
    } catch (err) {
      // A HEAD has no body: 404 may mean "no such bucket" and 403 "bad signature"; the LIST says which.
      if (!isNotFound(err) && !isForbidden(err)) throw s3Error(err, this.context(name))
      const under = await this.listKeys({ Prefix: this.dirKey(name), MaxKeys: 1 }, name)
      if ((under.Contents?.length ?? 0) > 0 || (under.CommonPrefixes?.length ?? 0) > 0) return { name, type: 'dir' }
      if (isForbidden(err)) throw s3Error(err, this.context(name))
      return null
    }
  }

  /** S3 lists the keys anyway, and a page costs no request per entry: a name filter (`keep`) is left to the base. */
  async listFolder(dir: string, { cursor, limit }: FolderPageRequest): Promise<StorageListing> {
    return listFolderPage((page) => this.listKeys({ Prefix: this.dirKey(dir), Delimiter: '/', MaxKeys: 1000, ...page }, dir || undefined), {
      keyPrefix: this.dirKey(dir),
      namePrefix: dir ? dir + '/' : '',
      cursor,
      limit,
    })
  }

  /**
   * A file key of that name is deleted alone, even when keys under "name/" exist too (written by another
   * client, the listing shows a file and a folder of one name): deleting the file never takes the folder.
   * With no such file, the folder: every key under "name/", its marker included.
   */
  async deleteEntry(name: string): Promise<void> {
    if (await this.keyExists(name)) {
      await this.call(name, () => this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.key(name) })))
      return
    }
    await this.deleteKeysUnder(name)
  }

  /**
   * Folders are prefixes here: the folder's marker key alone is deleted, once no other key is under it.
   * A key written meanwhile is never deleted; the folder then stays, as that key's prefix.
   */
  override async removeFolderIfEmpty(name: string): Promise<boolean> {
    const n = normalizeName(name)
    if (n === '' || (await this.keyExists(n))) return false
    const marker = this.dirKey(n)
    const under = await this.listKeys({ Prefix: marker, MaxKeys: 2 }, n)
    const keys = (under.Contents ?? []).map((o) => o.Key ?? '')
    if (keys.length === 0 || keys.some((key) => key !== marker)) return false
    await this.call(n, () => this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: marker })))
    return true
  }

  private async deleteKeysUnder(name: string, only?: (key: string) => boolean): Promise<void> {
    let token: string | undefined
    do {
      const page = await this.listKeys({ Prefix: this.dirKey(name), MaxKeys: DELETE_BATCH, ...(token ? { ContinuationToken: token } : {}) }, name)
      const keys = (page.Contents ?? []).flatMap((o) => (o.Key && (!only || only(o.Key)) ? [{ Key: o.Key }] : []))
      if (keys.length) {
        const result = await this.call(name, () => this.client.send(new DeleteObjectsCommand({ Bucket: this.bucket, Delete: { Objects: keys, Quiet: true } })))
        const failed = result.Errors ?? []
        if (failed.length) {
          const first = failed[0]!
          throw s3Error({ name: first.Code, message: first.Message, $metadata: { httpStatusCode: first.Code === 'AccessDenied' ? 403 : 500 } }, this.context(this.nameOf(first.Key ?? '')))
        }
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined
    } while (token)
  }

  async createFolder(name: string): Promise<void> {
    checkKeyLength(this.dirKey(name))
    await this.call(name, () => this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: this.dirKey(name), Body: '' })))
  }

  protected override async copyTree(from: string, to: string, options: CopyOptions): Promise<void> {
    await this.copyKeys(from, to, options)
  }

  /**
   * S3 has no rename: a move copies each key on the server, then deletes what it copied. A file moves
   * alone (keys under "from/" stay, see deleteEntry); a folder leaves behind only keys no name can
   * address (copyKeys skipped them), so nothing is deleted that was not copied.
   */
  protected override async renameEntry(from: string, to: string, options: CopyOptions): Promise<void> {
    const copied = await this.copyKeys(from, to, options)
    if (copied === 'file') {
      await this.call(from, () => this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.key(from) })))
      return
    }
    // Only the keys copied go: one written under the folder meanwhile stays (and with it the folder).
    const left = copied.skipped
    await this.deleteKeysUnder(from, (key) => copied.copied.has(key))
    if (left.size) this.ctx.log.warn(`Moving "${from}" to "${to}" left ${left.size} key(s) under "${from}/" that no name can address (a backslash, "a//b", a control character); move them with another S3 client.`)
  }

  /**
   * A file (a key of that name wins over keys under "name/"), or a folder key by key, folder markers
   * included, so the copy has exactly the source's (empty) folders. Keys no name can address ("a\\b",
   * "a//b") are skipped: a target key built from them would land on another name. Returns 'file', or the
   * keys copied and the keys skipped.
   */
  private async copyKeys(from: string, to: string, options: CopyOptions): Promise<'file' | { copied: Set<string>; skipped: Set<string> }> {
    const entry = await this.statEntry(from)
    if (!entry) throw notFound(from)
    if (entry.type === 'file') {
      await this.copyFile(from, to, options)
      return 'file'
    }
    const skipped = new Set<string>()
    const copied = new Set<string>()
    let token: string | undefined
    do {
      options.signal?.throwIfAborted()
      const page = await this.listKeys({ Prefix: this.dirKey(from), ...(token ? { ContinuationToken: token } : {}) }, from)
      for (const object of page.Contents ?? []) {
        options.signal?.throwIfAborted()
        const key = object.Key ?? ''
        const rest = key.slice(this.dirKey(from).length)
        if (rest !== '' && !isAddressable(`${from}/${rest.replace(/\/$/, '')}`)) {
          skipped.add(key)
          continue
        }
        await this.copyKey(`${from}/${rest}`, `${to}/${rest}`, object.Size ?? 0, options)
        copied.add(key)
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined
    } while (token)
    return { copied, skipped }
  }

  protected override async copyFile(from: string, to: string, options: CopyOptions): Promise<void> {
    const source = await this.statEntry(from)
    if (source?.type !== 'file') throw notFound(from)
    checkKeyLength(this.key(to))
    await this.copyKey(from, to, source.size ?? 0, options)
  }

  override async presignedUrl(name: string, options: PresignOptions = {}): Promise<string | null> {
    const n = normalizeName(name)
    if (n === '') throw new BackplaneError(ErrorCode.E_INVALID_NAME, 'A presigned URL is for a file; the root has none.', { hint: 'Choose a file.' })
    const expiresIn = Math.min(MAX_PRESIGN_SECONDS, Math.max(1, Math.round(options.expiresInSeconds ?? this.s3.presignExpirySeconds)))
    const target = { Bucket: this.bucket, Key: this.key(n) }
    return getSignedUrl(this.client, options.method === 'PUT' ? new PutObjectCommand(target) : new GetObjectCommand(target), { expiresIn })
  }

  /** HeadBucket: whether the bucket is there and the key may use it; a check writes nothing. */
  protected async serverVersion(): Promise<string> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }))
    } catch (err) {
      // 403 on a HEAD is "denied" or "wrong secret" alike; a LIST's error body says which.
      if (isForbidden(err)) await this.listKeys({ MaxKeys: 1, ...(this.prefix ? { Prefix: this.prefix } : {}) })
      throw s3Error(err, this.context())
    }
    return `bucket ${this.bucket}${this.prefix ? `, prefix ${this.prefix}` : ''} on ${this.server}`
  }

  /** The bucket and prefix on this server ("aws" for Amazon S3, where bucket names are global). */
  override async rootPlace(): Promise<string> {
    const host = this.s3.endpoint ? new URL(this.s3.endpoint).host : 'aws'
    const path = [this.bucket, ...this.prefix.split('/').filter(Boolean)].map(encodeURIComponent).join('/')
    return `s3://${host}/${path}`
  }

  override async close(): Promise<void> {
    this.client.destroy()
  }

  /** One file's key to another's, on the server; `from` and `to` are names, or names of folder markers ("a/b/"). */
  private async copyKey(from: string, to: string, size: number, options: CopyOptions): Promise<void> {
    if (to.endsWith('/')) {
      // A folder marker: an existing folder of that name is no clash (as makeFolder).
      if (await this.keyExists(to)) return
    } else if (!options.overwrite && (await this.keyExists(to))) throw new NameTakenError(to)
    if (size > MAX_COPY_BYTES) return super.copyFile(from, to, options)
    const source = `${this.bucket}/${this.key(from).split('/').map(encodeURIComponent).join('/')}`
    try {
      await this.client.send(
        new CopyObjectCommand({ Bucket: this.bucket, Key: this.key(to), CopySource: source, ...(options.overwrite ? {} : { IfNoneMatch: '*' }) }),
        options.signal ? { abortSignal: options.signal } : {},
      )
    } catch (err) {
      if (isPreconditionFailed(err)) throw new NameTakenError(to)
      if (isNotFound(err)) throw notFound(from)
      throw s3Error(err, this.context(to))
    }
  }

  private async keyExists(name: string): Promise<boolean> {
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.key(name) }))
      return true
    } catch (err) {
      if (isNotFound(err)) return false
      throw s3Error(err, this.context(name))
    }
  }

  private listKeys(input: Omit<ListObjectsV2CommandInput, 'Bucket'>, name?: string) {
    return this.call(name, () => this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, ...input })))
  }

  private async call<T>(name: string | undefined, run: () => Promise<T>): Promise<T> {
    try {
      return await run()
    } catch (err) {
      throw s3Error(err, this.context(name))
    }
  }

  /** A name's key: the prefix is the root, and names come normalised (no "..", no leading "/"). */
  private key(name: string): string {
    return checkKeyLength(this.prefix + name)
  }

  /** The key prefix of what is in a folder, "/"-terminated; the storage prefix for the root. */
  private dirKey(name: string): string {
    return name ? `${this.prefix}${name}/` : this.prefix
  }

  private nameOf(key: string): string {
    return key.startsWith(this.prefix) ? key.slice(this.prefix.length) : key
  }

  private context(name?: string): S3ErrorContext {
    return { bucket: this.bucket, server: this.server, accessKeyId: this.s3.accessKeyId, ...(name ? { name } : {}) }
  }
}

/** A key S3 cannot hold, refused before any request (S3 would say 400 KeyTooLong, s3rver crashes). */
function checkKeyLength(key: string): string {
  // Cheap first: a key of at most 256 UTF-16 units is at most 1,024 bytes of UTF-8.
  const bytes = key.length <= MAX_KEY_BYTES / 4 ? 0 : Buffer.byteLength(key)
  if (bytes > MAX_KEY_BYTES) {
    throw new BackplaneError(ErrorCode.E_INVALID_NAME, `The name is too long for S3: its key would be ${bytes} bytes of UTF-8, and S3 allows ${MAX_KEY_BYTES} (the prefix included).`, {
      hint: 'Choose a shorter name, or fewer or shorter folders.',
    })
  }
  return key
}

/** The object's bytes, a failure midway (the connection reset, the server gone) as a typed error, not Node's raw one. */
function typedBody(body: Readable, ctx: S3ErrorContext): Readable {
  const out = new PassThrough()
  body.on('error', (err) => out.destroy(s3Error(err, ctx)))
  // A reader that stops (a client gone, a cancel) lets go of the body and its socket.
  out.on('close', () => body.destroy())
  return body.pipe(out)
}

function isFolder(name: string): BackplaneError {
  return new BackplaneError(ErrorCode.E_IS_DIRECTORY, `"${name || '/'}" is a folder.`, { hint: 'Open a file inside it instead.' })
}

export const s3Engine = defineEngine({
  kind: 'storage',
  id: 's3',
  title: 'S3-compatible',
  description: "django-storages' S3Storage: a bucket (and key prefix) on Amazon S3 or any S3-compatible server (MinIO, Ceph, R2, Wasabi…).",
  options: S3Options,
  create: (options, ctx) => new S3Storage(options, ctx),
})
