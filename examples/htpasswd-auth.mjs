// A custom auth engine: users from an Apache htpasswd file with SHA-1 entries (`htpasswd -s`),
// lines like  ada:{SHA}base64(sha1(password)). A line starting with "#" is an inactive user.
// Use it with  "engine": "./htpasswd-auth.mjs#Htpasswd", "options": { "file": "users.htpasswd" }
// The base refuses inactive users (unless allowInactive), words each refusal and checks health; this
// engine only reads and appends its file.
import { createHash, timingSafeEqual } from 'node:crypto'
import { appendFile, readFile } from 'node:fs/promises'
import { isAbsolute, join } from 'node:path'
import { AuthOptions, BackplaneError, BaseAuthBackend, ErrorCode, defineEngine, z } from 'backplane/engine'

const HtpasswdOptions = AuthOptions.extend({
  file: z.string().min(1).default('users.htpasswd').describe('The htpasswd file; relative paths start in the data directory.'),
})

const sha1 = (password) => createHash('sha1').update(password, 'utf8').digest()

class HtpasswdBackend extends BaseAuthBackend {
  constructor(options, ctx) {
    super(options, ctx)
    this.file = isAbsolute(options.file) ? options.file : join(ctx.dataDir, options.file)
  }

  async authenticate({ username, password }) {
    const entry = (await this.entries()).get(username)
    if (!entry) return this.refuse('unknown-user', `No "${username}" in ${this.file}.`)
    if (!entry.hash.startsWith('{SHA}')) return this.refuse('error', 'Only {SHA} entries are supported (htpasswd -s).')
    const stored = Buffer.from(entry.hash.slice(5), 'base64')
    const given = sha1(password)
    if (stored.length !== given.length || !timingSafeEqual(given, stored)) return this.refuse('bad-password', `Wrong password for "${username}".`)
    return this.accept(toUser(username, entry))
  }

  async getUser(id) {
    const entry = (await this.entries()).get(id)
    return entry ? toUser(id, entry) : null
  }

  async createUser({ username, password, isActive = true }) {
    if (!/^[^:\s#]+$/.test(username)) throw new BackplaneError(ErrorCode.E_INVALID_INPUT, `"${username}" cannot be an htpasswd user name.`, { hint: 'Leave out ":", "#" and spaces.' })
    if ((await this.entries()).has(username)) throw new BackplaneError(ErrorCode.E_CONFLICT, `A user "${username}" already exists.`)
    await appendFile(this.file, `${isActive ? '' : '#'}${username}:{SHA}${sha1(password ?? '').toString('base64')}\n`)
    return toUser(username, { active: isActive })
  }

  async serverVersion() {
    return `htpasswd file ${this.file}, ${(await this.entries()).size} users`
  }

  async entries() {
    let text
    try {
      text = await readFile(this.file, 'utf8')
    } catch (err) {
      if (err.code === 'ENOENT') return new Map()
      throw err
    }
    const users = new Map()
    for (const raw of text.split('\n')) {
      const active = !raw.startsWith('#')
      const line = active ? raw.trim() : raw.slice(1).trim()
      const colon = line.indexOf(':')
      if (colon > 0) users.set(line.slice(0, colon), { hash: line.slice(colon + 1), active })
    }
    return users
  }
}

function toUser(username, entry) {
  return { id: username, username, isActive: entry.active, isStaff: false, isSuperuser: false }
}

export const Htpasswd = defineEngine({
  kind: 'auth',
  title: 'htpasswd file',
  description: 'Users from an Apache htpasswd file ({SHA} entries).',
  options: HtpasswdOptions,
  create: (options, ctx) => new HtpasswdBackend(options, ctx),
})
