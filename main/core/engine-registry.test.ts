import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createEngineRegistry } from '../backends'
import { testContext } from '../../test/support/engine-context'

const dir = mkdtempSync(join(tmpdir(), 'backplane-registry-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const registry = createEngineRegistry()

function writeModule(name: string, source: string): string {
  writeFileSync(join(dir, name), source)
  return `./${name}`
}

describe('engine registry', () => {
  it('finds built-in engines by id', async () => {
    expect((await registry.resolve('cache', 'locmem', dir)).title).toBe('Local memory')
  })

  it('names the built-in engines when an id is unknown', async () => {
    await expect(registry.resolve('cache', 'locmen', dir)).rejects.toMatchObject({
      code: 'E_UNKNOWN_ENGINE',
      hint: expect.stringContaining('locmem, dummy'),
    })
  })

  it('rejects a custom class that lacks methods of its kind, naming each one', async () => {
    const spec = writeModule('half-cache.mjs', 'export class HalfCache { async get() {} async set() {} }')
    await expect(registry.resolve('cache', `${spec}#HalfCache`, dir)).rejects.toMatchObject({
      code: 'E_ENGINE_INTERFACE',
      message: expect.stringContaining('missing add(), touch(), delete(), hasKey(), getMany(), setMany(), deleteMany(), incr(), decr(), clear()'),
    })
  })

  it('lists what a module does export when the named export is missing', async () => {
    const spec = writeModule('named.mjs', 'export class Mailer {}; export const other = 1')
    await expect(registry.resolve('mail', `${spec}#Mailr`, dir)).rejects.toMatchObject({ code: 'E_ENGINE_LOAD', hint: 'It exports: Mailer, other.' })
  })

  it('says where it looked for a module that does not exist', async () => {
    await expect(registry.resolve('mail', './nowhere.mjs#X', dir)).rejects.toMatchObject({
      code: 'E_ENGINE_LOAD',
      message: expect.stringContaining(join(dir, 'nowhere.mjs')),
      hint: expect.stringContaining('Relative paths start from the data directory'),
    })
  })

  it('reports a module with a syntax error as a load error, not a crash', async () => {
    const spec = writeModule('broken.mjs', 'export class Broken {')
    await expect(registry.resolve('mail', `${spec}#Broken`, dir)).rejects.toMatchObject({ code: 'E_ENGINE_LOAD' })
  })

  it('refuses an engine definition of another kind', async () => {
    const spec = writeModule('data-def.mjs', "export const Def = { kind: 'data', create() { return {} } }")
    await expect(registry.resolve('cache', `${spec}#Def`, dir)).rejects.toMatchObject({ code: 'E_ENGINE_INTERFACE', message: expect.stringContaining('is a data engine') })
  })

  it('checks what an engine definition creates, and fills in check() and close() when absent', async () => {
    const spec = writeModule('def.mjs', "export const Def = { create() { return { open() {}, close() {}, sendMessages() { return 0 } } } }")
    const engine = await registry.resolve('mail', `${spec}#Def`, dir)
    const backend = await engine.create({}, testContext('mail'))
    const report = await backend.check()
    expect(report).toMatchObject({ state: 'ok', summary: expect.stringContaining('no check()') })
    const bad = writeModule('bad-def.mjs', 'export const Def = { create() { return { open() {} } } }')
    const badEngine = await registry.resolve('mail', `${bad}#Def`, dir)
    await expect(Promise.resolve().then(() => badEngine.create({}, testContext('mail')))).rejects.toMatchObject({ code: 'E_ENGINE_INTERFACE', message: expect.stringContaining('sendMessages()') })
  })

  it('loads an edited module afresh', async () => {
    const spec = writeModule('versioned.mjs', "export class V { static title = 'one'; open() {} close() {} sendMessages() {} }")
    expect((await registry.resolve('mail', `${spec}#V`, dir)).title).toBe('one')
    writeModule('versioned.mjs', "export class V { static title = 'two'; open() {} close() {} sendMessages() {} }")
    const later = new Date(Date.now() + 5000)
    utimesSync(join(dir, 'versioned.mjs'), later, later)
    expect((await registry.resolve('mail', `${spec}#V`, dir)).title).toBe('two')
  })

  it('loads an installed package by name, as Django loads a dotted path', async () => {
    mkdirSync(join(dir, 'node_modules/backplane-null-mail'), { recursive: true })
    writeFileSync(join(dir, 'node_modules/backplane-null-mail/package.json'), JSON.stringify({ name: 'backplane-null-mail', main: 'index.js' }))
    writeFileSync(join(dir, 'node_modules/backplane-null-mail/index.js'), "module.exports = class NullMail { static title = 'Null'; open() {} close() {} sendMessages(m) { return m.length } }")
    const engine = await registry.resolve('mail', 'backplane-null-mail', dir)
    expect(engine.title).toBe('Null')
    expect(engine.custom?.spec).toBe('backplane-null-mail')
  })
})
