import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openTestApp, type TestApp } from '../../../test/support/test-app'
import type { App } from '../../api/app'

// The settings file as the GUI reaches it: through app.call, the same door as IPC, HTTP and the CLI.
const SECRET_ENGINE = resolve(__dirname, '../../../test/fixtures/secret-cache.mjs') + '#SecretCache'
let test: TestApp
let app: App
let home: string

beforeEach(async () => {
  test = await openTestApp({ trust: [SECRET_ENGINE] })
  ;({ app, home } = test)
})
afterEach(() => test.close())

const settingsFile = () => join(home, 'settings.json')
const aliasNames = async () => (await app.call('settings.get', {})).aliases.map((a) => `${a.kind}/${a.name}`)

describe('"Back up and start fresh" (settings.recover)', () => {
  it('refuses a healthy settings file with E_NOT_CORRUPT, keeping every alias and its secret', async () => {
    await app.call('settings.saveAlias', { kind: 'cache', name: 'remote', engine: SECRET_ENGINE, options: {}, secrets: { password: 'open-sesame' } })
    await app.call('settings.saveAlias', { kind: 'cache', name: 'sessions', engine: 'locmem', options: {} })
    const before = readFileSync(settingsFile(), 'utf8')
    const names = await aliasNames()
    // The default database is Backplane's to open whenever a background health check reads it (on a thread, so at any moment).
    const ownFiles = () => readdirSync(home).filter((f) => !f.startsWith('backplane.sqlite3')).sort()
    const files = ownFiles()

    await expect(app.call('settings.recover', {})).rejects.toMatchObject({ code: 'E_NOT_CORRUPT', status: 409, hint: expect.any(String) })

    expect(readFileSync(settingsFile(), 'utf8')).toBe(before)
    expect(await aliasNames()).toEqual(names)
    expect(names).toEqual(expect.arrayContaining(['cache/remote', 'cache/sessions']))
    expect(await app.secrets.get('caches.remote.password')).toBe('open-sesame')
    expect(ownFiles()).toEqual(files)
    expect((await app.call('health.check', { kind: 'cache', alias: 'remote' }))[0]?.state).toBe('ok')
  })

  it('backs up an unreadable file and starts from the defaults', async () => {
    writeFileSync(settingsFile(), '{ "caches": ')
    expect((await app.call('settings.reload', {})).status).toBe('corrupt')
    const { backup } = await app.call('settings.recover', {})
    expect(backup).toMatch(/settings\.json\.corrupt-/)
    expect(readFileSync(backup!, 'utf8')).toBe('{ "caches": ')
    expect((await app.call('settings.get', {})).status).toBe('created')
    expect(JSON.parse(readFileSync(settingsFile(), 'utf8'))).toHaveProperty('caches.default.engine', 'locmem')
  })
})
