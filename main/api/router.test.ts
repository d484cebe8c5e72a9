import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type BackplaneError } from '../core/errors'
import { createLogger, type LogRecord } from '../core/log'
import { App } from './app'
import { handlers } from './handlers'
import { createRouter, type Handlers } from './router'

let app: App
let home: string
const logs: LogRecord[] = []
const log = createLogger('test', { sink: (r) => logs.push(r) })

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'backplane-router-'))
  app = await App.open({ host: 'cli', dataDir: home, log })
})
afterAll(async () => {
  await app.close()
  rmSync(home, { recursive: true, force: true })
})

function routerWith(overrides: Partial<Handlers>) {
  return createRouter({ ...handlers, ...overrides } as Handlers, log)
}

describe('API router', () => {
  it('answers a known method with its validated output', async () => {
    expect(await app.router.dispatch('system.ping', undefined, { app, via: 'cli' })).toEqual({ ok: true })
  })

  it('rejects an unknown method, naming the methods of its area', async () => {
    await expect(app.router.dispatch('cache.gett', {}, { app, via: 'cli' })).rejects.toMatchObject({
      code: 'E_UNKNOWN_METHOD',
      status: 404,
      hint: expect.stringContaining('cache.get, cache.set'),
    })
  })

  it('rejects invalid input with a path and message per problem', async () => {
    const err = (await app.router.dispatch('cache.set', { key: 7, timeout: -1 }, { app, via: 'cli' }).catch((e: unknown) => e)) as BackplaneError
    expect(err).toMatchObject({ code: 'E_INVALID_INPUT', status: 400 })
    expect((err.details as { issues: { path: string[] }[] }).issues.map((i) => i.path.join('.'))).toEqual(['key', 'value', 'timeout'])
  })

  it('applies input defaults (alias "default")', async () => {
    await app.router.dispatch('cache.set', { key: 'k', value: 1 }, { app, via: 'cli' })
    expect(await app.router.dispatch('cache.get', { key: 'k' }, { app, via: 'cli' })).toEqual({ found: true, value: 1 })
  })

  it('refuses a handler answer that breaks the contract, as a server error', async () => {
    const router = routerWith({ 'system.ping': (() => ({ ok: 'yes' })) as never })
    await expect(router.dispatch('system.ping', {}, { app, via: 'cli' })).rejects.toMatchObject({ code: 'E_BAD_OUTPUT', status: 500 })
    expect(logs.some((l) => l.level === 'error' && l.message.includes('breaks its contract'))).toBe(true)
  })

  it('maps system errors to codes with hints, and never leaks a stack trace', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' })
    const router = routerWith({ 'system.ping': () => Promise.reject(refused), 'system.info': () => Promise.reject(new TypeError('x is undefined')) })
    const mapped = (await router.dispatch('system.ping', {}, { app, via: 'cli' }).catch((e: unknown) => e)) as BackplaneError
    expect(mapped.toPayload()).toEqual({ code: 'E_CONNECTION_REFUSED', message: 'connect ECONNREFUSED 127.0.0.1:1', hint: expect.stringContaining('is the server running') })
    const internal = (await router.dispatch('system.info', {}, { app, via: 'cli' }).catch((e: unknown) => e)) as BackplaneError
    expect(internal.status).toBe(500)
    expect(JSON.stringify(internal.toPayload())).not.toContain('router.test')
  })

  it('passes a typed error from deep inside through unchanged', async () => {
    await expect(app.router.dispatch('data.query', { sql: 'SELEC 1' }, { app, via: 'cli' })).rejects.toMatchObject({ code: 'E_SQL', status: 422 })
    await expect(app.router.dispatch('cache.get', { alias: 'nope', key: 'k' }, { app, via: 'cli' })).rejects.toMatchObject({ code: 'E_ALIAS_NOT_FOUND' })
  })
})
