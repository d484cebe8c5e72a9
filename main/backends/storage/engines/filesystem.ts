import { constants, type Stats } from 'node:fs'
import { copyFile, link, lstat, open, readdir, readlink, realpath, rename, rm, rmdir, stat, unlink, type FileHandle } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { addAbortSignal, type Readable } from 'node:stream'
import { z } from 'zod'
import { defineEngine, type EngineContext } from '../../../core/engine'
import { BackplaneError, ErrorCode } from '../../../core/errors'
import { isInside, resolveInDataDir } from '../../../core/data-dir'
import type { HealthProbe } from '../../../core/health-probe'
import { inspectFolder, makeDirectory } from '../../../core/make-directory'
import {
  BaseStorage,
  NameTakenError,
  StorageOptions,
  baseName,
  isAddressable,
  normalizeName,
  notFound,
  splitName,
  type CopyOptions,
  type ExclusiveWrite,
  type OpenOptions,
  type StorageEntry,
  type StorageFeatures,
  type StorageListing,
  type FolderPageRequest,
  type WriteOptions,
} from '../base'
import { cursorIn, FolderNames, pageOfNames } from '../folder-names'
import { LocalRoot, realPathOf, type Access, type OpenedFolder } from '../local-root'
import { commitTemp, descriptorPath, isTempName, isUnreachableName, osError, tempPathFor } from '../local-files'

export const FileSystemOptions = StorageOptions.extend({
  location: z.string().min(1).default('files').describe('Folder holding the files; relative paths start in the data directory.'),
  fileMode: z.number().int().min(0).max(0o777).optional().describe('Permissions of new files (Django: FILE_UPLOAD_PERMISSIONS), e.g. 420 for 0644.'),
  dirMode: z.number().int().min(0).max(0o777).optional().describe('Permissions of new folders (Django: FILE_UPLOAD_DIRECTORY_PERMISSIONS).'),
})
export type FileSystemOptions = z.output<typeof FileSystemOptions>

const CREATE_NEW = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW

/**
 * Django's FileSystemStorage: files under one folder, never outside it, never in Backplane's own data.
 * Every write goes to a hidden temporary file that is committed under its name only when complete.
 */
export class FileSystemStorage extends BaseStorage {
  override readonly features: StorageFeatures = { localPath: true, presignedUrls: false, folders: 'real' }
  protected readonly root: LocalRoot
  private readonly fileMode: number | undefined
  private readonly dirMode: number | undefined
  /** The sorted names of the folders listed last (folder-names.ts): paging a big folder reads it once. */
  private readonly folderNames = new FolderNames()

  constructor(options: FileSystemOptions, ctx: EngineContext) {
    super(options, ctx)
    this.root = new LocalRoot(resolveInDataDir(ctx.dataDir, options.location), ctx.dataDir)
    this.fileMode = options.fileMode
    this.dirMode = options.dirMode
  }

  async writeFile(name: string, content: Readable, options: WriteOptions & ExclusiveWrite): Promise<string> {
    refuseTempName(name)
    const path = await this.root.path(name, { forWrite: true })
    await makeDirectory(dirname(path), this.dirMode).catch((err: unknown) => {
      throw osError(err, name)
    })
    const folder = await this.openFolderOf(name, { forWrite: true })
    try {
      // Refused before any content is read, so that save() can try another name with the stream untouched.
      if (options.exclusive && (await lstatOrNull(folder.entry()))) throw new NameTakenError(name)
      try {
        const temp = await this.createTemp(folder, name)
        try {
          await writeAll(temp.handle, content, options.signal)
          // Checked again as it is committed: the folder may have been moved out of the root while the bytes arrived.
          await this.root.assertOpened(temp.handle.fd, name, { forWrite: true })
          return await commitTemp(temp.path, folder.entry(), name, { ...options, pathOf: (n) => this.entryBeside(folder, name, n) })
        } catch (err) {
          await this.removeTemp(temp, name)
          throw err
        } finally {
          await temp.handle.close()
        }
      } catch (err) {
        content.destroy()
        throw osError(err, name)
      }
    } finally {
      await folder.close()
    }
  }

  /**
   * Opens the file itself and then checks what was opened, so a link swapped in after the name was checked
   * leads nowhere; a pipe, socket or device is refused (reading one would wait for ever, holding one of
   * the few threads every file operation shares).
   */
  async readFile(name: string, { range, signal }: OpenOptions): Promise<Readable> {
    const handle = await this.openChecked(name)
    return handle.createReadStream({ ...(range ? { start: range.start, ...(range.end !== undefined ? { end: range.end } : {}) } : {}), ...(signal ? { signal } : {}) })
  }

  /** Stat'ed through the checked folder's descriptor; a link is followed by opening it and checking what was opened. */
  async statEntry(name: string): Promise<StorageEntry | null> {
    if (name === '') {
      const info = await statOrNull(await this.root.path(''))
      return info && entryOf('', info)
    }
    if (isTempName(baseName(name))) return null
    // The name's own check first (a link out of the root is E_PATH_OUTSIDE_ROOT, as for every method).
    await this.root.path(name)
    const folder = await this.root.openParent(name)
    if (!folder) return null
    try {
      const here = await lstatOrNull(folder.entry())
      if (!here) return null
      if (!here.isSymbolicLink()) return entryOf(name, here)
      const target = await this.followLink(folder.entry(), name)
      return target && entryOf(name, target)
    } finally {
      await folder.close()
    }
  }

  /** Django's exists() is os.path.lexists: a name the OS cannot even look up (a part over 255 bytes) is not there. */
  override async exists(name: string): Promise<boolean> {
    try {
      return await super.exists(name)
    } catch (err) {
      if (isUnreachableName(err)) return false
      throw err
    }
  }

  /** Reads the folder's names (cheap) and stats only the page shown: a 100,000-entry folder answers at once. */
  async listFolder(dir: string, { cursor, limit, keep }: FolderPageRequest): Promise<StorageListing> {
    let handle: FileHandle
    try {
      handle = await open(await this.root.path(dir), constants.O_RDONLY | constants.O_DIRECTORY)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { entries: [], cursor: null }
      throw osError(err, dir || '/')
    }
    try {
      await this.root.assertOpened(handle.fd, dir)
      // Read through the descriptor: the folder checked is the folder listed, whatever is renamed meanwhile.
      const folder = descriptorPath(handle.fd) ?? (await this.root.path(dir))
      const prefix = dir ? dir + '/' : ''
      // Left out: our temporary files, and names no storage name can reach ("a\\b" is "a/b" to
      // normalizeName, invalid UTF-8 reads as U+FFFD): acting on such a listed name would act on another file.
      const names = await this.folderNames.sorted(await handle.stat({ bigint: true }), async () => (await readdir(folder)).filter((n) => !isTempName(n) && isAddressable(n)))
      const page = pageOfNames(names, cursorIn(cursor, prefix), limit, keep)
      const realFolder = await realpath(folder)
      const entries = await Promise.all(page.names.map((n) => this.listedEntry(folder, realFolder, prefix + n)))
      return { entries: entries.filter((e): e is StorageEntry => e !== null), cursor: page.last === null ? null : prefix + page.last }
    } finally {
      await handle.close()
    }
  }

  /** Removed through the checked folder's descriptor, so a folder swapped for a link meanwhile does not lead the delete out of the root. */
  async deleteEntry(name: string): Promise<void> {
    await this.root.resolve(name, { forDelete: true })
    const folder = await this.root.openParent(name, { forDelete: true })
    if (!folder) return
    try {
      // rm takes a link itself, not what it points to.
      await rm(folder.entry(), { recursive: true, force: true })
    } catch (err) {
      throw osError(err, name)
    } finally {
      await folder.close()
    }
  }

  /** rmdir(), through the checked folder's descriptor: the OS refuses a folder with anything in it, even a write in progress. */
  override async removeFolderIfEmpty(name: string): Promise<boolean> {
    const n = normalizeName(name)
    if (n === '') return false
    await this.root.resolve(n, { forDelete: true })
    const folder = await this.root.openParent(n, { forDelete: true })
    if (!folder) return false
    try {
      await rmdir(folder.entry())
      return true
    } catch (err) {
      // Not empty, gone, or not a folder (a link is never followed): it stays as it is.
      if (['ENOTEMPTY', 'EEXIST', 'ENOENT', 'ENOTDIR'].includes((err as NodeJS.ErrnoException).code ?? '')) return false
      throw osError(err, n)
    } finally {
      await folder.close()
    }
  }

  async createFolder(name: string): Promise<void> {
    refuseTempName(name)
    await makeDirectory(await this.root.path(name, { forWrite: true }), this.dirMode)
  }

  /** A folder copied into itself through a link inside the root ("alias" → "src", copied to "alias/sub") would nest without end. */
  override async copy(from: string, to: string, options: CopyOptions = {}): Promise<void> {
    await this.refuseIntoItself(from, to, { followSource: true })
    return super.copy(from, to, options)
  }

  override async move(from: string, to: string, options: CopyOptions = {}): Promise<void> {
    // A moved link moves itself, not what it leads to.
    await this.refuseIntoItself(from, to, { followSource: false })
    return super.move(from, to, options)
  }

  /** The root's real path (links resolved), so two aliases on one folder, however spelled, have one place. */
  override async rootPlace(): Promise<string> {
    return pathToFileURL(await realPathOf(this.root.root)).href
  }

  override async path(name: string): Promise<string> {
    return this.root.path(name)
  }

  /** The OS's own copy (copy_file_range, a reflink where the file system has them), of the file that was checked, into a temp committed as a write is. */
  protected override async copyFile(from: string, to: string, options: CopyOptions): Promise<void> {
    refuseTempName(to)
    const source = await this.openChecked(from)
    try {
      const path = await this.root.path(to, { forWrite: true })
      await makeDirectory(dirname(path), this.dirMode)
      const folder = await this.openFolderOf(to, { forWrite: true })
      try {
        if (!options.overwrite && (await lstatOrNull(folder.entry()))) throw new NameTakenError(to)
        options.signal?.throwIfAborted()
        const temp = await this.copyIntoTemp(folder, to, descriptorPath(source.fd) ?? (await this.root.path(from)))
        try {
          options.signal?.throwIfAborted()
          await commitTemp(temp.path, folder.entry(), to, { exclusive: !options.overwrite, pathOf: (n) => this.entryBeside(folder, to, n) })
        } catch (err) {
          await this.removeTemp(temp, to)
          throw err
        } finally {
          await temp.handle.close()
        }
      } finally {
        await folder.close()
      }
    } catch (err) {
      throw osError(err, to)
    } finally {
      await source.close()
    }
  }

  /**
   * rename(), between the checked folders' descriptors. A file moved exclusively is linked and then
   * unlinked, which cannot replace one that appeared meanwhile; a folder has no such call in Node, so
   * its target was checked just before.
   */
  protected override async renameEntry(from: string, to: string, options: CopyOptions): Promise<void> {
    refuseTempName(to)
    await this.root.resolve(from, { forDelete: true })
    const target = await this.root.path(to, { forWrite: true })
    let source: OpenedFolder | null = null
    let into: OpenedFolder | null = null
    try {
      await makeDirectory(dirname(target), this.dirMode)
      source = await this.root.openParent(from, { forDelete: true })
      if (!source) throw notFound(from)
      into = await this.openFolderOf(to, { forWrite: true })
      const info = await lstat(source.entry())
      if (!options.overwrite && !info.isDirectory() && (await linkOnce(source.entry(), into.entry(), to))) {
        await unlink(source.entry())
        return
      }
      await rename(source.entry(), into.entry())
    } catch (err) {
      // Another file system mounted inside the root: a rename cannot cross it, a copy can. A folder moved
      // onto a folder that has files (overwrite): merged by the copy, as a file manager's "merge" does.
      const code = (err as NodeJS.ErrnoException).code
      if (code === 'ENOTEMPTY' || code === 'EEXIST') {
        if (!options.overwrite) throw new NameTakenError(to)
        return super.renameEntry(from, to, options)
      }
      if (code === 'EXDEV') return super.renameEntry(from, to, options)
      // The OS's word for a folder moved into itself (through a link the names do not show).
      if (code === 'EINVAL') throw intoItself(from, to)
      throw osError(err, to)
    } finally {
      await source?.close()
      await into?.close()
    }
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

  /** A file opened for reading and then checked for what it really is (see readFile). */
  private async openChecked(name: string): Promise<FileHandle> {
    if (isTempName(baseName(name))) throw notFound(name)
    const path = await this.root.path(name)
    let handle: FileHandle
    try {
      handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') throw notFound(name)
      throw osError(err, name)
    }
    try {
      await this.root.assertOpened(handle.fd, name)
      const info = await handle.stat()
      if (info.isDirectory()) throw new BackplaneError(ErrorCode.E_IS_DIRECTORY, `"${name}" is a folder.`, { hint: 'Open a file inside it instead.' })
      if (!info.isFile()) throw new BackplaneError(ErrorCode.E_UNSUPPORTED, `"${name}" is not a regular file (a pipe, socket or device), so it is not read.`)
      return handle
    } catch (err) {
      await handle.close()
      throw err
    }
  }

  /** The hidden temporary file a write goes to, in the checked folder, created new (never through a link) and checked for where it really is. */
  private async createTemp(folder: OpenedFolder, name: string): Promise<TempFile> {
    const temp = tempPathFor(folder.entry())
    const handle = await open(temp, CREATE_NEW, this.fileMode ?? 0o666)
    try {
      // A folder on the way swapped for a link since the name was checked: the new file is not where it
      // should be, so it goes again before anything is written into it.
      await this.root.assertOpened(handle.fd, name, { forWrite: true })
      // On the descriptor, so a umask cannot narrow it and a swapped name cannot redirect it (Django chmods too).
      if (this.fileMode !== undefined) await handle.chmod(this.fileMode)
      return { path: temp, handle }
    } catch (err) {
      const real = await this.whereOpened(handle)
      await handle.close()
      if (real) await rm(real, { force: true })
      throw err
    }
  }

  /**
   * The OS's copy made straight into a new temporary file. COPYFILE_EXCL has it create the file (O_EXCL,
   * which never follows a link) rather than copy onto one already open, which it would truncate first:
   * ext4 writes out a file truncated to zero as soon as it is closed (auto_da_alloc), which took a 1 GiB
   * copy from 0.3 s to 0.7 s. The copy is checked for where it landed before it is committed, as a write is.
   */
  private async copyIntoTemp(folder: OpenedFolder, name: string, source: string): Promise<TempFile> {
    const path = tempPathFor(folder.entry())
    let handle: FileHandle | undefined
    try {
      await copyFile(source, path, constants.COPYFILE_EXCL | constants.COPYFILE_FICLONE)
      handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW)
      await this.root.assertOpened(handle.fd, name, { forWrite: true })
      // The copy took the source's whole mode: the configured one wins, as for any new file, and without
      // one the permissions stay but set-UID, set-GID and sticky go (as cp without -p), or anyone who can
      // write here could make a set-UID copy owned by the user Backplane runs as.
      const { mode } = await handle.stat()
      const wanted = this.fileMode ?? mode & 0o777
      if ((mode & 0o7777) !== wanted) await handle.chmod(wanted)
      return { path, handle }
    } catch (err) {
      if (handle) {
        await this.removeTemp({ path, handle }, name)
        await handle.close()
        // A name taken is somebody else's file (the temporary names are random): anything else was ours.
      } else if ((err as NodeJS.ErrnoException).code !== 'EEXIST') await rm(path, { force: true })
      throw err
    }
  }

  /**
   * Removes a temporary file that will not be committed: under its name, and where its descriptor says
   * it now is (its folder may have been moved meanwhile) if that is still inside the root.
   */
  private async removeTemp(temp: TempFile, name: string): Promise<void> {
    await rm(temp.path, { force: true })
    const real = await this.whereOpened(temp.handle)
    if (real && (await this.root.assertOpened(temp.handle.fd, name, { forWrite: true }).then(() => true, () => false))) await rm(real, { force: true })
  }

  /** The path a descriptor's file has now (Linux), whatever was renamed since it was opened. */
  private async whereOpened(handle: FileHandle): Promise<string | undefined> {
    const fdPath = descriptorPath(handle.fd)
    const real = fdPath ? await readlink(fdPath).catch(() => undefined) : undefined
    return real?.endsWith(' (deleted)') ? undefined : real
  }

  /** The folder a write goes into, just created: it vanishing meanwhile is a typed error, not a crash. */
  private async openFolderOf(name: string, access: Access): Promise<OpenedFolder> {
    const folder = await this.root.openParent(name, access)
    if (!folder) throw new BackplaneError(ErrorCode.E_NOT_FOUND, `The folder of "${name}" vanished while it was being written.`, { hint: 'Try again.' })
    return folder
  }

  /** Where another name of the same folder goes (save's next free name): through the same descriptor, after its own check. */
  private async entryBeside(folder: OpenedFolder, name: string, other: string): Promise<string> {
    const path = await this.root.path(other, { forWrite: true })
    return splitName(other).dir === splitName(name).dir ? folder.entry(baseName(other)) : path
  }

  /**
   * A link followed: opened and checked for what was opened, so its target cannot be swapped meanwhile;
   * one that cannot be opened (a socket, no read permission) is checked where it leads and stat'ed.
   * null for a link that leads nowhere.
   */
  private async followLink(path: string, name: string): Promise<Stats | null> {
    let handle: FileHandle
    try {
      handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK)
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code
      if (code === 'ENOENT' || code === 'ENOTDIR') return null
      const real = await realpath(path).catch(() => null)
      if (real === null) return null
      await this.root.assertReal(real, name)
      return statOrNull(real)
    }
    try {
      await this.root.assertOpened(handle.fd, name)
      return await handle.stat()
    } finally {
      await handle.close()
    }
  }

  /**
   * One listed entry, stat'ed through the listed folder. A link is followed only if it stays inside the
   * root, else hidden; one that leads back to this folder or above it ("current -> .", "up -> ..") is
   * left out too, so a walk down the listing cannot run round in it without end.
   */
  private async listedEntry(folder: string, realFolder: string, name: string): Promise<StorageEntry | null> {
    const path = join(folder, baseName(name))
    const here = await lstatOrNull(path)
    if (!here) return null
    if (!here.isSymbolicLink()) return entryOf(name, here)
    const leadsTo = await realpath(path).catch(() => null)
    if (leadsTo === null || isInside(leadsTo, realFolder)) return null
    try {
      const target = await this.followLink(path, name)
      return target && entryOf(name, target)
    } catch (err) {
      // An entry that leads out of the root or into Backplane's data is not shown at all.
      if (err instanceof BackplaneError && (err.code === ErrorCode.E_PATH_OUTSIDE_ROOT || err.code === ErrorCode.E_RESERVED_PATH)) return null
      return { name, type: 'file' }
    }
  }

  /** E_INVALID_INPUT when the target is, on disk, the source or inside it (links followed), which the names alone may not show. */
  private async refuseIntoItself(from: string, to: string, { followSource }: { followSource: boolean }): Promise<void> {
    // The root and bad names are left to the base's checks, which say what is wrong with them.
    if (normalizeName(from) === '' || normalizeName(to) === '') return
    const source = await this.root.resolve(from)
    const target = await this.root.resolve(to)
    const place = followSource ? source.real : join(await realPathOf(dirname(source.path)), basename(source.path))
    if (isInside(place, target.real)) throw intoItself(from, to)
  }
}

/**
 * The content into the file, chunk by chunk, each write awaited (so a fast source waits for the disk).
 * The handle stays ours, not a write stream's, so that a failure can still ask it where the file is.
 */
async function writeAll(handle: FileHandle, content: Readable, signal: AbortSignal | undefined): Promise<void> {
  // Aborting destroys the content stream, which ends the loop with the abort's error.
  if (signal) addAbortSignal(signal, content)
  for await (const chunk of content) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Uint8Array)
    for (let done = 0; done < bytes.length; ) done += (await handle.write(bytes, done)).bytesWritten
  }
}

interface TempFile {
  path: string
  /** Open until the write is committed or removed. */
  handle: FileHandle
}

/** link(), false where the file system has no hard links; a taken name is NameTakenError. */
async function linkOnce(from: string, to: string, name: string): Promise<boolean> {
  try {
    await link(from, to)
    return true
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'EEXIST') throw new NameTakenError(name)
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP' || code === 'EMLINK') return false
    throw err
  }
}

function intoItself(from: string, to: string): BackplaneError {
  return new BackplaneError(ErrorCode.E_INVALID_INPUT, `"${to}" is "${from}" itself or inside it (through a symbolic link).`, { hint: 'Choose a target outside the folder being copied or moved.' })
}

/** Our temporary files' form is never a name: hidden from list, stat and open, so no write may make one. */
function refuseTempName(name: string): void {
  if (isTempName(baseName(name))) {
    throw new BackplaneError(ErrorCode.E_INVALID_NAME, `"${name}" has the form of Backplane's temporary files (.~bp-part-…), which are never shown.`, { hint: 'Choose another name.' })
  }
}

function entryOf(name: string, info: Stats): StorageEntry {
  const dir = info.isDirectory()
  return {
    name,
    type: dir ? 'dir' : 'file',
    ...(dir ? {} : { size: info.size }),
    modified: info.mtime.toISOString(),
    // A file system that keeps no birth time reports the epoch.
    ...(info.birthtimeMs > 0 ? { created: info.birthtime.toISOString() } : {}),
    accessed: info.atime.toISOString(),
  }
}

async function lstatOrNull(path: string): Promise<Stats | null> {
  return lstat(path).catch(() => null)
}

async function statOrNull(path: string): Promise<Stats | null> {
  try {
    return await stat(path)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR') return null
    throw err
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
