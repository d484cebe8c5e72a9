import { Readable } from 'node:stream'
import { z } from 'zod'
import { kindSpec, type Backend, type EngineContext } from '../../core/engine'
import { BackplaneError, ErrorCode } from '../../core/errors'
import { HealthProbe } from '../../core/health-probe'
import { nameMatcher } from '../../core/schemas/name-match'
import type { HealthReport } from '../../core/schemas/health'
import { alternativeName, baseName, codePoints, extensionOf, getValidName, normalizeName, splitName, validFileName } from './names'

export * from './names'

export const StorageOptions = z.object({
  baseUrl: z.string().optional().describe('Public URL prefix of stored files (Django: base_url / MEDIA_URL), if they are served.'),
})
export type StorageOptions = z.output<typeof StorageOptions>

export interface StorageEntry {
  /** Full name inside the storage, "/"-separated, no leading slash. */
  name: string
  type: 'file' | 'dir'
  size?: number
  modified?: string
  created?: string
  accessed?: string
  /** What the server says the file is (S3's Content-Type); otherwise absent, and the GUI guesses from the name. */
  contentType?: string
  /** S3's ETag (quoted as S3 gives it), or another checksum the engine has for free. */
  etag?: string
}

export interface StorageListing {
  entries: StorageEntry[]
  cursor: string | null
}

export type StorageContent = Readable | Uint8Array | string

/** Bytes `start` to `end`, both included, as HTTP's Range counts them; no `end` reads to the end. */
export interface ByteRange {
  start: number
  end?: number
}

export interface OpenOptions {
  range?: ByteRange
  signal?: AbortSignal
}

export interface ListOptions {
  cursor?: string | null
  limit?: number
  /**
   * Only entries whose own name (not their folder's) contains this, ignoring case. A page may then hold
   * fewer than `limit` entries, none even, and still have a cursor: a call looks through a bounded part
   * of the folder (FILTER_SCAN_PAGES pages, FILTER_SCAN_MS), and the cursor goes on from there.
   */
  contains?: string
}

/** What listFolder is asked for. */
export interface FolderPageRequest {
  cursor: string | null
  limit: number
  /**
   * Whether a name inside the folder is wanted (the filter of list's `contains`). An engine may apply
   * it before doing per-entry work (a stat), to save that work; what it returns is filtered again.
   */
  keep?: (name: string) => boolean
}

export interface WriteOptions {
  /** Aborting stops the write; nothing is left under the name (nor a temporary file, nor an open multipart upload). */
  signal?: AbortSignal
  /** The length in bytes, when known: S3 picks its part size by it. */
  size?: number
  contentType?: string
}

export interface SaveOptions extends WriteOptions {
  /** Django's max_length: a name longer than this is shortened (its root) before the clash suffix. */
  maxLength?: number
}

export interface PutOptions extends WriteOptions {
  /** Replace a file of that name (atomically: readers see the old bytes or the new, never a mix). */
  overwrite?: boolean
}

export interface CopyOptions {
  overwrite?: boolean
  signal?: AbortSignal
}

export interface PresignOptions {
  expiresInSeconds?: number
  method?: 'GET' | 'PUT'
}

/** What an engine can do beyond the common set, so the GUI offers only what works. */
export interface StorageFeatures {
  /** path(name) gives a file on this computer (filesystem). */
  localPath: boolean
  /** presignedUrl() gives a URL that works without Backplane (S3). */
  presignedUrls: boolean
  /** Folders exist by themselves ('real'), or only as the prefix of the names under them ('prefix', S3). */
  folders: 'real' | 'prefix'
}

/**
 * Django's Storage API (docs.djangoproject.com/en/stable/ref/files/storage/), names in and names out,
 * plus what a file browser needs: stat, paged listing, put of an exact name, folders, copy and move.
 */
export interface Storage extends Backend {
  readonly features: StorageFeatures
  // Django's Storage
  /** Django's save(): the given name, or on a clash a free alternative (`_` and 7 random characters); returns the name used. */
  save(name: string, content: StorageContent, options?: SaveOptions): Promise<string>
  open(name: string, options?: OpenOptions): Promise<Readable>
  /** A file, or a folder with everything in it; a name that does not exist is not an error (as Django). */
  delete(name: string): Promise<void>
  exists(name: string): Promise<boolean>
  /** Django's listdir(): the names (not paths) of the folders and of the files in a folder. */
  listdir(path: string): Promise<[string[], string[]]>
  size(name: string): Promise<number>
  url(name: string): string | null
  /** The file on this computer; E_UNSUPPORTED where there is none (Django: NotImplementedError). */
  path(name: string): Promise<string>
  getAccessedTime(name: string): Promise<Date>
  getCreatedTime(name: string): Promise<Date>
  getModifiedTime(name: string): Promise<Date>
  getValidName(name: string): string
  getAvailableName(name: string, maxLength?: number): Promise<string>
  generateFilename(name: string): string
  // Backplane's
  stat(name: string): Promise<StorageEntry>
  list(path: string, options?: ListOptions): Promise<StorageListing>
  /** Writes exactly `name`: E_EXISTS if it is taken, unless `overwrite`. Returns the name. */
  put(name: string, content: StorageContent, options?: PutOptions): Promise<string>
  makeFolder(name: string): Promise<void>
  /**
   * Removes a folder only if it is empty; true if it did. Whatever is in it (a file written into it at
   * that moment, an upload's temporary file) is never deleted: the folder then stays.
   */
  removeFolderIfEmpty(name: string): Promise<boolean>
  /** A file or a whole folder, inside this storage. Across aliases, the transfer service streams. */
  copy(from: string, to: string, options?: CopyOptions): Promise<void>
  move(from: string, to: string, options?: CopyOptions): Promise<void>
  /** A URL that works without Backplane for a while, or null where the engine has none. */
  presignedUrl(name: string, options?: PresignOptions): Promise<string | null>
  /**
   * Where the root really is, as a URL (`file:///srv/media`, `s3://host/bucket/prefix`,
   * `sftp://host:22/home/u/media`): two aliases whose places are equal, or one inside the other, share
   * files, so a copy or move between them is treated as one inside a single storage (never onto itself).
   */
  rootPlace(): Promise<string>
}

export function isStorage(backend: Backend): backend is Storage {
  const s = backend as Partial<Storage>
  return typeof s.save === 'function' && typeof s.list === 'function' && typeof s.put === 'function'
}

export const storageKind = kindSpec<Storage>()({
  kind: 'storage',
  methods: ['save', 'open', 'delete', 'exists', 'listdir', 'size', 'url', 'path', 'getAccessedTime', 'getCreatedTime', 'getModifiedTime', 'getValidName', 'getAvailableName', 'generateFilename', 'stat', 'list', 'put', 'makeFolder', 'removeFolderIfEmpty', 'copy', 'move', 'presignedUrl', 'rootPlace'],
  baseOptions: StorageOptions.passthrough(),
})

declare module '../../core/engine' {
  interface BackendKinds {
    storage: Storage
  }
}

/** Thrown by an engine's writeFile() when an exclusive write finds the name taken. */
export class NameTakenError extends BackplaneError {
  constructor(name: string) {
    super(ErrorCode.E_EXISTS, `"${name}" already exists.`, { hint: 'Choose another name, or replace it.' })
  }
}

const SAVE_ATTEMPTS = 100
const DEFAULT_PAGE = 500
/** How much of a folder one filtered list call looks through before it answers with what it found and a cursor. */
const FILTER_SCAN_PAGES = 20
const FILTER_SCAN_MS = 1500

/** What an engine implements: the primitives every public method is built from. Names come normalised ('' is the root). */
export interface ExclusiveWrite {
  /** Fail with NameTakenError rather than replace a file of that name. */
  exclusive: boolean
  /**
   * When an exclusive write finds its name taken only once the content is in (another writer won the
   * race at the final rename), the engine asks this for another free name and commits under it; without
   * it, it throws NameTakenError. save() passes Django's get_available_name.
   */
  nextName?: () => Promise<string>
}

export interface StoragePrimitives {
  /**
   * Writes a whole file, atomically: under a temporary name first and renamed when complete, or an S3
   * upload completed only at the end. Returns the name it was committed under (`name`, or one from
   * nextName). An exclusive write that finds the name taken before reading any content throws
   * NameTakenError (so save() can retry with the stream untouched). On any failure (the content stream
   * erroring, the signal aborting, the server vanishing) nothing is left under `name` and the temporary
   * file or multipart upload is removed.
   */
  writeFile(name: string, content: Readable, options: WriteOptions & ExclusiveWrite): Promise<string>
  /** E_NOT_FOUND if missing, E_IS_DIRECTORY for a folder. */
  readFile(name: string, options: OpenOptions): Promise<Readable>
  /** null if there is nothing of that name. The root ('') is a folder. */
  statEntry(name: string): Promise<StorageEntry | null>
  /** One page of a folder, sorted by name (code unit order); an absent folder is an empty page. */
  listFolder(dir: string, options: FolderPageRequest): Promise<StorageListing>
  /** A file, or a folder with everything in it; nothing of that name is no error. Never the root. */
  deleteEntry(name: string): Promise<void>
  createFolder(name: string): Promise<void>
}

/**
 * What every storage shares, written once: Django's naming rules (get_valid_name, get_available_name
 * with its `_abc1234` suffix and max_length, generate_filename), the name guard, the Django methods on
 * top of stat and list, copy and move by streaming where the engine has nothing faster, and the health
 * check. An engine implements StoragePrimitives and may override copyFile/renameEntry with server-side ones.
 */
export abstract class BaseStorage implements Storage, StoragePrimitives {
  readonly features: StorageFeatures = { localPath: false, presignedUrls: false, folders: 'real' }

  constructor(
    protected readonly options: StorageOptions,
    protected readonly ctx: EngineContext,
  ) {}

  abstract writeFile(name: string, content: Readable, options: WriteOptions & ExclusiveWrite): Promise<string>
  abstract readFile(name: string, options: OpenOptions): Promise<Readable>
  abstract statEntry(name: string): Promise<StorageEntry | null>
  abstract listFolder(dir: string, options: FolderPageRequest): Promise<StorageListing>
  abstract deleteEntry(name: string): Promise<void>
  abstract createFolder(name: string): Promise<void>
  /** What the storage is, for the health report ("folder /srv/media", "bucket media on s3.example.test"). */
  protected abstract serverVersion(): Promise<string>

  /** A file copied inside the storage. The default streams it through Backplane; engines with a server-side copy override it. */
  protected async copyFile(from: string, to: string, options: CopyOptions): Promise<void> {
    const size = (await this.statEntry(from))?.size
    const source = await this.readFile(from, options.signal ? { signal: options.signal } : {})
    try {
      await this.writeFile(to, source, { exclusive: !options.overwrite, ...(options.signal ? { signal: options.signal } : {}), ...(size !== undefined ? { size } : {}) })
    } finally {
      // A write refused before it read anything (the name taken) leaves the source open otherwise.
      source.destroy()
    }
  }

  /**
   * A file or folder renamed. The default moves entry by entry: each file deleted once its copy is whole,
   * each folder once it is empty, so a file written into the source meanwhile is never deleted uncopied
   * (it stays, in its folder). Engines with a rename of their own override it.
   */
  protected async renameEntry(from: string, to: string, options: CopyOptions): Promise<void> {
    const entry = await this.statEntry(from)
    if (!entry) throw notFound(from)
    if (entry.type === 'file') {
      await this.copyFile(from, to, options)
      options.signal?.throwIfAborted()
      await this.deleteEntry(from)
      return
    }
    await this.makeFolder(to)
    // The cursor is a name, so deleting what was listed does not shift the pages still to come.
    for await (const child of this.walkFolder(from, options.signal)) await this.renameEntry(child.name, `${to}/${baseName(child.name)}`, options)
    await this.removeFolderIfEmpty(from)
  }

  /**
   * The default looks, then deletes: a file written between the two would go with the folder. Engines
   * override it with the server's own remove-if-empty (rmdir), or, where folders are only prefixes,
   * with removing the folder's marker alone.
   */
  async removeFolderIfEmpty(name: string): Promise<boolean> {
    const n = normalizeName(name)
    if (n === '' || (await this.statEntry(n))?.type !== 'dir') return false
    if ((await this.listFolder(n, { cursor: null, limit: 1 })).entries.length > 0) return false
    await this.deleteEntry(n)
    return true
  }

  // Django's naming

  getValidName(name: string): string {
    return getValidName(name)
  }

  /**
   * Django's generate_filename(): the folder kept, the file name cleaned by get_valid_name. Override it
   * to file things elsewhere (by date, by user), as Django's upload_to does. save() does not call it,
   * as Django's save() does not: FileField does, before save.
   */
  generateFilename(name: string): string {
    normalizeName(name)
    // Split before normalising, as Django splits: "a/" has an empty file name, which is refused.
    const { dir, file } = splitName(name.replace(/\\/g, '/'))
    const folder = normalizeName(dir)
    return (folder ? folder + '/' : '') + this.getValidName(file)
  }

  /**
   * Django's get_available_name(): the name if free and short enough, else `root_<7 random>.ext`, root
   * shortened to fit maxLength. Lengths count code points, as Python's len() does. A maxLength of 0 is
   * read as Django reads it: a free name is kept (`if max_length` is false), a taken one finds no name that fits.
   */
  async getAvailableName(name: string, maxLength?: number): Promise<string> {
    const wanted = validFileName(name)
    const { dir, file } = splitName(wanted)
    const ext = extensionOf(file)
    let root = [...file.slice(0, file.length - ext.length)]
    let candidate = wanted
    const tooLong = (n: string) => !!maxLength && codePoints(n) > maxLength
    for (let attempt = 0; (await this.exists(candidate)) || tooLong(candidate); attempt++) {
      if (attempt >= SAVE_ATTEMPTS) throw noFreeName(name)
      candidate = dir + this.getAlternativeName(root.join(''), ext)
      // As Django: only an absent max_length skips the truncation; 0 truncates everything and is refused.
      if (maxLength === undefined) continue
      const truncation = codePoints(candidate) - maxLength
      if (truncation > 0) {
        root = root.slice(0, -truncation)
        if (!root.length) {
          throw new BackplaneError(ErrorCode.E_INVALID_NAME, `No free name for "${name}" fits in ${maxLength} characters.`, { hint: 'Allow a longer max_length, or choose a shorter name.' })
        }
        candidate = dir + this.getAlternativeName(root.join(''), ext)
      }
    }
    return candidate
  }

  /** Django's get_alternative_name(): `root_<7 random letters and digits>ext`. Override it (or, in tests, replace it) for other suffixes. */
  getAlternativeName(fileRoot: string, fileExt: string): string {
    return alternativeName(fileRoot, fileExt)
  }

  // Django's Storage

  async save(name: string, content: StorageContent, options: SaveOptions = {}): Promise<string> {
    const stream = toReadable(content)
    const nextName = () => this.getAvailableName(name, options.maxLength)
    for (let attempt = 0; attempt < SAVE_ATTEMPTS; attempt++) {
      const candidate = await nextName()
      try {
        return await this.writeFile(candidate, stream, { ...writeOptions(options), exclusive: true, nextName })
      } catch (err) {
        // Taken between the check and the write (another save won the race), before any content was
        // read: find another name. Once content has been read, the engine had nextName to use.
        if (!(err instanceof NameTakenError) || stream.readableDidRead) throw cancelledOr(err, options.signal, candidate)
      }
    }
    stream.destroy()
    throw noFreeName(name)
  }

  async open(name: string, options: OpenOptions = {}): Promise<Readable> {
    const n = normalizeName(name)
    if (options.range) checkRange(options.range)
    return this.readFile(n, options)
  }

  async delete(name: string): Promise<void> {
    const n = normalizeName(name)
    if (n === '') throw new BackplaneError(ErrorCode.E_INVALID_INPUT, 'The storage root cannot be deleted.', { hint: 'Delete the files and folders in it instead.' })
    await this.deleteEntry(n)
  }

  async exists(name: string): Promise<boolean> {
    return (await this.statEntry(normalizeName(name))) !== null
  }

  async listdir(path: string): Promise<[string[], string[]]> {
    const dirs: string[] = []
    const files: string[] = []
    for await (const entry of this.walkFolder(normalizeName(path))) (entry.type === 'dir' ? dirs : files).push(baseName(entry.name))
    return [dirs, files]
  }

  async size(name: string): Promise<number> {
    const entry = await this.stat(name)
    if (entry.type === 'dir') throw new BackplaneError(ErrorCode.E_IS_DIRECTORY, `"${entry.name}" is a folder.`, { hint: 'Ask for the size of a file in it.' })
    return entry.size ?? 0
  }

  url(name: string): string | null {
    if (this.options.baseUrl === undefined) return null
    const base = this.options.baseUrl.endsWith('/') ? this.options.baseUrl : this.options.baseUrl + '/'
    return base + normalizeName(name).split('/').map(encodeURIComponent).join('/')
  }

  async path(name: string): Promise<string> {
    normalizeName(name)
    throw new BackplaneError(ErrorCode.E_UNSUPPORTED, `The ${this.ctx.engine} engine keeps no files on this computer, so "${name}" has no local path.`, { hint: 'Open the file instead (a stream).' })
  }

  getAccessedTime(name: string): Promise<Date> {
    return this.timeOf(name, 'accessed')
  }

  getCreatedTime(name: string): Promise<Date> {
    return this.timeOf(name, 'created')
  }

  getModifiedTime(name: string): Promise<Date> {
    return this.timeOf(name, 'modified')
  }

  // Backplane's

  async stat(name: string): Promise<StorageEntry> {
    const n = normalizeName(name)
    const entry = await this.statEntry(n)
    if (!entry) throw notFound(name)
    return entry
  }

  async list(path: string, { cursor = null, limit = DEFAULT_PAGE, contains = '' }: ListOptions = {}): Promise<StorageListing> {
    const dir = normalizeName(path)
    if (!contains) return this.listFolder(dir, { cursor: cursor ?? null, limit })
    const keep = nameMatcher(contains)
    const entries: StorageEntry[] = []
    let next = cursor ?? null
    const until = performance.now() + FILTER_SCAN_MS
    // Bounded, so a rare name in a million-key bucket answers in time (the cursor goes on), and so an
    // engine that gives a cursor twice cannot keep the call going.
    for (let pages = 1; ; pages++) {
      const page = await this.listFolder(dir, { cursor: next, limit: limit - entries.length, keep })
      entries.push(...page.entries.filter((entry) => keep(baseName(entry.name))))
      next = page.cursor
      if (next === null || entries.length >= limit || pages >= FILTER_SCAN_PAGES || performance.now() > until) return { entries, cursor: next }
    }
  }

  async put(name: string, content: StorageContent, options: PutOptions = {}): Promise<string> {
    const n = normalizeName(name)
    if (n === '') throw new BackplaneError(ErrorCode.E_INVALID_NAME, 'A file needs a name.', { hint: 'Give the file name after the folder.' })
    validFileName(name)
    try {
      return await this.writeFile(n, toReadable(content), { ...writeOptions(options), exclusive: !options.overwrite })
    } catch (err) {
      throw cancelledOr(err, options.signal, n)
    }
  }

  async makeFolder(name: string): Promise<void> {
    const n = normalizeName(name)
    if (n === '') return
    const existing = await this.statEntry(n)
    if (existing?.type === 'file') throw new BackplaneError(ErrorCode.E_EXISTS, `"${n}" is a file.`, { hint: 'Choose another folder name.' })
    if (!existing) await this.createFolder(n)
  }

  async copy(from: string, to: string, options: CopyOptions = {}): Promise<void> {
    const [source, target] = this.pairOf(from, to)
    if (!(await this.statEntry(source))) throw notFound(from)
    // Checked for the whole tree up front: a folder copied onto a taken name would otherwise fail halfway, half copied.
    if (!options.overwrite && (await this.statEntry(target))) throw new NameTakenError(target)
    await this.copyTree(source, target, options)
  }

  async move(from: string, to: string, options: CopyOptions = {}): Promise<void> {
    const [source, target] = this.pairOf(from, to)
    if (!(await this.statEntry(source))) throw notFound(from)
    if (!options.overwrite && (await this.statEntry(target))) throw new NameTakenError(target)
    await this.renameEntry(source, target, options)
  }

  async presignedUrl(name: string, _options: PresignOptions = {}): Promise<string | null> {
    normalizeName(name)
    return null
  }

  /** By default a place of its own per alias (a memory storage, a custom engine): it shares files with no other. */
  async rootPlace(): Promise<string> {
    return `backplane-alias:${encodeURIComponent(this.ctx.alias)}`
  }

  /** Opens and lists; a check creates nothing (no folder, no probe file) in the storage it checks. */
  async check(): Promise<HealthReport> {
    const probe = new HealthProbe('storage', this.ctx.alias, this.ctx.engine)
    probe.version = await probe.step('open', () => this.serverVersion(), (d) => d)
    await probe.step('list', () => this.list('', { limit: 1 }), (page) => (page.entries.length ? undefined : 'empty'))
    await this.checkSteps(probe)
    return probe.report()
  }

  /** Steps of the engine's own (a folder writable, a bucket's permissions), none of which may write. */
  protected async checkSteps(_probe: HealthProbe): Promise<void> {}

  async close(): Promise<void> {}

  /** Every entry of a folder, page after page (not recursive). */
  protected async *walkFolder(dir: string, signal?: AbortSignal): AsyncGenerator<StorageEntry> {
    let cursor: string | null = null
    // Cursors are the engine's own (opaque); one given twice means an engine whose walk (a copy, a delete) would run for ever.
    const cursors = new Set<string>()
    do {
      signal?.throwIfAborted()
      const page: StorageListing = await this.listFolder(dir, { cursor, limit: DEFAULT_PAGE })
      yield* page.entries
      cursor = page.cursor
      if (cursor !== null && cursors.has(cursor)) {
        throw new BackplaneError(ErrorCode.E_INTERNAL, `The ${this.ctx.engine} engine listed "${dir}" with a cursor it had given before, so its pages never end.`, { hint: "The engine's listFolder must page in code unit order; run its contract suite." })
      }
      if (cursor !== null) cursors.add(cursor)
    } while (cursor !== null)
  }

  /** A file, or a folder and everything under it, copied entry by entry. */
  protected async copyTree(from: string, to: string, options: CopyOptions): Promise<void> {
    const entry = await this.statEntry(from)
    if (!entry) throw notFound(from)
    if (entry.type === 'file') return this.copyFile(from, to, options)
    await this.makeFolder(to)
    for await (const child of this.walkFolder(from, options.signal)) await this.copyTree(child.name, `${to}/${baseName(child.name)}`, options)
  }

  private pairOf(from: string, to: string): [string, string] {
    const source = normalizeName(from)
    const target = normalizeName(to)
    if (source === '' || target === '') throw new BackplaneError(ErrorCode.E_INVALID_INPUT, 'The storage root cannot be copied or moved.', { hint: 'Choose a file or folder in it.' })
    if (target === source || target.startsWith(source + '/')) {
      throw new BackplaneError(ErrorCode.E_INVALID_INPUT, `"${target}" is "${source}" itself or inside it.`, { hint: 'Choose a target outside the folder being copied or moved.' })
    }
    validFileName(target)
    return [source, target]
  }

  private async timeOf(name: string, which: 'accessed' | 'created' | 'modified'): Promise<Date> {
    const entry = await this.stat(name)
    const value = entry[which]
    if (value === undefined) throw new BackplaneError(ErrorCode.E_UNSUPPORTED, `The ${this.ctx.engine} engine does not keep the time a file was ${which}.`, { hint: 'Use the modified time.' })
    return new Date(value)
  }
}

export function toReadable(content: StorageContent): Readable {
  return content instanceof Readable ? content : Readable.from([typeof content === 'string' ? Buffer.from(content) : content])
}

export async function streamToString(stream: Readable): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array))
  return Buffer.concat(chunks).toString('utf8')
}

/** Pages a sorted listing by the last name shown, so a cursor survives entries added meanwhile. */
export function pageEntries(sorted: StorageEntry[], cursor: string | null | undefined, limit: number): StorageListing {
  const start = cursor ? sorted.findIndex((e) => e.name > cursor) : 0
  if (start === -1) return { entries: [], cursor: null }
  const entries = sorted.slice(start, start + limit)
  const more = start + limit < sorted.length
  return { entries, cursor: more ? (entries.at(-1)?.name ?? null) : null }
}

export function notFound(name: string): BackplaneError {
  return new BackplaneError(ErrorCode.E_NOT_FOUND, `"${name}" does not exist.`, { hint: 'It may have been moved or deleted: reload the folder.' })
}

/** A byte range that can be read: whole numbers, start not after end. Past the end of the file is an empty read, as for fs. */
function checkRange({ start, end }: ByteRange): void {
  if (!Number.isSafeInteger(start) || start < 0 || (end !== undefined && (!Number.isSafeInteger(end) || end < start))) {
    throw new BackplaneError(ErrorCode.E_INVALID_INPUT, `The byte range ${start}-${end ?? ''} cannot be read.`, { hint: 'Give a start of 0 or more and an end not before it.' })
  }
}

/** A write that failed because its signal aborted is a cancellation (E_CANCELLED), whatever the engine's stream said. */
function cancelledOr(err: unknown, signal: AbortSignal | undefined, name: string): unknown {
  if (!signal?.aborted || (err instanceof BackplaneError && err.code === ErrorCode.E_CANCELLED)) return err
  return new BackplaneError(ErrorCode.E_CANCELLED, `Writing "${name}" was cancelled; nothing was kept under that name.`, { hint: 'Start it again to write the file.', cause: err })
}

function noFreeName(name: string): BackplaneError {
  return new BackplaneError(ErrorCode.E_EXISTS, `Could not find a free name for "${name}".`, { hint: 'Choose another name.' })
}

function writeOptions(options: WriteOptions): WriteOptions {
  return {
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.size !== undefined ? { size: options.size } : {}),
    ...(options.contentType ? { contentType: options.contentType } : {}),
  }
}
