import { Readable, addAbortSignal } from 'node:stream'
import { defineEngine } from '../../../core/engine'
import { BackplaneError, ErrorCode } from '../../../core/errors'
import { countOf } from '../../../core/schemas/count-noun'
import {
  BaseStorage,
  NameTakenError,
  StorageOptions,
  notFound,
  pageEntries,
  type ExclusiveWrite,
  type OpenOptions,
  type StorageEntry,
  type StorageListing,
  type WriteOptions,
} from '../base'

interface MemoryNode {
  /** Absent for a folder. */
  data?: Buffer
  created: Date
  modified: Date
  accessed: Date
}

/** Django's InMemoryStorage: files and folders in a map, gone when the process ends; for tests and scratch work. */
class MemoryStorage extends BaseStorage {
  private readonly nodes = new Map<string, MemoryNode>()

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
    this.nodes.set(name, { data: Buffer.concat(chunks), created: existing?.created ?? now, modified: now, accessed: now })
    return name
  }

  async readFile(name: string, { range }: OpenOptions): Promise<Readable> {
    const node = this.nodes.get(name)
    if (!node) throw notFound(name)
    if (!node.data) throw new BackplaneError(ErrorCode.E_IS_DIRECTORY, `"${name}" is a folder.`, { hint: 'Open a file inside it instead.' })
    node.accessed = new Date()
    const bytes = range ? node.data.subarray(range.start, range.end === undefined ? undefined : range.end + 1) : node.data
    return Readable.from([bytes])
  }

  async statEntry(name: string): Promise<StorageEntry | null> {
    if (name === '') return { name: '', type: 'dir' }
    const node = this.nodes.get(name)
    return node ? entryOf(name, node) : null
  }

  async listFolder(dir: string, { cursor, limit }: { cursor: string | null; limit: number }): Promise<StorageListing> {
    const prefix = dir ? dir + '/' : ''
    const children: StorageEntry[] = []
    for (const [key, node] of this.nodes) {
      if (key.startsWith(prefix) && !key.includes('/', prefix.length)) children.push(entryOf(key, node))
    }
    return pageEntries(children.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)), cursor, limit)
  }

  async deleteEntry(name: string): Promise<void> {
    this.nodes.delete(name)
    for (const key of [...this.nodes.keys()]) if (key.startsWith(name + '/')) this.nodes.delete(key)
  }

  async createFolder(name: string): Promise<void> {
    this.assertFolderPath(name)
    this.addParents(name)
    if (!this.nodes.has(name)) this.nodes.set(name, folderNode())
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
      if (!this.nodes.has(parent)) this.nodes.set(parent, folderNode())
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
