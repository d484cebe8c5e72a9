import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createLogger } from '../core/log'
import { App, type TrustPrompt } from './app'

const homes: string[] = []
const apps: App[] = []
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.close()))
  for (const home of homes.splice(0)) rmSync(home, { recursive: true, force: true })
})

async function open(trustPrompt?: TrustPrompt) {
  process.env.BACKPLANE_SECRET_STORE = 'file'
  const home = mkdtempSync(join(tmpdir(), 'backplane-engines-'))
  homes.push(home)
  const marker = join(home, 'ran.txt')
  writeFileSync(join(home, 'engine.mjs'), `import { writeFileSync } from 'node:fs'\nwriteFileSync(${JSON.stringify(marker)}, 'ran')\nexport class E { open() {} close() {} sendMessages(m) { return m.length } }\n`)
  const app = await App.open({ host: 'cli', dataDir: home, log: createLogger('test', { sink: () => undefined }), ...(trustPrompt ? { trustPrompt } : {}) })
  apps.push(app)
  return { app, home, marker }
}

describe('trusting an engine module through the API', () => {
  it('is refused where no one can be asked (serve mode, the CLI), with the command that does it', async () => {
    const { app, marker } = await open()
    const error = await app.call('engines.requestTrust', { kind: 'mail', spec: './engine.mjs#E' }).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'E_UNSUPPORTED', status: 400, hint: expect.stringContaining('npx backplane engines trust ./engine.mjs#E') })
    expect((await app.call('engines.trusted', {})).modules).toEqual([])
    expect(existsSync(marker)).toBe(false)
  })

  it('asks the person in the desktop app, and trusts only what they accept', async () => {
    const asked: string[] = []
    let accept = false
    const { app, home, marker } = await open(async ({ module }) => {
      asked.push(module.file)
      return accept
    })
    expect(await app.call('engines.requestTrust', { kind: 'mail', spec: './engine.mjs#E' })).toMatchObject({ trusted: false, file: join(home, 'engine.mjs') })
    expect(existsSync(marker)).toBe(false)
    accept = true
    expect(await app.call('engines.requestTrust', { kind: 'mail', spec: './engine.mjs#E' })).toMatchObject({ trusted: true })
    expect(asked).toEqual([join(home, 'engine.mjs'), join(home, 'engine.mjs')])
    const trusted = await app.call('engines.trusted', {})
    expect(trusted).toMatchObject({ canPrompt: true, modules: [{ file: join(home, 'engine.mjs'), state: 'trusted' }] })
    await app.call('settings.saveAlias', { kind: 'mail', name: 'custom', engine: './engine.mjs#E', options: {} })
    expect(await app.call('mail.send', { alias: 'custom', messages: [{ to: ['a@example.test'] }] })).toEqual({ sent: 1 })
    expect(existsSync(marker)).toBe(true)
  })

  it('stops a running backend whose module is untrusted, at once', async () => {
    const { app, home } = await open(async () => true)
    await app.call('engines.requestTrust', { kind: 'mail', spec: './engine.mjs#E' })
    await app.call('settings.saveAlias', { kind: 'mail', name: 'custom', engine: './engine.mjs#E', options: {} })
    expect(await app.call('mail.send', { alias: 'custom', messages: [{ to: ['a@example.test'] }] })).toEqual({ sent: 1 })
    await app.trust.untrust(join(home, 'engine.mjs'))
    await app.trustChanged()
    await expect(app.call('mail.send', { alias: 'custom', messages: [{ to: ['a@example.test'] }] })).rejects.toMatchObject({ code: 'E_ENGINE_UNTRUSTED' })
  })

  it('never asks about a module that may never be trusted (one in files/)', async () => {
    let asked = 0
    const { app, home } = await open(async () => {
      asked++
      return true
    })
    mkdirSync(join(home, 'files'), { recursive: true })
    writeFileSync(join(home, 'files', 'x.mjs'), 'export class X {}')
    await expect(app.call('engines.requestTrust', { kind: 'mail', spec: './files/x.mjs#X' })).rejects.toMatchObject({ code: 'E_INVALID_INPUT' })
    expect(asked).toBe(0)
  })

  it('says a built-in engine needs no trust', async () => {
    const { app } = await open(async () => true)
    await expect(app.call('engines.requestTrust', { kind: 'cache', spec: 'locmem' })).rejects.toMatchObject({ code: 'E_INVALID_INPUT' })
  })
})

describe('the capture server and the network', () => {
  it('is not opened to other machines from the API', async () => {
    const { app } = await open()
    const current = await app.call('outbox.settings', {})
    const { users, ...smtp } = current.smtp
    const error = await app.call('outbox.saveSettings', { settings: { ...current, smtp: { ...smtp, users, host: '0.0.0.0' } }, passwords: {} }).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'E_INVALID_INPUT', status: 400, details: { issues: [{ path: ['smtp', 'host'] }] } })
    expect((await app.call('outbox.settings', {})).smtp.host).toBe('127.0.0.1')
  })
})
