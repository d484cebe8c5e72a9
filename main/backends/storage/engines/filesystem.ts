import { constants } from 'node:fs'
import { lstat, open, readdir, readlink, rm, stat } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { z } from 'zod'
import { defineEngine, type EngineContext } from '../../../core/engine'
import { BackplaneError, ErrorCode } from '../../../core/errors'
import { resolveInDataDir } from '../../../core/data-dir'
import type { HealthProbe } from '../../../core/health-probe'
import { inspectFolder, makeDirectory } from '../../../core/make-directory'
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
import { LocalRoot } from '../local-root'

export const FileSystemOptions = StorageOptions.extend({
  location: z.string().min(1).default('files').describe('Folder holding the files; relative paths start in the data directory.'),
  fileMode: z.number().int().min(0).max(0o777).optional().describe('Permissions of new files (Django: FILE_UPLOAD_PERMISSIONS), e.g. 420 for 0644.'),
  dirMode: z.number().int().min(0).max(0o777).optional().describe('Permissions of new folders (Django: FILE_UPLOAD_DIRECTORY_PERMISSIONS).'),
})
export type FileSystemOptions = z.output<typeof FileSystemOptions>

/** Django's FileSystemStorage: files under one folder, never outside it, never in Backplane's own data. */
export class FileSystemStorage extends BaseStorage {
  protected readonly root: LocalRoot
  private readonly fileMode: number | undefined
  private readonly dirMode: number | undefined

  constructor(options: FileSystemOptions, ctx: EngineContext) {
    super(options, ctx)
    this.root = new LocalRoot(resolveInDataDir(ctx.dataDir, options.location), ctx.dataDir)
    this.fileMode = options.fileMode
    this.dirMode = options.dirMode
  }

  protected async write(name: string, content: StorageContent): Promise<void> {
    const path = await this.root.path(name, { forWrite: true })
    await makeDirectory(dirname(path), this.dirMode)
    let handle
    try {
      // O_EXCL, as Django's _save(): a file created meanwhile by someone else is never overwritten; and
      // never through a link put in the file's place.
      handle = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, this.fileMode ?? 0o666)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new NameTakenError(name)
      throw err
    }
    try {
      // A folder on the way swapped for a link since the name was checked: the new file is not where it
      // should be, so it goes again before anything is written into it.
      await this.root.assertOpened(handle.fd, name, { forWrite: true })
    } catch (err) {
      const real = await readlink(`/proc/self/fd/${handle.fd}`).catch(() => undefined)
      await handle.close()
      if (real) await rm(real, { force: true })
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

  /**
   * Opens the file itself and then checks what was opened, so a link swapped in after the name was checked
   * leads nowhere; a pipe, socket or device is refused (reading one would wait for ever, holding one of
   * the few threads every file operation shares).
   */
  async open(name: string): Promise<Readable> {
    const path = await this.root.path(name)
    let handle
    try {
      handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new BackplaneError(ErrorCode.E_NOT_FOUND, `"${name}" does not exist.`)
      throw err
    }
    try {
      await this.root.assertOpened(handle.fd, name)
      const info = await handle.stat()
      if (info.isDirectory()) throw new BackplaneError(ErrorCode.E_IS_DIRECTORY, `"${name}" is a folder.`)
      if (!info.isFile()) throw new BackplaneError(ErrorCode.E_UNSUPPORTED, `"${name}" is not a regular file (a pipe, socket or device), so it is not read.`)
    } catch (err) {
      await handle.close()
      throw err
    }
    return handle.createReadStream()
  }

  async delete(name: string): Promise<void> {
    if (normalizeName(name) === '') throw new BackplaneError(ErrorCode.E_INVALID_INPUT, 'The storage root cannot be deleted.')
    // What is removed is the checked real path, not a name whose folders could be swapped for links meanwhile.
    const { path, real } = await this.root.resolve(name, { forDelete: true })
    await rm((await lstatOrNull(path))?.isSymbolicLink() ? path : real, { recursive: true, force: true })
  }

  async exists(name: string): Promise<boolean> {
    const path = await this.root.path(name)
    try {
      await stat(path)
      return true
    } catch {
      return false
    }
  }

  async stat(name: string): Promise<StorageEntry> {
    const normalized = normalizeName(name)
    const info = await this.statPath(await this.root.path(normalized), name)
    return { name: normalized, type: info.isDirectory() ? 'dir' : 'file', size: info.size, modified: info.mtime.toISOString() }
  }

  async list(path: string, { cursor, limit = 500 }: { cursor?: string | null; limit?: number } = {}): Promise<StorageListing> {
    const dir = normalizeName(path)
    const full = await this.root.path(dir)
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
    page.entries = (
      await Promise.all(
        page.entries.map(async (e) => {
          try {
            return await this.stat(e.name)
          } catch (err) {
            // An entry that leads out of the root or into Backplane's data is not shown at all.
            if (err instanceof BackplaneError && (err.code === ErrorCode.E_PATH_OUTSIDE_ROOT || err.code === ErrorCode.E_RESERVED_PATH)) return undefined
            return e
          }
        }),
      )
    ).filter((e): e is StorageEntry => e !== undefined)
    return page
  }

  protected async serverVersion(): Promise<string> {
    return `folder ${this.root.root}`
  }

  /** Whether the folder (or, before the first save creates it, the nearest folder above) can be written. */
  protected override async checkSteps(probe: HealthProbe): Promise<void> {
    await probe.step('writable', async () => {
      await this.root.path('')
      const folder = await inspectFolder(this.root.root)
      return folder.exists ? 'writable' : `does not exist yet; the first save creates it in ${folder.createdIn}`
    }, (detail) => detail)
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

async function lstatOrNull(path: string) {
  return lstat(path).catch(() => null)
}

export const filesystemEngine = defineEngine({
  kind: 'storage',
  id: 'filesystem',
  title: 'Local folder',
  description: "Files in a folder on this computer, as Django's FileSystemStorage.",
  options: FileSystemOptions,
  create: (options, ctx) => new FileSystemStorage(options, ctx),
})
