import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestApp, type TestApp } from '../../test/support/test-app'
import { handleWebRequest } from '../services/storage-transfers'

// A health check (the dashboard's, or the settings form's Test) answers, and changes nothing it checks.
let test: TestApp
beforeAll(async () => {
  test = await openTestApp()
})
afterAll(() => test.close())

const draft = (kind: 'storage' | 'mail' | 'data' | 'cache', engine: string, options: Record<string, unknown>) => test.app.call('settings.testAlias', { kind, name: 'draft', engine, options })

describe('health checks', () => {
  it('answer for a folder that can never exist (Node\'s recursive mkdir never returns under /proc), and using it fails with a typed error', async () => {
    // /proc looks writable to root, so the check can only say the folder is not there yet; it must answer.
    expect(await draft('storage', 'filesystem', { location: '/proc/nope' })).toMatchObject({ kind: 'storage', steps: expect.any(Array) })
    expect(await draft('mail', 'file', { directory: '/proc/nope' })).toMatchObject({ kind: 'mail', steps: expect.any(Array) })
    await test.app.call('settings.saveAlias', { kind: 'storage', name: 'proc', engine: 'filesystem', options: { location: '/proc/nope' } })
    const upload = await handleWebRequest(new Request('http://backplane/api/v1/storage/proc/x.txt', { method: 'PUT', body: '' }), test.app.storageHttp)
    expect([upload.status, await upload.json()]).toMatchObject([422, { error: { code: 'E_NOT_A_DIRECTORY' } }])
    await test.app.call('settings.saveAlias', { kind: 'mail', name: 'proc', engine: 'file', options: { directory: '/proc/nope' } })
    await expect(test.app.call('mail.send', { alias: 'proc', messages: [{ to: ['a@example.test'] }] })).rejects.toMatchObject({ code: 'E_NOT_A_DIRECTORY' })
  })

  it('create no folder, file or database for an alias that does not exist yet', async () => {
    const report = await draft('storage', 'filesystem', { location: 'files/new-folder' })
    expect(report).toMatchObject({ state: 'ok', steps: expect.arrayContaining([expect.objectContaining({ name: 'writable', detail: expect.stringContaining('does not exist yet') })]) })
    expect(existsSync(join(test.home, 'files', 'new-folder'))).toBe(false)
    expect(await draft('mail', 'file', { directory: 'mail-out' })).toMatchObject({ state: 'ok' })
    expect(existsSync(join(test.home, 'mail-out'))).toBe(false)
    expect(await draft('data', 'sqlite', { name: 'later/new.sqlite3' })).toMatchObject({ state: 'ok', version: expect.stringMatching(/^SQLite 3\./), summary: expect.stringContaining('created on first use') })
    expect(existsSync(join(test.home, 'later'))).toBe(false)
  })

  it('write no key into a cache it checks', async () => {
    const before = await test.app.call('cache.scan', { alias: 'default' })
    expect(await test.app.call('health.check', { kind: 'cache', alias: 'default' })).toMatchObject([{ state: 'ok' }])
    expect(await test.app.call('cache.scan', { alias: 'default' })).toEqual(before)
  })
})
