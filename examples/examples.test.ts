import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, writeFileSync, appendFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createEngineRegistry } from '../main/backends'
import type { AuthBackend } from '../main/backends/auth/base'
import type { Cache } from '../main/backends/cache/base'
import type { Database } from '../main/backends/data/base'
import type { MailBackend } from '../main/backends/mail/base'
import { streamToString, type Storage } from '../main/backends/storage/base'
import type { Kind } from '../main/core/schemas/kinds'
import { authContract } from '../test/contracts/auth.contract'
import { cacheContract } from '../test/contracts/cache.contract'
import { mailContract } from '../test/contracts/mail.contract'
import { createBackend, testContext } from '../test/support/engine-context'

// Every example is loaded the way users load custom engines: by module path, through the registry.
const registry = createEngineRegistry()
const examples = resolve(__dirname)
const contexts: ReturnType<typeof testContext>[] = []
afterAll(() => contexts.forEach((c) => c.cleanup()))

async function load<B>(kind: Kind, spec: string, options: Record<string, unknown> = {}) {
  const ctx = testContext(kind, { engine: spec })
  contexts.push(ctx)
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

describe('examples/json-data.mjs', () => {
  it('reads a JSON file as a table and explains what SQL it understands', async () => {
    const { backend, ctx } = await load<Database>('data', './json-data.mjs#JsonFolder')
    mkdirSync(join(ctx.dataDir, 'json-tables'))
    writeFileSync(join(ctx.dataDir, 'json-tables/people.json'), JSON.stringify([{ name: 'Ada', born: 1815 }, { name: 'Grace' }]))
    expect(await backend.tables()).toEqual([{ name: 'people', type: 'table' }])
    const result = await backend.query('SELECT * FROM people LIMIT 1')
    expect(result).toMatchObject({ columns: [{ name: 'name' }, { name: 'born' }], rows: [['Ada', 1815]], truncated: true })
    await expect(backend.query('DELETE FROM people')).rejects.toMatchObject({ code: 'E_SQL' })
  })
})

describe('examples/dated-storage.mjs', () => {
  it('saves under today\'s date and reads the file back', async () => {
    const { backend } = await load<Storage>('storage', './dated-storage.mjs#DatedFolder')
    const name = await backend.save('My Report.txt', 'hello')
    expect(name).toBe(`${new Date().toISOString().slice(0, 10).replace(/-/g, '/')}/My_Report.txt`)
    expect(await streamToString(await backend.open(name))).toBe('hello')
    expect(await backend.save('My Report.txt', 'again')).toMatch(/My_Report_1\.txt$/)
    await expect(backend.open('../../etc/passwd')).rejects.toMatchObject({ code: 'E_PATH_OUTSIDE_ROOT' })
  })
})
