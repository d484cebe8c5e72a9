import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createEngineRegistry } from '../backends'
import { testContext, trustModule } from '../../test/support/engine-context'
import { TrustStore } from './engine-trust'

const dir = mkdtempSync(join(tmpdir(), 'backplane-registry-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const trust = new TrustStore(dir)
const registry = createEngineRegistry({ trust })

/** Writes a module and trusts it, as a user would with `backplane engines trust`. */
async function writeModule(name: string, source: string): Promise<string> {
  writeFileSync(join(dir, name), source)
  await trustModule(dir, `./${name}`)
  return `./${name}`
}

describe('engine registry', () => {
  it('finds built-in engines by id', async () => {
    expect((await registry.resolve('cache', 'locmem', dir)).title).toBe('Local memory')
  })

  it('names the built-in engines when an id is unknown', async () => {
    await expect(registry.resolve('cache', 'locmen', dir)).rejects.toMatchObject({
      code: 'E_UNKNOWN_ENGINE',
      hint: expect.stringContaining('locmem, file, database, redis, memcached, dummy'),
    })
  })

  it('rejects a custom class that lacks methods of its kind, naming each one', async () => {
    const spec = await writeModule('half-cache.mjs', 'export class HalfCache { async get() {} async set() {} }')
    await expect(registry.resolve('cache', `${spec}#HalfCache`, dir)).rejects.toMatchObject({
      code: 'E_ENGINE_INTERFACE',
      message: expect.stringContaining('missing add(), touch(), delete(), hasKey(), getMany(), setMany(), deleteMany(), incr(), decr(), clear()'),
    })
  })

  it('lists what a module does export when the named export is missing', async () => {
    const spec = await writeModule('named.mjs', 'export class Mailer {}; export const other = 1')
    await expect(registry.resolve('mail', `${spec}#Mailr`, dir)).rejects.toMatchObject({ code: 'E_ENGINE_LOAD', hint: 'It exports: Mailer, other.' })
  })

  it('takes the only export of a module without a default, and asks which one when there are several', async () => {
    const only = await writeModule('only.mjs', 'export class OnlyCache { async get() {} }')
    await expect(registry.resolve('cache', only, dir)).rejects.toMatchObject({ code: 'E_ENGINE_INTERFACE', message: expect.stringContaining('add()') })
    const several = await writeModule('several.mjs', 'export class Mailer {}; export const other = 1')
    await expect(registry.resolve('mail', several, dir)).rejects.toMatchObject({
      code: 'E_ENGINE_LOAD',
      message: expect.stringContaining('no default export and 2 named ones'),
      hint: 'Say which one is the engine: ./several.mjs#Mailer or ./several.mjs#other.',
    })
    const empty = await writeModule('empty.mjs', '')
    await expect(registry.resolve('mail', empty, dir)).rejects.toMatchObject({ code: 'E_ENGINE_LOAD', message: expect.stringContaining('exports nothing') })
  })

  it('says where it looked for a module that does not exist', async () => {
    await expect(registry.resolve('mail', './nowhere.mjs#X', dir)).rejects.toMatchObject({
      code: 'E_ENGINE_LOAD',
      message: expect.stringContaining(join(dir, 'nowhere.mjs')),
      hint: expect.stringContaining(`A relative path starts from ${dir} (the data directory`),
    })
  })

  it('reports a module with a syntax error as a load error, not a crash', async () => {
    const spec = await writeModule('broken.mjs', 'export class Broken {')
    await expect(registry.resolve('mail', `${spec}#Broken`, dir)).rejects.toMatchObject({ code: 'E_ENGINE_LOAD' })
  })

  it('refuses an engine definition of another kind', async () => {
    const spec = await writeModule('data-def.mjs', "export const Def = { kind: 'data', create() { return {} } }")
    await expect(registry.resolve('cache', `${spec}#Def`, dir)).rejects.toMatchObject({ code: 'E_ENGINE_INTERFACE', message: expect.stringContaining('is a data engine') })
  })

  it('checks what an engine definition creates, and fills in check() and close() when absent', async () => {
    const spec = await writeModule('def.mjs', "export const Def = { create() { return { open() {}, close() {}, sendMessages() { return 0 } } } }")
    const engine = await registry.resolve('mail', `${spec}#Def`, dir)
    const backend = await engine.create({}, testContext('mail'))
    const report = await backend.check()
    expect(report).toMatchObject({ state: 'ok', summary: expect.stringContaining('no check()') })
    const bad = await writeModule('bad-def.mjs', 'export const Def = { create() { return { open() {} } } }')
    const badEngine = await registry.resolve('mail', `${bad}#Def`, dir)
    await expect(Promise.resolve().then(() => badEngine.create({}, testContext('mail')))).rejects.toMatchObject({ code: 'E_ENGINE_INTERFACE', message: expect.stringContaining('sendMessages()') })
  })

  it('loads an edited module afresh once its new content is trusted', async () => {
    const spec = await writeModule('versioned.mjs', "export class V { static title = 'one'; open() {} close() {} sendMessages() {} }")
    expect((await registry.resolve('mail', `${spec}#V`, dir)).title).toBe('one')
    await writeModule('versioned.mjs', "export class V { static title = 'two'; open() {} close() {} sendMessages() {} }")
    expect((await registry.resolve('mail', `${spec}#V`, dir)).title).toBe('two')
  })

  it('loads an installed package by name, as Django loads a dotted path', async () => {
    mkdirSync(join(dir, 'node_modules/backplane-null-mail'), { recursive: true })
    writeFileSync(join(dir, 'node_modules/backplane-null-mail/package.json'), JSON.stringify({ name: 'backplane-null-mail', main: 'index.js' }))
    writeFileSync(join(dir, 'node_modules/backplane-null-mail/index.js'), "module.exports = class NullMail { static title = 'Null'; open() {} close() {} sendMessages(m) { return m.length } }")
    await expect(registry.resolve('mail', 'backplane-null-mail', dir)).rejects.toMatchObject({ code: 'E_ENGINE_UNTRUSTED' })
    await trustModule(dir, 'backplane-null-mail')
    const engine = await registry.resolve('mail', 'backplane-null-mail', dir)
    expect(engine.title).toBe('Null')
    expect(engine.custom?.spec).toBe('backplane-null-mail')
  })
})

describe('trust in custom engine modules', () => {
  // The module proves it ran by writing a file: an untrusted one must never get that far.
  const marker = join(dir, 'ran.txt')
  const source = `import { writeFileSync } from 'node:fs'; writeFileSync(${JSON.stringify(marker)}, 'ran'); export class Probe { open() {} close() {} sendMessages() { return 0 } }`

  it('never imports a module nobody trusted, and says which command trusts it', async () => {
    writeFileSync(join(dir, 'probe.mjs'), source)
    const error = await registry.resolve('mail', './probe.mjs#Probe', dir).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'E_ENGINE_UNTRUSTED', status: 403, hint: expect.stringContaining('npx backplane engines trust ./probe.mjs#Probe') })
    expect(existsSync(marker)).toBe(false)
  })

  it('untrusts a trusted module once its content changes', async () => {
    writeFileSync(join(dir, 'changing.mjs'), 'export class C { open() {} close() {} sendMessages() { return 0 } }')
    await trustModule(dir, './changing.mjs#C')
    await expect(registry.resolve('mail', './changing.mjs#C', dir)).resolves.toMatchObject({ custom: { spec: './changing.mjs#C' } })
    writeFileSync(join(dir, 'changing.mjs'), source.replace('Probe', 'C'))
    await expect(registry.resolve('mail', './changing.mjs#C', dir)).rejects.toMatchObject({ code: 'E_ENGINE_UNTRUSTED', message: expect.stringContaining('changed since it was trusted') })
    expect(existsSync(marker)).toBe(false)
  })

  it('trusts nothing when the trust list is damaged', async () => {
    await writeModule('listed.mjs', 'export class L { open() {} close() {} sendMessages() { return 0 } }')
    writeFileSync(trust.file, '{ not json')
    await expect(registry.resolve('mail', './listed.mjs#L', dir)).rejects.toMatchObject({ code: 'E_ENGINE_UNTRUSTED' })
  })
})

describe('locating an engine module the API names', () => {
  it('reads only a regular file of sensible size: a pipe or a device is refused at once', async () => {
    execFileSync('mkfifo', [join(dir, 'pipe.mjs')])
    await expect(registry.resolve('cache', './pipe.mjs#X', dir)).rejects.toMatchObject({ code: 'E_ENGINE_LOAD', message: expect.stringContaining('not a regular file') })
    await expect(registry.resolve('cache', '/dev/zero#X', dir)).rejects.toMatchObject({ code: 'E_ENGINE_LOAD' })
    await expect(registry.resolve('cache', `${dir}#X`, dir)).rejects.toMatchObject({ code: 'E_ENGINE_LOAD', message: expect.stringContaining('folder') })
  })
})
