import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createLogger } from '../core/log'
import { trustModule } from '../../test/support/engine-context'
import { App } from './app'

const SECRET_ENGINE = resolve(__dirname, '../../test/fixtures/secret-cache.mjs') + '#SecretCache'
let home: string
let app: App

beforeEach(async () => {
  process.env.BACKPLANE_SECRET_STORE = 'file'
  home = mkdtempSync(join(tmpdir(), 'backplane-app-'))
  await trustModule(home, SECRET_ENGINE)
  app = await App.open({ host: 'cli', dataDir: home, log: createLogger('test', { sink: () => undefined }) })
})
afterEach(async () => {
  await app.close()
  delete process.env.BACKPLANE_SECRET_STORE
  rmSync(home, { recursive: true, force: true })
})

const settingsText = () => readFileSync(join(home, 'settings.json'), 'utf8')

describe('first run', () => {
  it('has the five defaults configured and healthy', async () => {
    const reports = await app.call('health.check', {})
    expect(reports.map((r) => `${r.kind}/${r.alias}:${r.state}`)).toEqual(['mail/default:ok', 'data/default:ok', 'cache/default:ok', 'auth/default:ok', 'storage/default:ok'])
  })
})

describe('editing aliases', () => {
  it('saves a secret into the secret store and only a reference into settings.json', async () => {
    await app.call('settings.saveAlias', { kind: 'cache', name: 'remote', engine: SECRET_ENGINE, options: { port: 6380 }, secrets: { password: 'open-sesame' } })
    expect(settingsText()).not.toContain('open-sesame')
    expect(JSON.parse(settingsText()).caches.remote).toEqual({ engine: SECRET_ENGINE, options: { port: 6380, password: { $secret: 'caches.remote.password' } } })
    const view = await app.call('settings.get', {})
    expect(JSON.stringify(view)).not.toContain('open-sesame')
    expect(view.aliases.find((a) => a.name === 'remote')).toMatchObject({ options: { port: 6380 }, secrets: { password: true }, valid: true })
    expect((await app.call('health.check', { kind: 'cache', alias: 'remote' }))[0]?.state).toBe('ok')
  })

  it('keeps a stored secret when the form leaves it blank, and clears it on request', async () => {
    await app.call('settings.saveAlias', { kind: 'cache', name: 'remote', engine: SECRET_ENGINE, options: {}, secrets: { password: 'open-sesame' } })
    await app.call('settings.saveAlias', { kind: 'cache', name: 'remote', engine: SECRET_ENGINE, options: {} })
    expect((await app.call('health.check', { kind: 'cache', alias: 'remote' }))[0]?.state).toBe('ok')
    // …but never follows the alias to another port or host: whoever edits it must know it.
    await expect(app.call('settings.saveAlias', { kind: 'cache', name: 'remote', engine: SECRET_ENGINE, options: { port: 7000 } })).rejects.toMatchObject({
      code: 'E_INVALID_INPUT',
      details: { issues: [{ path: ['secrets', 'password'] }] },
    })
    await app.call('settings.saveAlias', { kind: 'cache', name: 'remote', engine: SECRET_ENGINE, options: { port: 7000 }, secrets: { password: 'open-sesame' } })
    expect((await app.call('health.check', { kind: 'cache', alias: 'remote' }))[0]?.state).toBe('ok')
    await expect(app.call('settings.saveAlias', { kind: 'cache', name: 'remote', engine: SECRET_ENGINE, options: {}, secrets: { password: null } })).rejects.toMatchObject({
      code: 'E_INVALID_OPTIONS',
    })
  })

  it('ignores a secret reference sent by the renderer, so it cannot borrow another alias\'s secret', async () => {
    await app.call('settings.saveAlias', { kind: 'cache', name: 'a', engine: SECRET_ENGINE, options: {}, secrets: { password: 'open-sesame' } })
    await expect(
      app.call('settings.saveAlias', { kind: 'cache', name: 'b', engine: SECRET_ENGINE, options: { password: { $secret: 'caches.a.password' } } }),
    ).rejects.toMatchObject({ code: 'E_INVALID_OPTIONS' })
  })

  it('writes nothing when the options are invalid, and says which field is wrong', async () => {
    const before = settingsText()
    const err = await app.call('settings.saveAlias', { kind: 'cache', name: 'default', engine: 'locmem', options: { maxEntries: 0 } }).catch((e: unknown) => e)
    expect(err).toMatchObject({ code: 'E_INVALID_OPTIONS', details: { issues: [{ path: ['maxEntries'], message: expect.stringContaining('>=1') }] } })
    expect(settingsText()).toBe(before)
  })

  it('renames an alias in place, moving its secret; duplicates copy it; delete removes it', async () => {
    await app.call('settings.saveAlias', { kind: 'cache', name: 'first', engine: SECRET_ENGINE, options: {}, secrets: { password: 'open-sesame' } })
    await app.call('settings.saveAlias', { kind: 'cache', name: 'last', engine: 'locmem', options: {} })
    await app.call('settings.renameAlias', { kind: 'cache', from: 'first', to: 'second' })
    expect(Object.keys(JSON.parse(settingsText()).caches)).toEqual(['default', 'second', 'last'])
    await app.call('settings.duplicateAlias', { kind: 'cache', from: 'second', to: 'third' })
    const checks = await app.call('health.check', { kind: 'cache' })
    expect(checks.filter((r) => r.alias === 'second' || r.alias === 'third').map((r) => r.state)).toEqual(['ok', 'ok'])
    await app.call('settings.deleteAlias', { kind: 'cache', name: 'second' })
    expect(await app.secrets.get('caches.second.password')).toBeUndefined()
    expect(await app.secrets.get('caches.first.password')).toBeUndefined()
    expect(await app.secrets.get('caches.third.password')).toBe('open-sesame')
  })

  it('refuses to rename onto an existing alias', async () => {
    await app.call('settings.saveAlias', { kind: 'cache', name: 'other', engine: 'locmem', options: {} })
    await expect(app.call('settings.renameAlias', { kind: 'cache', from: 'other', to: 'default' })).rejects.toMatchObject({ code: 'E_CONFLICT' })
  })

  it('tests a draft without saving it', async () => {
    const before = settingsText()
    const bad = await app.call('settings.testAlias', { kind: 'cache', name: 'draft', engine: SECRET_ENGINE, options: {}, secrets: { password: 'nope' } })
    expect(bad.state).toBe('down')
    const good = await app.call('settings.testAlias', { kind: 'cache', name: 'draft', engine: SECRET_ENGINE, options: {}, secrets: { password: 'open-sesame' } })
    expect(good.state).toBe('ok')
    expect(settingsText()).toBe(before)
  })

  it('describes each engine\'s options as JSON Schema, secrets marked write-only', async () => {
    await app.call('settings.saveAlias', { kind: 'cache', name: 'remote', engine: SECRET_ENGINE, options: {}, secrets: { password: 'open-sesame' } })
    const engines = await app.call('settings.engines', { kind: 'cache' })
    expect(engines.map((e) => e.id)).toEqual(['locmem', 'file', 'database', 'redis', 'memcached', 'dummy', SECRET_ENGINE])
    expect(engines.find((e) => e.id === 'redis')!.secretFields).toEqual(['password'])
    const custom = engines.find((e) => e.custom)!
    expect(custom.secretFields).toEqual(['password'])
    expect(custom.schema).toMatchObject({ properties: { password: { writeOnly: true }, port: { default: 6379, maximum: 65535 } } })
  })
})
