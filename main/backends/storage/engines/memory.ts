import { Readable, addAbortSignal } from 'node:stream'
import { defineEngine } from '../../../core/engine'
import { BackplaneError, ErrorCode } from '../../../core/errors'
import { countOf } from '../../../core/schemas/count-noun'
import {
  BaseStorage,
  NameTakenError,
  StorageOptions,
  baseName,
  normalizeName,
  notFound,
  splitName,
  type ExclusiveWrite,
  type OpenOptions,
  type StorageEntry,
  type StorageListing,
  type FolderPageRequest,
  type WriteOptions,
} from '../base'
import { cursorIn, firstAfter, pageOfNames } from '../folder-names'

interface MemoryNode {
  /** Absent for a folder. */
  data?: Buffer
  created: Date
  modified: Date
  accessed: Date
}

/** How much of a file open() copies at a time: a reader gets copies, never the stored bytes, and memory stays flat. */
const READ_CHUNK = 64 * 1024

/**
 * The names in one folder. Sorted only when listed, and kept sorted while listed (a binary search and a
 * splice per change), so a walk of a big folder page by page costs one sort, not one per page.
 */
class FolderIndex {
  private readonly names = new Set<string>()
  private sorted: string[] | null = null

  add(name: string): void {
    if (this.names.has(name)) return
    this.names.add(name)
    this.sorted?.splice(firstAfter(this.sorted, name), 0, name)
  }

  remove(name: string): void {
    if (!this.names.delete(name)) return
    this.sorted?.splice(firstAfter(this.sorted, name) - 1, 1)
  }

  get empty(): boolean {
    return this.names.size === 0
  }

  /** Names after `cursor` (all for null) that `keep` wants, at most `limit`, and the cursor of the next page. */
  page(cursor: string | null, limit: number, keep?: (name: string) => boolean): { names: string[]; last: string | null } {
    // The default sort compares code units, as the cursor does.
    this.sorted ??= [...this.names].sort()
    return pageOfNames(this.sorted, cursor, limit, keep)
  }

  all(): IterableIterator<string> {
    return this.names.values()
  }
}

/** Django's InMemoryStorage: files and folders in a map, gone when the process ends; for tests and scratch work. */
class MemoryStorage extends BaseStorage {
  private readonly nodes = new Map<string, MemoryNode>()
  /** Each folder's children by name ('' is the root), so listing and deleting a folder never scan the whole storage. */
  private readonly folders = new Map<string, FolderIndex>([['', new FolderIndex()]])

  async writeFile(name: string, content: Readable, options: WriteOptions & ExclusiveWrite): Promise<string> {
    if (options.exclusive && this.nodes.has(name)) throw new NameTakenError(name)
    this.assertFolderPath(name)
    const chunks: Buffer[] = []
    // Aborting destroys the stream, which ends the loop below with the abort's error.
    if (options.signal) addAbortSignal(options.signal, content)
    for await (const chunk of content) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array))
    // Another write finished first while this one was reading: as the filesystem's link, take another name.
    while (options.exclusive && this.nodes.has(name)) {
      if (!options.nextName) throw new NameTakenError(name)
      name = await options.nextName()
    }
    const existing = this.nodes.get(name)
    if (existing && !existing.data) throw new BackplaneError(ErrorCode.E_IS_DIRECTORY, `"${name}" is a folder.`, { hint: 'Choose another file name.' })
    this.assertFolderPath(name)
    this.addParents(name)
    const now = new Date()
    this.setNode(name, { data: Buffer.concat(chunks), created: existing?.created ?? now, modified: now, accessed: now })
    return name
  }

  async readFile(name: string, { range }: OpenOptions): Promise<Readable> {
    const node = this.nodes.get(name)
    if (!node) throw notFound(name)
    if (!node.data) throw new BackplaneError(ErrorCode.E_IS_DIRECTORY, `"${name}" is a folder.`, { hint: 'Open a file inside it instead.' })
    node.accessed = new Date()
    const data = node.data
    const start = Math.min(range?.start ?? 0, data.length)
    const end = range?.end === undefined ? data.length : Math.min(range.end + 1, data.length)
    // Copies, chunk by chunk: a reader that writes into its chunks must not change the stored file.
    return Readable.from(
      (function* () {
        for (let at = start; at < end; at += READ_CHUNK) yield Buffer.from(data.subarray(at, Math.min(at + READ_CHUNK, end)))
      })(),
      { objectMode: false },
    )
  }

  async statEntry(name: string): Promise<StorageEntry | null> {
    if (name === '') return { name: '', type: 'dir' }
    const node = this.nodes.get(name)
    return node ? entryOf(name, node) : null
  }

  async listFolder(dir: string, { cursor, limit, keep }: FolderPageRequest): Promise<StorageListing> {
    const folder = this.folders.get(dir)
    if (!folder) return { entries: [], cursor: null }
    const prefix = dir ? dir + '/' : ''
    // The cursor is the last full name shown; within one folder, names sort as their last parts do. One
    // from another folder starts from the top, as on every engine.
    const after = cursorIn(cursor, prefix)
    const { names, last } = folder.page(after, limit, keep)
    const entries = names.map((child) => entryOf(prefix + child, this.nodes.get(prefix + child)!))
    return { entries, cursor: last === null ? null : prefix + last }
  }

  async deleteEntry(name: string): Promise<void> {
    const node = this.nodes.get(name)
    if (!node) return
    if (!node.data) this.deleteChildren(name)
    this.nodes.delete(name)
    this.folders.get(splitName(name).dir.replace(/\/$/, ''))?.remove(baseName(name))
  }

  /** Looked at and removed in one turn of the event loop: no write can come between. */
  override async removeFolderIfEmpty(name: string): Promise<boolean> {
    const n = normalizeName(name)
    const node = this.nodes.get(n)
    if (n === '' || !node || node.data || this.folders.get(n)?.empty === false) return false
    this.nodes.delete(n)
    this.folders.delete(n)
    this.folders.get(splitName(n).dir.replace(/\/$/, ''))?.remove(baseName(n))
    return true
  }

  async createFolder(name: string): Promise<void> {
    this.assertFolderPath(name)
    this.addParents(name)
    if (!this.nodes.has(name)) this.setNode(name, folderNode())
  }

  protected async serverVersion(): Promise<string> {
    return `in memory, ${countOf([...this.nodes.values()].filter((n) => n.data).length, 'file')}`
  }

  /** A file where a folder of the path should be: the error the filesystem gives (ENOTDIR). */
  private assertFolderPath(name: string): void {
    for (let slash = name.indexOf('/'); slash !== -1; slash = name.indexOf('/', slash + 1)) {
      if (this.nodes.get(name.slice(0, slash))?.data) {
        throw new BackplaneError(ErrorCode.E_NOT_A_DIRECTORY, `"${name.slice(0, slash)}" is a file, so "${name}" cannot be in it.`, { hint: 'Choose a folder, or remove the file that has its name.' })
      }
    }
  }

  private addParents(name: string): void {
    for (let slash = name.indexOf('/'); slash !== -1; slash = name.indexOf('/', slash + 1)) {
      const parent = name.slice(0, slash)
      if (!this.nodes.has(parent)) this.setNode(parent, folderNode())
    }
  }

  /** A node stored, and listed in its folder (whose parents exist: addParents ran). */
  private setNode(name: string, node: MemoryNode): void {
    this.nodes.set(name, node)
    if (!node.data && !this.folders.has(name)) this.folders.set(name, new FolderIndex())
    this.folders.get(splitName(name).dir.replace(/\/$/, ''))!.add(baseName(name))
  }

  /** Everything under a folder, depth first, without recursion (a deep tree must not overflow the stack). */
  private deleteChildren(dir: string): void {
    const pending = [dir]
    for (let folder = pending.pop(); folder !== undefined; folder = pending.pop()) {
      const index = this.folders.get(folder)
      this.folders.delete(folder)
      for (const child of index?.all() ?? []) {
        const name = `${folder}/${child}`
        if (!this.nodes.get(name)?.data) pending.push(name)
        this.nodes.delete(name)
      }
    }
  }
}


function folderNode(): MemoryNode {
  const now = new Date()
  return { created: now, modified: now, accessed: now }
}

function entryOf(name: string, node: MemoryNode): StorageEntry {
  const times = { modified: node.modified.toISOString(), created: node.created.toISOString(), accessed: node.accessed.toISOString() }
  return node.data ? { name, type: 'file', size: node.data.length, ...times } : { name, type: 'dir', ...times }
}

export const memoryEngine = defineEngine({
  kind: 'storage',
  id: 'memory',
  title: 'In memory',
  description: "Django's InMemoryStorage: files kept in memory until the app quits.",
  options: StorageOptions,
  create: (options, ctx) => new MemoryStorage(options, ctx),
})
