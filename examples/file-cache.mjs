// A custom cache engine: one JSON file per key in a folder, after Django's FileBasedCache. Shared by
// every process that points at the same folder, and it survives restarts.
// Use it with  "engine": "./file-cache.mjs#FileCache", "options": { "location": "cache-files" }
import { createHash } from 'node:crypto'
import { mkdir, readdir, readFile, rm, writeFile, rename } from 'node:fs/promises'
import { isAbsolute, join } from 'node:path'

export class FileCache {
  static title = 'Files in a folder'

  constructor(options, ctx) {
    const location = typeof options.location === 'string' ? options.location : 'file-cache'
    this.dir = isAbsolute(location) ? location : join(ctx.dataDir, location)
    this.prefix = options.keyPrefix ?? ''
    this.version = options.version ?? 1
    this.timeout = options.timeout === undefined ? 300 : options.timeout
  }

  key(key, version) {
    return `${this.prefix}:${version ?? this.version}:${key}`
  }

  file(stored) {
    return join(this.dir, createHash('md5').update(stored).digest('hex') + '.json')
  }

  async read(stored) {
    try {
      const entry = JSON.parse(await readFile(this.file(stored), 'utf8'))
      if (entry.expires !== null && entry.expires <= Date.now()) {
        await rm(this.file(stored), { force: true })
        return undefined
      }
      return entry
    } catch {
      return undefined
    }
  }

  async write(stored, value, timeout) {
    const seconds = timeout === undefined ? this.timeout : timeout
    const entry = { key: stored, value, expires: seconds === null ? null : Date.now() + seconds * 1000 }
    await mkdir(this.dir, { recursive: true })
    const temp = this.file(stored) + `.${process.pid}.tmp`
    await writeFile(temp, JSON.stringify(entry))
    await rename(temp, this.file(stored))
  }

  async get(key, options = {}) {
    return (await this.read(this.key(key, options.version)))?.value
  }
  async set(key, value, options = {}) {
    await this.write(this.key(key, options.version), value, options.timeout)
  }
  async add(key, value, options = {}) {
    if (await this.read(this.key(key, options.version))) return false
    await this.set(key, value, options)
    return true
  }
  async touch(key, options = {}) {
    const entry = await this.read(this.key(key, options.version))
    if (!entry) return false
    await this.write(entry.key, entry.value, options.timeout)
    return true
  }
  async delete(key, options = {}) {
    const existed = (await this.read(this.key(key, options.version))) !== undefined
    await rm(this.file(this.key(key, options.version)), { force: true })
    return existed
  }
  async hasKey(key, options = {}) {
    return (await this.read(this.key(key, options.version))) !== undefined
  }
  async getMany(keys, options = {}) {
    const found = new Map()
    for (const key of keys) {
      const entry = await this.read(this.key(key, options.version))
      if (entry) found.set(key, entry.value)
    }
    return found
  }
  async setMany(entries, options = {}) {
    for (const [key, value] of entries) await this.set(key, value, options)
    return []
  }
  async deleteMany(keys, options = {}) {
    for (const key of keys) await this.delete(key, options)
  }
  async incr(key, delta = 1, options = {}) {
    const entry = await this.read(this.key(key, options.version))
    if (!entry) throw Object.assign(new Error(`Key "${key}" not found.`), { code: 'E_NOT_FOUND' })
    const seconds = entry.expires === null ? null : Math.max(0, (entry.expires - Date.now()) / 1000)
    await this.write(entry.key, entry.value + delta, seconds)
    return entry.value + delta
  }
  async decr(key, delta = 1, options = {}) {
    return this.incr(key, -delta, options)
  }
  async clear() {
    await rm(this.dir, { recursive: true, force: true })
  }
  async scan({ pattern = '*', cursor = null, count = 100 } = {}) {
    const match = new RegExp('^' + pattern.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$')
    const files = (await readdir(this.dir).catch(() => [])).filter((f) => f.endsWith('.json')).sort()
    const start = cursor ? Number(cursor) : 0
    const entries = []
    let i = start
    for (; i < files.length && entries.length < count; i++) {
      const entry = JSON.parse(await readFile(join(this.dir, files[i]), 'utf8').catch(() => 'null'))
      if (!entry || (entry.expires !== null && entry.expires <= Date.now()) || !match.test(entry.key)) continue
      entries.push({ key: entry.key, ttl: entry.expires === null ? null : Math.ceil((entry.expires - Date.now()) / 1000), size: JSON.stringify(entry.value).length })
    }
    return { entries, cursor: i < files.length ? String(i) : null }
  }
  // No check(): Backplane reports a custom engine without one as healthy once created, and says so.
}
