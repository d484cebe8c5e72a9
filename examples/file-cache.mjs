// A custom cache engine: one JSON file per key in a folder, after Django's FileBasedCache. Shared by
// every process that points at the same folder, and it survives restarts.
// Use it with  "engine": "./file-cache.mjs#FileCache", "options": { "location": "cache-files" }
// The base makes and checks keys (prefix, version), computes expiries, and builds getMany, setMany,
// deleteMany, hasKey, incr and decr from what is here; this engine only reads and writes its files.
import { createHash } from 'node:crypto'
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { isAbsolute, join } from 'node:path'
import { BaseCache, CacheOptions, defineEngine, globMatcher, z } from 'backplane/engine'

const FileCacheOptions = CacheOptions.extend({
  location: z.string().min(1).default('file-cache').describe('The folder of cache files; relative paths start in the data directory.'),
})

class FileCacheBackend extends BaseCache {
  constructor(options, ctx) {
    super(options, ctx)
    this.dir = isAbsolute(options.location) ? options.location : join(ctx.dataDir, options.location)
  }

  async get(key, options = {}) {
    return (await this.read(this.key(key, options)))?.value
  }

  async set(key, value, options = {}) {
    await this.write(this.key(key, options), value, this.expiryOf(options.timeout))
  }

  async add(key, value, options = {}) {
    if (await this.read(this.key(key, options))) return false
    await this.set(key, value, options)
    return true
  }

  async touch(key, options = {}) {
    const entry = await this.read(this.key(key, options))
    if (!entry) return false
    await this.write(entry.key, entry.value, this.expiryOf(options.timeout))
    return true
  }

  async delete(key, options = {}) {
    const stored = this.key(key, options)
    const existed = (await this.read(stored)) !== undefined
    await rm(this.file(stored), { force: true })
    return existed
  }

  async clear() {
    await rm(this.dir, { recursive: true, force: true })
  }

  async scan({ pattern = '*', cursor = null, count = 100 } = {}) {
    const matches = globMatcher(pattern)
    const files = (await readdir(this.dir).catch(() => [])).filter((f) => f.endsWith('.json')).sort()
    const entries = []
    let i = cursor ? Number(cursor) : 0
    for (; i < files.length && entries.length < count; i++) {
      const entry = await this.readFile(join(this.dir, files[i]))
      if (entry && matches(entry.key)) entries.push({ key: entry.key, ttl: entry.expires === null ? null : Math.ceil((entry.expires - Date.now()) / 1000), size: JSON.stringify(entry.value).length })
    }
    return { entries, cursor: i < files.length ? String(i) : null }
  }

  /** incr() keeps an entry's expiry, as Django does: the base asks how long it has left. */
  async remainingTimeout(key, options = {}) {
    const entry = await this.read(this.key(key, options))
    return entry?.expires === null ? null : entry ? Math.max(0, (entry.expires - Date.now()) / 1000) : undefined
  }

  async serverVersion() {
    return `folder ${this.dir}`
  }

  key(key, options) {
    const stored = this.makeKey(key, options.version)
    this.validateKey(stored)
    return stored
  }

  file(stored) {
    return join(this.dir, createHash('md5').update(stored).digest('hex') + '.json')
  }

  async read(stored) {
    return this.readFile(this.file(stored))
  }

  async readFile(path) {
    let entry
    try {
      entry = JSON.parse(await readFile(path, 'utf8'))
    } catch {
      return undefined
    }
    if (entry.expires !== null && entry.expires <= Date.now()) {
      await rm(path, { force: true })
      return undefined
    }
    return entry
  }

  async write(stored, value, expires) {
    await mkdir(this.dir, { recursive: true })
    // Written aside and renamed, so a reader in another process never sees half a file.
    const temp = `${this.file(stored)}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`
    await writeFile(temp, JSON.stringify({ key: stored, value, expires }))
    await rename(temp, this.file(stored))
  }
}

export const FileCache = defineEngine({
  kind: 'cache',
  title: 'Files in a folder',
  description: 'One JSON file per key, shared by every process pointed at the folder.',
  options: FileCacheOptions,
  create: (options, ctx) => new FileCacheBackend(options, ctx),
})
