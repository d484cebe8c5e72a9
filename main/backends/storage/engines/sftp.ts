import type { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { defineEngine, type EngineContext } from '../../../core/engine'
import { BackplaneError, ErrorCode } from '../../../core/errors'
import type { HealthProbe } from '../../../core/health-probe'
import {
  BaseStorage,
  isAddressable,
  NameTakenError,
  normalizeName,
  notFound,
  splitName,
  type CopyOptions,
  type ExclusiveWrite,
  type OpenOptions,
  type StorageEntry,
  type StorageListing,
  type FolderPageRequest,
  type WriteOptions,
} from '../base'
import { diskFull, SftpStatus, statusOf } from './sftp-errors'
import { cursorIn, pageOfNames } from '../folder-names'
import { newTempName } from '../temp-names'
import { entryOf, FolderReads, readFolder } from './sftp-listing'
import { SftpOptions } from './sftp-options'
import { orNull, SftpRoot } from './sftp-root'
import { SftpSession, type SftpChannel } from './sftp-session'
import { SftpFileReader, SftpFileWriter } from './sftp-streams'

/** How many deletes a recursive delete keeps in flight. */
const DELETE_DEPTH = 8
/** How long close() waits for temporary files of failed writes to be removed. */
const CLEANUP_WAIT_MS = 5_000
/** Less free space than this after a failed write means the disk is full. */
const FULL_BELOW_BYTES = 1024 * 1024

/** Files on an SSH server, through SFTP: one connection per alias, names kept inside `root`. */
export class SftpStorage extends BaseStorage {
  override readonly features = { localPath: false, presignedUrls: false, folders: 'real' } as const
  private readonly session: SftpSession
  private readonly root: SftpRoot
  private readonly folderReads = new FolderReads()
  /** Temporary files of failed writes being removed in the background (their connection was gone). */
  private readonly cleanups = new Set<Promise<void>>()

  constructor(private readonly sftpOptions: SftpOptions, ctx: EngineContext) {
    super(sftpOptions, ctx)
    this.root = new SftpRoot(sftpOptions.root)
    this.session = new SftpSession({
      login: sftpOptions,
      dataDir: ctx.dataDir,
      log: ctx.log,
      connectTimeoutMs: sftpOptions.connectTimeoutSeconds * 1000,
      operationTimeoutMs: sftpOptions.timeoutSeconds * 1000,
    })
  }

  async writeFile(name: string, content: Readable, options: WriteOptions & ExclusiveWrite): Promise<string> {
    return this.viaTemporaryFile(name, options, async (channel, handle, subject) => {
      await pipeline(content, new SftpFileWriter(channel, handle, subject), ...(options.signal ? [{ signal: options.signal }] : []))
    }, () => content.destroy())
  }

  async readFile(name: string, { range, signal }: OpenOptions): Promise<Readable> {
    const channel = await this.session.channel()
    const found = await this.root.resolve(channel, name)
    if (!found) throw notFound(name)
    if (found.info.isDirectory()) throw new BackplaneError(ErrorCode.E_IS_DIRECTORY, `"${name}" is a folder.`, { hint: 'Open a file in it, or download the folder as a zip.' })
    // A pipe or device would hold the server's SFTP process (and with it every request of this alias).
    if (!found.info.isFile()) throw new BackplaneError(ErrorCode.E_UNSUPPORTED, `"${name}" is not a regular file (a pipe, socket or device), so it is not read.`)
    signal?.throwIfAborted()
    const handle = await channel.openFile(found.real, 'r', name)
    const size = found.info.size
    const start = Math.min(range?.start ?? 0, size)
    const end = range?.end === undefined ? size : Math.min(range.end + 1, size)
    const stream = new SftpFileReader(channel, handle, start, Math.max(start, end), name)
    if (signal) {
      const onAbort = () => stream.destroy(new BackplaneError(ErrorCode.E_CANCELLED, `Reading "${name}" was cancelled.`))
      signal.addEventListener('abort', onAbort, { once: true })
      stream.once('close', () => signal.removeEventListener('abort', onAbort))
    }
    return stream
  }

  async statEntry(name: string): Promise<StorageEntry | null> {
    const found = await this.root.resolve(await this.session.channel(), name)
    return found ? entryOf(name, found.info) : null
  }

  async listFolder(dir: string, { cursor, limit, keep }: FolderPageRequest): Promise<StorageListing> {
    const channel = await this.session.channel()
    const found = await this.root.resolve(channel, dir)
    if (!found) return { entries: [], cursor: null }
    if (!found.info.isDirectory()) throw new BackplaneError(ErrorCode.E_NOT_A_DIRECTORY, `"${dir}" is a file, not a folder.`, { hint: 'List the folder it is in.' })
    const prefix = dir ? dir + '/' : ''
    const folder = await this.folderReads.get(found.real, cursor === null, async () => readFolder(await channel.readdir(found.real, dir || '(root)')))
    const page = pageOfNames(folder.names, cursorIn(cursor, prefix), limit, keep)
    // A link is shown as what it leads to when that is inside the root; one that leads out (or nowhere) is left out.
    const entries = await Promise.all(
      page.names.map(async (file) => {
        // A name no Backplane name can address ("a\\b.txt", made by scp or a shell) would act on another file.
        if (!isAddressable(prefix + file)) return undefined
        const attrs = folder.attrs.get(file)!
        if (!attrs.isSymbolicLink()) return entryOf(prefix + file, attrs)
        const target = await this.root.resolve(channel, prefix + file).catch(() => null)
        return target ? entryOf(prefix + file, target.info) : undefined
      }),
    )
    return { entries: entries.filter((e): e is StorageEntry => e !== undefined), cursor: page.last === null ? null : prefix + page.last }
  }

  async deleteEntry(name: string): Promise<void> {
    await this.changing(() => this.deleteTree(name))
  }

  private async deleteTree(name: string): Promise<void> {
    const channel = await this.session.channel()
    const { dir, file } = splitName(name)
    const parent = await this.root.resolve(channel, dir.replace(/\/$/, ''))
    if (!parent?.info.isDirectory()) return
    const path = `${parent.real}/${file}`
    // lstat: a link is removed itself, never what it points to.
    const info = await orNull(channel.lstat(path, name))
    if (!info) return
    if (info.isDirectory()) await this.removeTree(channel, path, name)
    else await orNull(channel.unlink(path, name))
  }

  /** rmdir, which the server refuses for a folder with anything in it: nothing written into it meanwhile is lost. */
  override async removeFolderIfEmpty(name: string): Promise<boolean> {
    const n = normalizeName(name)
    if (n === '') return false
    return this.changing(async () => {
      const channel = await this.session.channel()
      const { dir, file } = splitName(n)
      const parent = await this.root.resolve(channel, dir.replace(/\/$/, ''))
      if (!parent?.info.isDirectory()) return false
      const path = `${parent.real}/${file}`
      // lstat: a link is never followed, nor removed here.
      if (!(await orNull(channel.lstat(path, n)))?.isDirectory()) return false
      try {
        await channel.rmdir(path, n)
        return true
      } catch (err) {
        // SFTP says only "failure" for a folder that is not empty: one that still has entries stays.
        if ((await orNull(channel.readdir(path, n)))?.length) return false
        throw err
      }
    })
  }

  async createFolder(name: string): Promise<void> {
    await this.changing(async () => this.root.folder(await this.session.channel(), name))
  }

  /** Runs a change to the server; listings read before it finished are not used for later pages. */
  private async changing<T>(change: () => Promise<T>): Promise<T> {
    try {
      return await change()
    } finally {
      this.folderReads.changed()
    }
  }

  protected override async renameEntry(from: string, to: string, options: CopyOptions): Promise<void> {
    const channel = await this.session.channel()
    const source = splitName(from)
    const sourceFolder = await this.root.resolve(channel, source.dir.replace(/\/$/, ''))
    const sourcePath = `${sourceFolder?.real}/${source.file}`
    if (!sourceFolder || !(await orNull(channel.lstat(sourcePath, from)))) throw notFound(from)
    const target = splitName(to)
    const targetPath = `${await this.root.folder(channel, target.dir.replace(/\/$/, ''))}/${target.file}`
    await this.commit(channel, sourcePath, targetPath, to, !options.overwrite)
  }

  /** A server-side copy where the server offers copy-data (OpenSSH 9.0 and later); else the base streams it. */
  protected override async copyFile(from: string, to: string, options: CopyOptions): Promise<void> {
    const channel = await this.session.channel()
    if (!channel.supports('copy-data')) return super.copyFile(from, to, options)
    const found = await this.root.resolve(channel, from)
    if (!found) throw notFound(from)
    if (found.info.isDirectory()) throw new BackplaneError(ErrorCode.E_IS_DIRECTORY, `"${from}" is a folder.`, { hint: 'Copy the folder, not a file of it.' })
    // As open(): a pipe or device would hold the server's SFTP process.
    if (!found.info.isFile()) throw new BackplaneError(ErrorCode.E_UNSUPPORTED, `"${from}" is not a regular file (a pipe, socket or device), so it is not copied.`)
    const source = await channel.openFile(found.real, 'r', from)
    try {
      await this.viaTemporaryFile(to, { exclusive: !options.overwrite, ...(options.signal ? { signal: options.signal } : {}) }, (c, handle, subject) => c.copyData(source, handle, subject))
    } finally {
      await channel.closeFile(source, from).catch(() => undefined)
    }
  }

  /** The host, port and real path of the root, so two aliases on one folder (one via a link) are one place. */
  override async rootPlace(): Promise<string> {
    const root = await this.root.realPath(await this.session.channel())
    const host = this.sftpOptions.host.includes(':') ? `[${this.sftpOptions.host}]` : this.sftpOptions.host
    return `sftp://${host.toLowerCase()}:${this.sftpOptions.port}${root.split('/').map(encodeURIComponent).join('/')}`
  }

  protected async serverVersion(): Promise<string> {
    const channel = await this.session.channel()
    const root = await this.root.realPath(channel)
    return `${channel.serverSoftware ?? 'SFTP server'}, folder ${root} as ${this.sftpOptions.user}@${this.session.server}`
  }

  /** The root is there and is a folder; nothing is written. */
  protected override async checkSteps(probe: HealthProbe): Promise<void> {
    await probe.step('root', async () => {
      const channel = await this.session.channel()
      const problem = await this.root.problem(channel)
      if (problem) throw problem
      return `folder ${await this.root.realPath(channel)}`
    }, (detail) => detail)
  }

  override async close(): Promise<void> {
    // Leftovers of a lost connection get a few seconds to go; a server that stays away keeps them (see docs/storage.md).
    await Promise.race([Promise.all(this.cleanups), new Promise((resolve) => setTimeout(resolve, CLEANUP_WAIT_MS).unref())])
    await this.session.close()
  }

  /**
   * Writes `name` through a temporary file beside it: created exclusively, filled by `fill`, closed,
   * then renamed into place. On any failure the temporary file is removed (on a new connection, in the
   * background, when the old one is gone) and nothing appears under `name`.
   */
  private async viaTemporaryFile(
    name: string,
    options: WriteOptions & ExclusiveWrite,
    fill: (channel: SftpChannel, handle: Buffer, subject: string) => Promise<void>,
    abandon?: () => void,
  ): Promise<string> {
    let channel: SftpChannel
    let temp: string
    let folder: string
    try {
      options.signal?.throwIfAborted()
      channel = await this.session.channel()
      const { dir, file } = splitName(name)
      folder = await this.root.folder(channel, dir.replace(/\/$/, ''))
      const existing = await orNull(channel.lstat(`${folder}/${file}`, name))
      if (existing?.isDirectory()) throw new BackplaneError(ErrorCode.E_IS_DIRECTORY, `"${name}" is a folder.`, { hint: 'Choose another file name.' })
      // Taken before any content was read: save() picks another name with the content untouched.
      if (existing && options.exclusive) throw new NameTakenError(name)
      temp = `${folder}/${newTempName()}`
    } catch (err) {
      // A name taken leaves the content unread, for save() to try the next name with.
      if (!(err instanceof NameTakenError)) abandon?.()
      throw err
    }
    const handle = await channel.openFile(temp, 'wx', name).catch((err: unknown) => {
      abandon?.()
      throw err
    })
    try {
      try {
        await fill(channel, handle, name)
      } finally {
        // Closed even after a failure, so the server lets go of the file before it is removed.
        if (!channel.lost) await channel.closeFile(handle, name).catch(() => undefined)
      }
      options.signal?.throwIfAborted()
      for (;;) {
        try {
          await this.commit(channel, temp, `${folder}/${splitName(name).file}`, name, options.exclusive)
          return name
        } catch (err) {
          // Another writer finished first: save() gives a new name (in the same folder) and this one is committed under it.
          if (!(err instanceof NameTakenError) || !options.nextName) throw err
          const next = await options.nextName()
          if (splitName(next).dir !== splitName(name).dir) throw err
          name = next
        }
      }
    } catch (err) {
      abandon?.()
      await this.removeTemporary(channel, temp)
      throw await this.writeError(err, channel, folder, name, options.signal)
    }
  }

  /** Renames into place: exclusive with SFTP's rename (OpenSSH's never replaces), else POSIX rename, atomic. */
  private async commit(channel: SftpChannel, from: string, to: string, name: string, exclusive: boolean): Promise<void> {
    return this.changing(() => this.rename(channel, from, to, name, exclusive))
  }

  private async rename(channel: SftpChannel, from: string, to: string, name: string, exclusive: boolean): Promise<void> {
    if (!exclusive) {
      if (channel.supports('posix-rename@openssh.com')) return channel.posixRename(from, to, name)
      // Without the extension, replacing is remove-then-rename: readers may briefly find nothing.
      const existing = await orNull(channel.lstat(to, name))
      if (existing?.isDirectory()) throw new BackplaneError(ErrorCode.E_IS_DIRECTORY, `"${name}" is a folder.`, { hint: 'Choose another name.' })
      if (existing) await orNull(channel.unlink(to, name))
      return channel.rename(from, to, name)
    }
    try {
      await channel.rename(from, to, name)
    } catch (err) {
      if (statusOf((err as { cause?: unknown }).cause) === SftpStatus.FAILURE && (await orNull(channel.lstat(to, name)))) throw new NameTakenError(name)
      throw err
    }
  }

  /** Removes a temporary file: at once on a live connection; on a new one in the background when the connection is gone. */
  private async removeTemporary(channel: SftpChannel, temp: string): Promise<void> {
    const remove = async (on: SftpChannel) => void (await on.unlink(temp, '(temporary file)'))
    const failed = (err: unknown) => this.ctx.log.warn(`Could not remove the temporary file ${temp} on ${this.session.server}: ${(err as Error).message}`)
    if (!channel.lost) return remove(channel).catch(failed)
    const cleanup: Promise<void> = this.session.channel().then(remove).catch(failed).finally(() => this.cleanups.delete(cleanup))
    this.cleanups.add(cleanup)
  }

  /** The failure of a write, told apart: cancelled, disk full (SFTP v3 says only "Failure"), or as it came. */
  private async writeError(err: unknown, channel: SftpChannel, folder: string, name: string, signal: AbortSignal | undefined): Promise<unknown> {
    if (signal?.aborted || (err as Error).name === 'AbortError') return new BackplaneError(ErrorCode.E_CANCELLED, `Writing "${name}" was cancelled; nothing was kept.`)
    const cause = (err as { cause?: unknown }).cause
    if (err instanceof BackplaneError && statusOf(cause) === SftpStatus.FAILURE && !channel.lost && channel.supports('statvfs@openssh.com')) {
      const space = await channel.statvfs(folder, name).catch(() => undefined)
      if (space && space.bavail * space.frsize < FULL_BELOW_BYTES) return diskFull(this.session.server, name, err)
    }
    return err
  }

  /** A folder and everything in it, depth first; links inside are removed, not followed. */
  private async removeTree(channel: SftpChannel, path: string, name: string): Promise<void> {
    const entries = (await orNull(channel.readdir(path, name))) ?? []
    const queue = entries.filter((e) => e.filename !== '.' && e.filename !== '..')
    const worker = async () => {
      for (let entry = queue.shift(); entry; entry = queue.shift()) {
        const child = `${path}/${entry.filename}`
        if (entry.attrs.isDirectory()) await this.removeTree(channel, child, `${name}/${entry.filename}`)
        else await orNull(channel.unlink(child, `${name}/${entry.filename}`))
      }
    }
    await Promise.all(Array.from({ length: DELETE_DEPTH }, worker))
    await orNull(channel.rmdir(path, name))
  }
}

export const sftpEngine = defineEngine({
  kind: 'storage',
  id: 'sftp',
  title: 'SFTP server',
  description: 'Files on an SSH server, through SFTP; the server is known by its pinned host key.',
  options: SftpOptions,
  create: (options, ctx) => new SftpStorage(options, ctx),
})
