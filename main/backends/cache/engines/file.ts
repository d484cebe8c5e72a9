import { randomBytes } from 'node:crypto'
import { constants } from 'node:fs'
import { lstat, open, readdir, rename, rm, unlink, writeFile, type FileHandle } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'
import { defineEngine, type EngineContext } from '../../../core/engine'
import { resolveInDataDir } from '../../../core/data-dir'
import { BackplaneError, ErrorCode } from '../../../core/errors'
import { makeDirectory } from '../../../core/make-directory'
import { countOf } from '../../../core/schemas/count-noun'
import {
  BaseCache,
  CacheOptions,
  globMatcher,
  type CacheEntryDetail,
  type CacheEntryInfo,
  type CacheScan,
  type CacheStats,
  type CacheValue,
  type KeyOptions,
  type SetOptions,
} from '../base'
import { VALUE_LIMITS, storedDetail, valueCodec } from '../codec'
import type { DecodedValue, ValueCodec } from '../codec/types'
import { backendExpiry, unpickled } from './django-stored'
import {
  DJCACHE_NAME,
  DjcacheDamaged,
  HEADER_BYTES,
  djcacheName,
  encodeDjcache,
  inflatePayload,
  isExpired,
  readHeader,
  withExpiry,
  type DjcacheHeader,
} from './djcache-format'

const FileOptions = CacheOptions.extend({
  location: z
    .string()
    .min(1)
    .default('file-cache')
    .describe('The folder of the .djcache files; relative paths start in the data directory (Django: LOCATION).'),
  maxEntries: z.number().int().min(1).default(300).describe('Files kept before culling (Django: MAX_ENTRIES).'),
  cullFrequency: z.number().int().min(0).default(3).describe('When full, delete 1/N of the files, chosen at random; 0 deletes all (Django: CULL_FREQUENCY).'),
})
type FileOptions = z.output<typeof FileOptions>

/** As locmem's scan: a page stops early when it has spent this long, whatever the folder holds. */
const SCAN_BUDGET_MS = 25
/** Files looked at together when counting the folder's bytes. */
const STAT_BATCH = 64

// Opening with O_NOFOLLOW refuses an entry that is a symbolic link, so nothing planted in a shared
// folder leads a read out of it. Where the flag does not exist (Windows), lstat() checks first.
const NOFOLLOW: number = constants.O_NOFOLLOW ?? 0
const NONBLOCK: number = constants.O_NONBLOCK ?? 0
/** No file holding a value the codec would read is larger: its limit, plus deflate's few bytes per 64 KiB block and the header. */
const MAX_FILE_BYTES = VALUE_LIMITS.inputBytes + 1024 * 1024

/**
 * Django's FileBasedCache: one `md5(stored key).djcache` file per entry, in Django's own format
 * (djcache-format.ts), so a Django app sharing the folder reads what Backplane writes and back. Writes
 * go to a temporary file renamed into place (Django's file_move_safe), so no reader ever sees half a file.
 */
class FileCache extends BaseCache {
  private readonly dir: string
  private readonly maxEntries: number
  private readonly cullFrequency: number

  constructor(
    options: FileOptions,
    ctx: EngineContext,
    private readonly codec: ValueCodec,
  ) {
    super(options, ctx)
    this.dir = resolveInDataDir(ctx.dataDir, options.location)
    this.maxEntries = options.maxEntries
    this.cullFrequency = options.cullFrequency
  }

  async get(key: string, options?: KeyOptions): Promise<CacheValue | undefined> {
    const name = this.fileOf(key, options)
    const bytes = await this.readEntry(name)
    const header = bytes && this.headerOf(name, bytes)
    if (!bytes || (await this.expired(name, header))) {
      this.lookups.misses++
      return undefined
    }
    const decoded = await this.decode(name, bytes, header!)
    this.lookups.hits++
    return decoded.value
  }

  async set(key: string, value: CacheValue, options?: SetOptions): Promise<void> {
    const name = this.fileOf(key, options)
    // Pickled first: a value that cannot be written leaves the folder as it was.
    const pickled = this.codec.encode(value).bytes
    // Django: "Cache dir can be deleted at any time", so it is made again on every set.
    await makeDirectory(this.dir, 0o700)
    await this.cull()
    await this.writeAtomically(name, await encodeDjcache(backendExpiry(options?.timeout, this.defaultTimeout), pickled))
  }

  /** As Django: has_key() then set(); two processes adding at once may both succeed, as with Django. */
  async add(key: string, value: CacheValue, options?: SetOptions): Promise<boolean> {
    if (await this.hasKey(key, options)) return false
    await this.set(key, value, options)
    return true
  }

  /** A new expiry in front of the same compressed value, written atomically like a set. */
  async touch(key: string, options?: SetOptions): Promise<boolean> {
    const name = this.fileOf(key, options)
    const bytes = await this.readEntry(name)
    const header = bytes && this.headerOf(name, bytes)
    if (!bytes || (await this.expired(name, header))) return false
    await this.writeAtomically(name, withExpiry(bytes, header!, backendExpiry(options?.timeout, this.defaultTimeout)))
    return true
  }

  /** As Django: true when the file was there, expired or not. */
  async delete(key: string, options?: KeyOptions): Promise<boolean> {
    return this.remove(this.fileOf(key, options))
  }

  /** Reads the expiry alone, as Django's has_key(); an expired file is deleted. */
  override async hasKey(key: string, options?: KeyOptions): Promise<boolean> {
    const name = this.fileOf(key, options)
    const bytes = await this.readEntry(name, HEADER_BYTES)
    return bytes !== undefined && !(await this.expired(name, this.headerOf(name, bytes)))
  }

  /** Deletes the `<md5>.djcache` files only: whatever else the folder holds stays. */
  async clear(): Promise<void> {
    for (const name of await this.listNames()) await this.remove(name)
  }

  /**
   * The folder's entries in name order, a page at a time; the cursor is the last name a page looked at.
   * Keys are file names (Django keeps only the md5 of a key), and the pattern matches those.
   */
  override async scan({ pattern = '*', cursor = null, count = 100 }: { pattern?: string; cursor?: string | null; count?: number }): Promise<CacheScan> {
    const matches = globMatcher(pattern)
    const { page, more } = smallestAfter(await this.listNames(), cursor, Math.max(1, Math.trunc(count)))
    const deadline = performance.now() + SCAN_BUDGET_MS
    const entries: CacheEntryInfo[] = []
    let i = 0
    // At least one name per page, so the cursor always moves on.
    for (; i < page.length && (i === 0 || performance.now() < deadline); i++) {
      const name = page[i]!
      if (!matches(name)) continue
      const info = await this.infoOf(name)
      if (info) entries.push(info)
    }
    return { entries, cursor: more || i < page.length ? page[i - 1]! : null }
  }

  /** The stored key's file, or a file named as the listing names it: value decoded beside the file's bytes. */
  override async inspect(storedKey: string): Promise<CacheEntryDetail | undefined> {
    const name = this.nameOf(storedKey)
    const bytes = await this.readEntry(name)
    if (!bytes) return undefined
    const entry = { key: storedKey, type: 'entry' as const, size: bytes.length }
    let header: DjcacheHeader | undefined
    try {
      header = readHeader(bytes)
    } catch (err) {
      if (!(err instanceof DjcacheDamaged)) throw err
      // A damaged file is shown as its bytes, so it can be looked at and deleted.
      return { ...entry, ttl: null, ...(await storedDetail(bytes, () => Promise.reject(this.damaged(name, err.reason)))) }
    }
    if (isExpired(header)) return undefined
    return { ...entry, ttl: ttlOf(header!), ...(await storedDetail(bytes, () => this.decode(name, bytes, header!))) }
  }

  /** Stored keys (`prefix:version:key`) or file names from the listing. */
  override async deleteStored(storedKeys: readonly string[]): Promise<number> {
    let deleted = 0
    for (const key of storedKeys) if (await this.remove(this.nameOf(key))) deleted++
    return deleted
  }

  /** Entries and their bytes on disk (as memoryBytes), and the gets this alias has answered since it was made. */
  override async stats(): Promise<CacheStats> {
    const names = await this.listNames()
    let bytes = 0
    for (let i = 0; i < names.length; i += STAT_BATCH) {
      const sizes = await Promise.all(names.slice(i, i + STAT_BATCH).map((name) => lstat(join(this.dir, name)).then((s) => s.size, () => 0)))
      for (const size of sizes) bytes += size
    }
    return { keys: names.length, memoryBytes: bytes, ...this.lookups }
  }

  /** File names are md5 digests: no pattern over application keys can be turned into one over them. */
  override storedPattern(): string | undefined {
    return undefined
  }

  protected async serverVersion(): Promise<string> {
    const names = await this.listNames()
    return `Django file cache in ${this.dir}, ${names.length}/${countOf(this.maxEntries, 'entry')}`
  }

  // --- the folder -----------------------------------------------------------------------------

  private fileOf(key: string, options?: KeyOptions): string {
    const stored = this.makeKey(key, options?.version)
    this.validateKey(stored)
    return djcacheName(stored)
  }

  /** A name from the listing as it is; anything else is a stored key, hashed as Django does. */
  private nameOf(storedKey: string): string {
    return DJCACHE_NAME.test(storedKey) ? storedKey : djcacheName(storedKey)
  }

  /** The `<32 hex>.djcache` regular files of the folder (links and everything else left out), or none when it does not exist. */
  private async listNames(): Promise<string[]> {
    try {
      const dirents = await readdir(this.dir, { withFileTypes: true })
      return dirents.filter((d) => d.isFile() && DJCACHE_NAME.test(d.name)).map((d) => d.name)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return []
      throw err
    }
  }

  /** The file's bytes (the first `limit` of them when given), or undefined when it is not there. */
  private async readEntry(name: string, limit?: number): Promise<Buffer | undefined> {
    const path = join(this.dir, name)
    try {
      if (NOFOLLOW === 0 && (await lstat(path)).isSymbolicLink()) throw symlinkRefused(path)
      const { handle, size } = await openEntry(path)
      try {
        if (limit === undefined) {
          // A file far larger than any value the codec reads (a sparse file of gigabytes, planted or
          // damaged) is refused before it is read into memory; readFile() fails untyped past 2 GiB anyway.
          if (size > MAX_FILE_BYTES) throw this.tooLarge(name, size)
          return await handle.readFile()
        }
        const buffer = Buffer.alloc(limit)
        const { bytesRead } = await handle.read(buffer, 0, limit, 0)
        return buffer.subarray(0, bytesRead)
      } finally {
        await handle.close()
      }
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code
      if (code === 'ENOENT') return undefined
      if (code === 'ELOOP') throw symlinkRefused(path)
      throw err
    }
  }

  private headerOf(name: string, bytes: Buffer): DjcacheHeader | undefined {
    try {
      return readHeader(bytes)
    } catch (err) {
      throw err instanceof DjcacheDamaged ? this.damaged(name, err.reason) : err
    }
  }

  /** Django's _is_expired(): an expired (or empty) file is deleted on the way. */
  private async expired(name: string, header: DjcacheHeader | undefined): Promise<boolean> {
    if (!isExpired(header)) return false
    await this.remove(name)
    return true
  }

  private async decode(name: string, bytes: Buffer, header: DjcacheHeader): Promise<DecodedValue> {
    let pickled: Buffer
    try {
      pickled = await inflatePayload(bytes, header)
    } catch (err) {
      throw err instanceof DjcacheDamaged ? this.damaged(name, err.reason) : err
    }
    return unpickled(pickled, (reason) => this.damaged(name, reason), this.codec)
  }

  /** What the key browser lists of one file: its expiry from the header, its size on disk; undefined when gone or expired. */
  private async infoOf(name: string): Promise<CacheEntryInfo | undefined> {
    const path = join(this.dir, name)
    let handle, size
    try {
      ;({ handle, size } = await openEntry(path))
    } catch (err) {
      // Not a plain file (a FIFO, a folder): listed as damaged ones are, so that it can be found and deleted.
      if (err instanceof BackplaneError && err.code === ErrorCode.E_CACHE_CORRUPT) return { key: name, ttl: null, size: 0 }
      return undefined // deleted meanwhile, or a link: not listed
    }
    try {
      const buffer = Buffer.alloc(HEADER_BYTES)
      const { bytesRead } = await handle.read(buffer, 0, HEADER_BYTES, 0)
      let header: DjcacheHeader | undefined
      try {
        header = readHeader(buffer.subarray(0, bytesRead))
      } catch {
        // Listed, so that the key browser can show and delete it.
        return { key: name, ttl: null, size }
      }
      if (isExpired(header)) return undefined
      return { key: name, ttl: ttlOf(header!), size }
    } finally {
      await handle.close()
    }
  }

  /** Django's _delete(): true when the file was there. */
  private async remove(name: string): Promise<boolean> {
    try {
      await unlink(join(this.dir, name))
      return true
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false
      throw err
    }
  }

  /**
   * Django's set(): the bytes go to a new temporary file in the same folder, then rename() puts it in
   * place at once. Its name (Python's mkstemp's `tmp…`) is never a .djcache name, so a crash leaves
   * at most a stray temporary file that no listing, cull or clear mistakes for an entry.
   */
  private async writeAtomically(name: string, bytes: Buffer): Promise<void> {
    const temp = join(this.dir, `tmp${randomBytes(6).toString('hex')}`)
    try {
      await writeFile(temp, bytes, { flag: 'wx', mode: 0o600 })
      await rename(temp, join(this.dir, name))
    } catch (err) {
      await rm(temp, { force: true }).catch(() => undefined)
      throw err
    }
  }

  /** Django's _cull(): when the folder holds maxEntries files or more, a random 1/cullFrequency of them go (all of them for 0). */
  private async cull(): Promise<void> {
    const names = await this.listNames()
    if (names.length < this.maxEntries) return
    const doomed = this.cullFrequency === 0 ? names : randomSample(names, Math.trunc(names.length / this.cullFrequency))
    for (const name of doomed) await this.remove(name)
  }

  private tooLarge(name: string, size: number): BackplaneError {
    const path = join(this.dir, name)
    return new BackplaneError(ErrorCode.E_TOO_LARGE, `The cache file ${path} is ${size} bytes; Backplane reads entries of at most ${MAX_FILE_BYTES}.`, {
      hint: `Read it with Python, or delete ${name} (or the key).`,
      details: { file: path },
    })
  }

  private damaged(name: string, reason: string): BackplaneError {
    const path = join(this.dir, name)
    return new BackplaneError(ErrorCode.E_CACHE_CORRUPT, `The cache file ${path} is damaged: ${reason}.`, {
      hint: `Delete ${name} (or the key) and let the application set it again.`,
      details: { file: path },
    })
  }
}

/**
 * Opens an entry to read it. O_NONBLOCK because a FIFO planted under an entry's name would otherwise
 * block open() until some writer came (forever), holding one of libuv's four threads: four such calls
 * stall every file operation of the app. Regular files ignore the flag; anything that is not one (a
 * FIFO, a device, a folder) is refused as damaged.
 */
async function openEntry(path: string): Promise<{ handle: FileHandle; size: number }> {
  const handle = await open(path, constants.O_RDONLY | NOFOLLOW | NONBLOCK)
  try {
    const stat = await handle.stat()
    if (!stat.isFile()) {
      throw new BackplaneError(ErrorCode.E_CACHE_CORRUPT, `${path} is not a plain file; Django writes cache entries as plain files.`, {
        hint: 'Remove it from the cache folder: something other than Django put it there.',
        details: { file: path },
      })
    }
    return { handle, size: stat.size }
  } catch (err) {
    await handle.close()
    throw err
  }
}

function symlinkRefused(path: string): BackplaneError {
  return new BackplaneError(ErrorCode.E_PATH_OUTSIDE_ROOT, `${path} is a symbolic link; the file cache reads only files inside its folder.`, {
    hint: 'Delete the link: Django writes entries as plain files.',
  })
}

/** Seconds left, rounded up; null for an entry that never expires. */
function ttlOf(header: DjcacheHeader): number | null {
  // A pickled NaN or inf never compares below now, so Django keeps such an entry for ever: as None does.
  return header.expiry === null || !Number.isFinite(header.expiry) ? null : Math.max(0, Math.ceil(header.expiry - Date.now() / 1000))
}

/**
 * The `count` smallest names after `cursor`, in order, and whether there are more: one pass that keeps
 * a short sorted list, rather than sorting a folder of a million names for every page.
 */
function smallestAfter(names: readonly string[], cursor: string | null, count: number): { page: string[]; more: boolean } {
  const page: string[] = []
  let after = 0
  for (const name of names) {
    if (cursor !== null && name <= cursor) continue
    after++
    if (page.length === count && name >= page[count - 1]!) continue
    let lo = 0
    let hi = page.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (page[mid]! < name) lo = mid + 1
      else hi = mid
    }
    page.splice(lo, 0, name)
    if (page.length > count) page.pop()
  }
  return { page, more: after > page.length }
}

/** `count` distinct items chosen at random (Python's random.sample), by a partial Fisher–Yates shuffle. */
function randomSample<T>(items: readonly T[], count: number): T[] {
  const pool = [...items]
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(Math.random() * (pool.length - i))
    ;[pool[i], pool[j]] = [pool[j]!, pool[i]!]
  }
  return pool.slice(0, count)
}

export const fileEngine = defineEngine({
  kind: 'cache',
  id: 'file',
  title: 'Files',
  description: "A folder of .djcache files in Django's FileBasedCache format: shared with a Django app using the same folder.",
  options: FileOptions,
  create: (options, ctx) => new FileCache(options, ctx, valueCodec('pickle', 'django')),
})
