import { Readable } from 'node:stream'
import { defineEngine } from '../../../core/engine'
import { BackplaneError, ErrorCode } from '../../../core/errors'
import { countOf } from '../../../core/schemas/count-noun'
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

interface MemoryFile {
  data: Buffer
  modified: Date
}

/** Django's InMemoryStorage: files in a map, gone when the process ends; for tests and scratch work. */
class MemoryStorage extends BaseStorage {
  private readonly files = new Map<string, MemoryFile>()

  protected async write(name: string, content: StorageContent): Promise<void> {
    if (this.files.has(name)) throw new NameTakenError(name)
    const chunks: Buffer[] = []
    for await (const chunk of toReadable(content)) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array))
    if (this.files.has(name)) throw new NameTakenError(name)
    this.files.set(name, { data: Buffer.concat(chunks), modified: new Date() })
  }

  async open(name: string): Promise<Readable> {
    return Readable.from([this.file(name).data])
  }

  async delete(name: string): Promise<void> {
    const n = normalizeName(name)
    this.files.delete(n)
    for (const key of [...this.files.keys()]) if (key.startsWith(n + '/')) this.files.delete(key)
  }

  async exists(name: string): Promise<boolean> {
    const n = normalizeName(name)
    return this.files.has(n) || [...this.files.keys()].some((k) => k.startsWith(n + '/'))
  }

  async stat(name: string): Promise<StorageEntry> {
    const n = normalizeName(name)
    const file = this.files.get(n)
    if (file) return { name: n, type: 'file', size: file.data.length, modified: file.modified.toISOString() }
    if (await this.exists(n)) return { name: n, type: 'dir' }
    throw new BackplaneError(ErrorCode.E_NOT_FOUND, `"${name}" does not exist.`)
  }

  async list(path: string, { cursor, limit = 500 }: { cursor?: string | null; limit?: number } = {}): Promise<StorageListing> {
    const prefix = normalizeName(path) ? normalizeName(path) + '/' : ''
    const seen = new Map<string, StorageEntry>()
    for (const [key, file] of this.files) {
      if (!key.startsWith(prefix)) continue
      const rest = key.slice(prefix.length)
      const slash = rest.indexOf('/')
      if (slash === -1) seen.set(key, { name: key, type: 'file', size: file.data.length, modified: file.modified.toISOString() })
      else seen.set(prefix + rest.slice(0, slash), { name: prefix + rest.slice(0, slash), type: 'dir' })
    }
    return pageEntries([...seen.values()].sort((a, b) => (a.name < b.name ? -1 : 1)), cursor, limit)
  }

  protected async serverVersion(): Promise<string> {
    return `in memory, ${countOf(this.files.size, 'file')}`
  }

  private file(name: string): MemoryFile {
    const file = this.files.get(normalizeName(name))
    if (!file) throw new BackplaneError(ErrorCode.E_NOT_FOUND, `"${name}" does not exist.`)
    return file
  }
}

export const memoryEngine = defineEngine({
  kind: 'storage',
  id: 'memory',
  title: 'In memory',
  description: "Django's InMemoryStorage: files kept in memory until the app quits.",
  options: StorageOptions,
  create: (options, ctx) => new MemoryStorage(options, ctx),
})
