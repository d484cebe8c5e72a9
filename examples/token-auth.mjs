// A custom auth engine: API tokens, as a REST API's token authentication. The tokens live in a JSON file
// of the data directory, hashed with SHA-256 (a leaked file gives no token away), one user each:
//   { "users": [{ "username": "ada", "tokenSha256": "<hex>", "isStaff": false, "permissions": ["blog.add_post"] }] }
// ("isActive": false makes an inactive user). Credentials are { token }; a username-and-password login is
// skipped, so the chain asks the next backend, as Django skips a backend whose authenticate() does not take
// the arguments given. Use it with  "engine": "./token-auth.mjs#TokenAuth", "options": { "file": "api-tokens.json" }
import { createHash, timingSafeEqual } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { isAbsolute, join } from 'node:path'
import { AuthOptions, BackplaneError, BaseAuthBackend, ErrorCode, defineEngine, z } from 'backplane/engine'

const TokenOptions = AuthOptions.extend({
  file: z.string().min(1).default('api-tokens.json').describe('The tokens file; relative paths start in the data directory.'),
})

const sha256 = (text) => createHash('sha256').update(text, 'utf8').digest()

class TokenBackend extends BaseAuthBackend {
  constructor(options, ctx) {
    super(options, ctx)
    this.file = isAbsolute(options.file) ? options.file : join(ctx.dataDir, options.file)
  }

  async authenticate(credentials) {
    const { token } = credentials
    if (typeof token !== 'string') return this.skip('This backend takes an API token ({ token }), not a username and password.')
    const given = sha256(token)
    let found
    // Every entry is compared, in constant time, so how long it takes says nothing of which one matched.
    for (const entry of await this.entries()) {
      const stored = Buffer.from(entry.tokenSha256, 'hex')
      if (stored.length === given.length && timingSafeEqual(given, stored)) found ??= entry
    }
    if (!found) return this.refuse('unknown-user', 'No user holds this token.')
    return this.accept(toUser(found))
  }

  async getUser(id) {
    return this.getUserByName(id)
  }

  async getUserByName(username) {
    const entry = (await this.entries()).find((e) => e.username === username)
    return entry ? toUser(entry) : null
  }

  async getUserPermissions(user) {
    return (await this.entries()).find((e) => e.username === user.username)?.permissions ?? []
  }

  async withPerm(perm, { isActive = true, includeSuperusers = true } = {}) {
    const users = (await this.entries()).map(toUser)
    const holders = await Promise.all(users.map(async (u) => (includeSuperusers && u.isSuperuser) || (await this.getUserPermissions(u)).includes(perm)))
    return users.filter((u, i) => holders[i] && u.isActive === isActive)
  }

  async serverVersion() {
    return `API tokens file ${this.file}, ${(await this.entries()).length} users`
  }

  async entries() {
    let text
    try {
      text = await readFile(this.file, 'utf8')
    } catch (err) {
      if (err.code === 'ENOENT') return []
      throw err
    }
    let json
    try {
      json = JSON.parse(text)
    } catch {
      json = undefined
    }
    const parsed = TokensFile.safeParse(json)
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      throw new BackplaneError(ErrorCode.E_ENGINE_FAILED, `${this.file} is not a tokens file: ${issue ? `${issue.path.join('.') || '(file)'}: ${issue.message}` : 'not JSON'}.`, {
        hint: 'Fix the file: { "users": [{ "username": "ada", "tokenSha256": "<hex SHA-256 of the token>" }] }.',
      })
    }
    return parsed.data.users
  }
}

const TokensFile = z.object({
  users: z.array(
    z.object({
      username: z.string().min(1),
      tokenSha256: z.string().regex(/^[0-9a-f]{64}$/, 'tokenSha256 is the hex SHA-256 of the token'),
      isActive: z.boolean().default(true),
      isStaff: z.boolean().default(false),
      isSuperuser: z.boolean().default(false),
      permissions: z.array(z.string()).default([]),
    }),
  ),
})

function toUser(entry) {
  return { id: entry.username, username: entry.username, isActive: entry.isActive, isStaff: entry.isStaff, isSuperuser: entry.isSuperuser }
}

export const TokenAuth = defineEngine({
  kind: 'auth',
  title: 'API tokens',
  description: 'Users identified by an API token, from a JSON file of SHA-256 hashed tokens.',
  options: TokenOptions,
  create: (options, ctx) => new TokenBackend(options, ctx),
})
