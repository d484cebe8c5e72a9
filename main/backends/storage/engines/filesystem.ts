import { createReadStream } from 'node:fs'
import { mkdir, open, readdir, rm, stat } from 'node:fs/promises'
import { dirname, join, relative, sep } from 'node:path'
import type { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { z } from 'zod'
import { defineEngine, type EngineContext } from '../../../core/engine'
import { BackplaneError, ErrorCode } from '../../../core/errors'
import { resolveInDataDir } from '../../../core/data-dir'
import {
  BaseStorage,
  NameTakenError,
  StorageOptions,
  normalizeName,
  pageEntries,
  toReadable,
  type StorageContent,
  type StorageEntry,
  type StorageListing,
} from '../base'

const FileSystemOptions = StorageOptions.extend({
  location: z.string().min(1).default('files').describe('Folder holding the files; relative paths start in the data directory.'),
  fileMode: z.number().int().min(0).max(0o777).optional().describe('Permissions of new files (Django: FILE_UPLOAD_PERMISSIONS), e.g. 420 for 0644.'),
  dirMode: z.number().int().min(0).max(0o777).optional().describe('Permissions of new folders (Django: FILE_UPLOAD_DIRECTORY_PERMISSIONS).'),
})
type FileSystemOptions = z.output<typeof FileSystemOptions>

/** Django's FileSystemStorage: files under one folder, never outside it. */
class FileSystemStorage extends BaseStorage {
  private readonly root: string
  private readonly fileMode: number | undefined
  private readonly dirMode: number | undefined

  constructor(options: FileSystemOptions, ctx: EngineContext) {
    super(options, ctx)
    this.root = resolveInDataDir(ctx.dataDir, options.location)
    this.fileMode = options.fileMode
    this.dirMode = options.dirMode
  }

  protected async write(name: string, content: StorageContent): Promise<void> {
    const path = this.path(name)
    await mkdir(dirname(path), { recursive: true, ...(this.dirMode === undefined ? {} : { mode: this.dirMode }) })
    let handle
    try {
      // O_EXCL, as Django's _save(): a file created meanwhile by someone else is never overwritten.
      handle = await open(path, 'wx', this.fileMode ?? 0o666)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new NameTakenError(name)
      throw err
    }
    try {
      // The write stream owns the handle from here and closes it when done or failed.
      await pipeline(toReadable(content), handle.createWriteStream())
    } catch (err) {
      await rm(path, { force: true })
      throw err
    }
  }

  async open(name: string): Promise<Readable> {
    const path = this.path(name)
    const info = await this.statPath(path, name)
    if (info.isDirectory()) throw new BackplaneError(ErrorCode.E_IS_DIRECTORY, `"${name}" is a folder.`)
    return createReadStream(path)
  }

  async delete(name: string): Promise<void> {
    const path = this.path(name)
    if (path === this.root) throw new BackplaneError(ErrorCode.E_INVALID_INPUT, 'The storage root cannot be deleted.')
    await rm(path, { recursive: true, force: true })
  }

  async exists(name: string): Promise<boolean> {
    try {
      await stat(this.path(name))
      return true
    } catch {
      return false
    }
  }

  async stat(name: string): Promise<StorageEntry> {
    const normalized = normalizeName(name)
    const info = await this.statPath(this.path(normalized), name)
    return { name: normalized, type: info.isDirectory() ? 'dir' : 'file', size: info.size, modified: info.mtime.toISOString() }
  }

  async list(path: string, { cursor, limit = 500 }: { cursor?: string | null; limit?: number } = {}): Promise<StorageListing> {
    const dir = normalizeName(path)
    const full = this.path(dir)
    let names: string[]
    try {
      names = await readdir(full)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT' && dir === '') return { entries: [], cursor: null }
      throw err
    }
    names.sort()
    const prefix = dir ? dir + '/' : ''
    const all = names.map((n): StorageEntry => ({ name: prefix + n, type: 'file' }))
    const page = pageEntries(all, cursor, limit)
    page.entries = await Promise.all(
      page.entries.map(async (e) => {
        try {
          return await this.stat(e.name)
        } catch {
          return e
        }
      }),
    )
    return page
  }

  protected async describe(): Promise<string> {
    await mkdir(this.root, { recursive: true })
    return `folder ${this.root}`
  }

  /** Django's safe_join(): the resolved path must stay under the root. */
  private path(name: string): string {
    const full = join(this.root, ...normalizeName(name).split('/'))
    const rel = relative(this.root, full)
    if (rel.startsWith('..') || rel.includes(`..${sep}`)) {
      throw new BackplaneError(ErrorCode.E_PATH_OUTSIDE_ROOT, `"${name}" resolves outside ${this.root}`, { hint: 'Use a path relative to the storage location.' })
    }
    return full
  }

  private async statPath(path: string, name: string) {
    try {
      return await stat(path)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new BackplaneError(ErrorCode.E_NOT_FOUND, `"${name}" does not exist.`)
      throw err
    }
  }
}

export const filesystemEngine = defineEngine({
  kind: 'storage',
  id: 'filesystem',
  title: 'Local folder',
  description: "Files in a folder on this computer, as Django's FileSystemStorage.",
  options: FileSystemOptions,
  create: (options, ctx) => new FileSystemStorage(options, ctx),
})
