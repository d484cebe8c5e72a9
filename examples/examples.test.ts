import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createHash } from 'node:crypto'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createEngineRegistry } from '../main/backends'
import type { AuthBackend, AuthUser } from '../main/backends/auth/base'
import type { Cache } from '../main/backends/cache/base'
import type { Database } from '../main/backends/data/base'
import type { MailBackend } from '../main/backends/mail/base'
import { streamToString, type Storage } from '../main/backends/storage/base'
import { locateEngineModule } from '../main/core/engine-module'
import { TrustStore } from '../main/core/engine-trust'
import type { Kind } from '../main/core/schemas/kinds'
import { authContract } from '../test/contracts/auth.contract'
import { cacheContract } from '../test/contracts/cache.contract'
import { dataContract } from '../test/contracts/data.contract'
import { mailContract } from '../test/contracts/mail.contract'
import { storageContract } from '../test/contracts/storage.contract'
import { createBackend, testContext } from '../test/support/engine-context'

// Every example is loaded the way users load custom engines: by module path, through the registry,
// once its content is trusted (the trust list lives in a scratch folder, not in examples/).
const trustDir = mkdtempSync(join(tmpdir(), 'backplane-examples-trust-'))
const trust = new TrustStore(trustDir)
const registry = createEngineRegistry({ trust })
const examples = resolve(__dirname)
const contexts: ReturnType<typeof testContext>[] = []
afterAll(() => {
  contexts.forEach((c) => c.cleanup())
  rmSync(trustDir, { recursive: true, force: true })
})

async function load<B>(kind: Kind, spec: string, options: Record<string, unknown> = {}) {
  const ctx = testContext(kind, { engine: spec })
  contexts.push(ctx)
  await trust.trust(await locateEngineModule(spec, examples))
  const engine = await registry.resolve(kind, spec, examples)
  return { backend: (await createBackend(engine, options, ctx)) as B, ctx }
}

let mailDir = ''
mailContract(
  'examples/jsonl-mail.mjs',
  async (options = {}) => {
    const { backend, ctx } = await load<MailBackend>('mail', './jsonl-mail.mjs#JsonlMail', options)
    mailDir = ctx.dataDir
    return backend
  },
  async () => readFileSync(join(mailDir, 'sent.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.stringify(JSON.parse(line))),
)

cacheContract('examples/file-cache.mjs', async (options = {}) => (await load<Cache>('cache', './file-cache.mjs#FileCache', options)).backend)

authContract('examples/htpasswd-auth.mjs', async () => {
  const { backend, ctx } = await load<AuthBackend>('auth', './htpasswd-auth.mjs#Htpasswd')
  const file = join(ctx.dataDir, 'users.htpasswd')
  writeFileSync(file, '')
  return {
    backend,
    addUser: async (username, password, options) => {
      const hash = createHash('sha1').update(password, 'utf8').digest('base64')
      appendFileSync(file, `${options?.active === false ? '#' : ''}${username}:{SHA}${hash}\n`)
    },
    cleanup: async () => undefined,
  }
})

/** The token engine's file in a data directory: one entry per user, the token kept as its SHA-256. */
function tokensFile(dataDir: string) {
  const file = join(dataDir, 'api-tokens.json')
  const users: Record<string, unknown>[] = []
  const write = () => writeFileSync(file, JSON.stringify({ users }))
  write()
  return {
    add(username: string, token: string, fields: Record<string, unknown> = {}) {
      users.push({ username, tokenSha256: createHash('sha256').update(token, 'utf8').digest('hex'), ...fields })
      write()
    },
  }
}

authContract('examples/token-auth.mjs', async () => {
  const { backend, ctx } = await load<AuthBackend>('auth', './token-auth.mjs#TokenAuth')
  const tokens = tokensFile(ctx.dataDir)
  return {
    backend,
    addUser: async (username, password, options) => tokens.add(username, password, { isActive: options?.active !== false }),
    cleanup: async () => undefined,
  }
})

describe('examples/token-auth.mjs', () => {
  it('signs in by token, skips a username and password, and never repeats the token', async () => {
    const { backend, ctx } = await load<AuthBackend>('auth', './token-auth.mjs#TokenAuth')
    tokensFile(ctx.dataDir).add('ada', 'tok-3f9a-secret', { permissions: ['blog.add_post'] })
    const ok = await backend.authenticate({ token: 'tok-3f9a-secret' } as never)
    expect(ok).toMatchObject({ ok: true, user: { username: 'ada', isActive: true } })
    expect(await backend.getAllPermissions!((ok as { user: AuthUser }).user)).toEqual(['blog.add_post'])
    expect(await backend.authenticate({ username: 'ada', password: 'tok-3f9a-secret' })).toMatchObject({ ok: false, reason: 'skipped' })
    const wrong = await backend.authenticate({ token: 'tok-3f9a-secreT' } as never)
    expect(wrong).toMatchObject({ ok: false, reason: 'unknown-user' })
    expect(JSON.stringify(wrong)).not.toContain('tok-3f9a')
    expect(readFileSync(join(ctx.dataDir, 'api-tokens.json'), 'utf8')).not.toContain('tok-3f9a')
  })

  it('explains a tokens file it cannot read', async () => {
    const { backend, ctx } = await load<AuthBackend>('auth', './token-auth.mjs#TokenAuth')
    writeFileSync(join(ctx.dataDir, 'api-tokens.json'), JSON.stringify({ users: [{ username: 'ada', tokenSha256: 'plain-token' }] }))
    await expect(backend.authenticate({ token: 'x' } as never)).rejects.toMatchObject({ code: 'E_ENGINE_FAILED', message: expect.stringContaining('users.0.tokenSha256'), hint: expect.stringContaining('tokenSha256') })
  })
})

dataContract('examples/json-data.mjs', async (options = {}) => (await load<Database>('data', './json-data.mjs#JsonFolder', options)).backend, {
  createTable: () => 'SELECT * FROM nothing',
  dropTable: () => 'SELECT * FROM nothing',
})

storageContract('examples/dated-storage.mjs', async () => (await load<Storage>('storage', './dated-storage.mjs#DatedFolder')).backend)

describe('examples/json-data.mjs', () => {
  it('reads a JSON file as a table, refuses writes as read-only, and explains what SQL it understands', async () => {
    const { backend, ctx } = await load<Database>('data', './json-data.mjs#JsonFolder')
    mkdirSync(join(ctx.dataDir, 'json-tables'))
    writeFileSync(join(ctx.dataDir, 'json-tables/people.json'), JSON.stringify([{ name: 'Ada', born: 1815 }, { name: 'Grace' }]))
    expect(await backend.tables()).toEqual([{ name: 'people', type: 'table' }])
    const result = await backend.query('SELECT * FROM people LIMIT 1')
    // The statement's own LIMIT is its whole answer; truncated says maxRows cut rows off.
    expect(result).toMatchObject({ columns: [{ name: 'name' }, { name: 'born' }], rows: [['Ada', 1815]], truncated: false })
    expect(await backend.query('SELECT * FROM people', [], { maxRows: 1 })).toMatchObject({ rows: [['Ada', 1815]], truncated: true })
    // The table view's page: no key, so by offset, sorted as asked; a missing value is NULL.
    expect(await backend.page!({ table: { name: 'people' }, limit: 1, offset: 0, sort: [{ column: 'name', descending: true }] })).toMatchObject({ paging: 'offset', rows: [['Grace', null]], truncated: true })
    await expect(backend.query('DELETE FROM people')).rejects.toMatchObject({ code: 'E_READ_ONLY' })
    await expect(backend.query('SELECT name FROM people')).rejects.toMatchObject({ code: 'E_SQL', hint: expect.stringContaining('example engine') })
  })
})

describe('examples/dated-storage.mjs', () => {
  it("files a bare name under today's date, keeps a name in a folder, and reads the file back", async () => {
    const { backend } = await load<Storage>('storage', './dated-storage.mjs#DatedFolder')
    const today = new Date().toISOString().slice(0, 10).replace(/-/g, '/')
    // As Django's FileField: generate_filename first (where the engine files it), then save (which only resolves a clash).
    const name = await backend.save(backend.generateFilename('My Report.txt'), 'hello')
    expect(name).toBe(`${today}/My_Report.txt`)
    expect(await streamToString(await backend.open(name))).toBe('hello')
    expect(await backend.save(backend.generateFilename('My Report.txt'), 'again')).toMatch(new RegExp(`^${today}/My_Report_[A-Za-z0-9]{7}\\.txt$`))
    expect(backend.generateFilename('reports/q3 final.txt')).toBe('reports/q3_final.txt')
    expect(await backend.save('My Report.txt', 'as given')).toBe('My Report.txt')
    await expect(backend.open('../../etc/passwd')).rejects.toMatchObject({ code: 'E_PATH_OUTSIDE_ROOT' })
  })
})
