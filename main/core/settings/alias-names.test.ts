import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openTestApp, type TestApp } from '../../../test/support/test-app'

// Names that are also properties of every JavaScript object: an alias is looked up as an own
// property of its section, so these are names like any other, missing until someone creates them.
let test: TestApp
beforeEach(async () => {
  test = await openTestApp()
})
afterEach(() => test.close())

const settingsJson = () => JSON.parse(readFileSync(join(test.home, 'settings.json'), 'utf8')) as Record<string, Record<string, unknown>>
const cacheAliases = async () => (await test.app.call('settings.get', {})).aliases.filter((a) => a.kind === 'cache').map((a) => a.name)

describe.each(['toString', 'constructor', 'hasOwnProperty', '__proto__'])('an alias named "%s" that does not exist', (name) => {
  it('cannot be deleted, renamed or duplicated: E_ALIAS_NOT_FOUND (404), and nothing is written', async () => {
    const before = readFileSync(join(test.home, 'settings.json'), 'utf8')
    await expect(test.app.call('settings.deleteAlias', { kind: 'cache', name })).rejects.toMatchObject({ code: 'E_ALIAS_NOT_FOUND', status: 404 })
    await expect(test.app.call('settings.renameAlias', { kind: 'cache', from: name, to: 'fresh' })).rejects.toMatchObject({ code: 'E_ALIAS_NOT_FOUND', status: 404 })
    await expect(test.app.call('settings.duplicateAlias', { kind: 'cache', from: name, to: 'fresh' })).rejects.toMatchObject({ code: 'E_ALIAS_NOT_FOUND', status: 404 })
    expect(readFileSync(join(test.home, 'settings.json'), 'utf8')).toBe(before)
  })

  it('is not a cache to read from: E_ALIAS_NOT_FOUND (404)', async () => {
    await expect(test.app.call('cache.get', { alias: name, key: 'k' })).rejects.toMatchObject({ code: 'E_ALIAS_NOT_FOUND', status: 404 })
    await expect(test.app.call('cache.set', { alias: name, key: 'k', value: 1 })).rejects.toMatchObject({ code: 'E_ALIAS_NOT_FOUND', status: 404 })
  })

  it('has no health report, as for any name that is not configured', async () => {
    expect(await test.app.call('health.check', { kind: 'cache', alias: name })).toEqual([])
    expect(await test.app.call('health.check', { alias: name })).toEqual([])
  })
})

describe('an alias really named "__proto__"', () => {
  it('is created, listed, used, renamed, duplicated and deleted like any other, and settings.json keeps parsing', async () => {
    await test.app.call('settings.saveAlias', { kind: 'cache', name: '__proto__', engine: 'locmem', options: { location: 'proto-cache' } })
    expect(await cacheAliases()).toEqual(['default', '__proto__'])
    const written = settingsJson()
    expect(Object.hasOwn(written.caches!, '__proto__')).toBe(true)
    expect(Object.getOwnPropertyDescriptor(written.caches, '__proto__')?.value).toEqual({ engine: 'locmem', options: { location: 'proto-cache' } })
    expect(({} as Record<string, unknown>).engine).toBeUndefined() // no prototype was touched

    await test.app.call('cache.set', { alias: '__proto__', key: 'greeting', value: 'hello' })
    expect(await test.app.call('cache.get', { alias: '__proto__', key: 'greeting' })).toEqual({ found: true, value: 'hello' })
    expect(await test.app.call('cache.get', { alias: 'default', key: 'greeting' })).toEqual({ found: false })
    expect((await test.app.call('health.check', { kind: 'cache', alias: '__proto__' }))[0]).toMatchObject({ alias: '__proto__', state: 'ok' })

    await test.app.call('settings.duplicateAlias', { kind: 'cache', from: '__proto__', to: 'copy' })
    await test.app.call('settings.renameAlias', { kind: 'cache', from: 'copy', to: 'toString' })
    expect(await cacheAliases()).toEqual(['default', '__proto__', 'toString'])
    expect(await test.app.call('cache.get', { alias: 'toString', key: 'greeting' })).toEqual({ found: true, value: 'hello' }) // same location

    // The file is read back as written, after a reload from disk too.
    expect((await test.app.call('settings.reload', {})).aliases.filter((a) => a.kind === 'cache').map((a) => [a.name, a.valid])).toEqual([
      ['default', true],
      ['__proto__', true],
      ['toString', true],
    ])

    await test.app.call('settings.deleteAlias', { kind: 'cache', name: '__proto__' })
    await test.app.call('settings.deleteAlias', { kind: 'cache', name: 'toString' })
    expect(await cacheAliases()).toEqual(['default'])
    expect(Object.keys(settingsJson().caches!)).toEqual(['default'])
    await expect(test.app.call('cache.get', { alias: '__proto__', key: 'greeting' })).rejects.toMatchObject({ code: 'E_ALIAS_NOT_FOUND' })
  })
})
