// A custom storage engine: files in a folder, each saved under the day it arrived
// (uploads/2026/11/25/report.pdf), like Django's upload_to="%Y/%m/%d".
// Use it with  "engine": "./dated-storage.mjs#DatedFolder", "options": { "location": "uploads" }
import { createReadStream } from 'node:fs'
import { mkdir, open, readdir, rm, stat } from 'node:fs/promises'
import { dirname, isAbsolute, join, relative, resolve } from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'

export class DatedFolder {
  static title = 'Dated folders'

  constructor(options, ctx) {
    this.ctx = ctx
    const location = typeof options.location === 'string' ? options.location : 'uploads'
    this.root = isAbsolute(location) ? location : join(ctx.dataDir, location)
  }

  path(name) {
    const full = resolve(this.root, name)
    if (relative(this.root, full).startsWith('..')) throw Object.assign(new Error(`"${name}" points outside the storage.`), { code: 'E_PATH_OUTSIDE_ROOT' })
    return full
  }

  async save(name, content) {
    const day = new Date().toISOString().slice(0, 10).replace(/-/g, '/')
    const base = name.split('/').pop().replace(/ /g, '_').replace(/[^-\p{L}\p{N}_.]/gu, '')
    for (let i = 0; ; i++) {
      const candidate = `${day}/${i === 0 ? base : base.replace(/^([^.]*)/, `$1_${i}`)}`
      await mkdir(dirname(this.path(candidate)), { recursive: true })
      let handle
      try {
        handle = await open(this.path(candidate), 'wx')
      } catch (err) {
        if (err.code === 'EEXIST') continue
        throw err
      }
      const source = content instanceof Readable ? content : Readable.from([typeof content === 'string' ? Buffer.from(content) : content])
      await pipeline(source, handle.createWriteStream())
      return candidate
    }
  }

  async open(name) {
    await this.stat(name)
    return createReadStream(this.path(name))
  }

  async delete(name) {
    await rm(this.path(name), { recursive: true, force: true })
  }

  async exists(name) {
    return stat(this.path(name)).then(() => true, () => false)
  }

  async stat(name) {
    const info = await stat(this.path(name)).catch(() => {
      throw Object.assign(new Error(`"${name}" does not exist.`), { code: 'E_NOT_FOUND' })
    })
    return { name, type: info.isDirectory() ? 'dir' : 'file', size: info.size, modified: info.mtime.toISOString() }
  }

  async list(path = '', { cursor = null, limit = 500 } = {}) {
    const names = (await readdir(this.path(path || '.')).catch(() => [])).sort()
    const prefix = path ? `${path.replace(/\/$/, '')}/` : ''
    const all = await Promise.all(names.map((n) => this.stat(prefix + n)))
    const start = cursor ? all.findIndex((e) => e.name > cursor) : 0
    const entries = start < 0 ? [] : all.slice(start, start + limit)
    return { entries, cursor: start >= 0 && start + limit < all.length ? entries.at(-1).name : null }
  }

  url() {
    return null
  }

  async check() {
    const started = performance.now()
    await mkdir(this.root, { recursive: true })
    return {
      kind: 'storage', alias: this.ctx.alias, engine: this.ctx.engine, state: 'ok', latencyMs: performance.now() - started,
      summary: `folder ${this.root}`, steps: [{ name: 'folder', ok: true, ms: performance.now() - started }], checkedAt: new Date().toISOString(),
    }
  }

  async close() {}
}
