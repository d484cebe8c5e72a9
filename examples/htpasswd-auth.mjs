// A custom auth engine: users from an Apache htpasswd file with SHA-1 entries (`htpasswd -s`),
// lines like  ada:{SHA}base64(sha1(password)). A line starting with "#" is an inactive user.
// Use it with  "engine": "./htpasswd-auth.mjs#Htpasswd", "options": { "file": "users.htpasswd" }
import { createHash, timingSafeEqual } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { isAbsolute, join } from 'node:path'

export class Htpasswd {
  static title = 'htpasswd file'

  constructor(options, ctx) {
    this.ctx = ctx
    const file = typeof options.file === 'string' ? options.file : 'users.htpasswd'
    this.file = isAbsolute(file) ? file : join(ctx.dataDir, file)
  }

  async users() {
    const text = await readFile(this.file, 'utf8')
    const users = new Map()
    for (const raw of text.split('\n')) {
      const active = !raw.startsWith('#')
      const line = active ? raw.trim() : raw.slice(1).trim()
      const colon = line.indexOf(':')
      if (colon > 0) users.set(line.slice(0, colon), { hash: line.slice(colon + 1), active })
    }
    return users
  }

  async authenticate({ username, password }) {
    const user = (await this.users()).get(username)
    if (!user) return { ok: false, reason: 'unknown-user', message: `No "${username}" in ${this.file}.` }
    if (!user.hash.startsWith('{SHA}')) return { ok: false, reason: 'error', message: 'Only {SHA} entries are supported (htpasswd -s).' }
    const given = createHash('sha1').update(password, 'utf8').digest()
    const stored = Buffer.from(user.hash.slice(5), 'base64')
    if (stored.length !== given.length || !timingSafeEqual(given, stored)) return { ok: false, reason: 'bad-password', message: `Wrong password for "${username}".` }
    if (!user.active) return { ok: false, reason: 'inactive', message: `"${username}" is commented out in ${this.file}.` }
    return { ok: true, user: { id: username, username, isActive: true, isStaff: false, isSuperuser: false } }
  }

  async getUser(id) {
    const user = (await this.users()).get(id)
    return user ? { id, username: id, isActive: user.active, isStaff: false, isSuperuser: false } : null
  }

  async check() {
    const started = performance.now()
    const users = await this.users()
    return {
      kind: 'auth', alias: this.ctx.alias, engine: this.ctx.engine, state: 'ok', latencyMs: performance.now() - started,
      summary: `${users.size} users in ${this.file}`, steps: [{ name: 'read', ok: true, ms: performance.now() - started }],
      checkedAt: new Date().toISOString(),
    }
  }

  async close() {}
}
