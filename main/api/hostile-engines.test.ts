import { resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LogRecord } from '../core/log'
import { openTestApp, type TestApp } from '../../test/support/test-app'
import type { App } from './app'

// One custom engine misbehaving must cost its own alias only: typed errors with the reason, timeouts,
// and every other alias answering as before.
const MODULE = resolve(__dirname, '../../test/fixtures/hostile-engines.mjs')
const engine = (name: string) => `${MODULE}#${name}`
let test: TestApp
let app: App
let logs: LogRecord[]

beforeAll(async () => {
  test = await openTestApp({ trust: [MODULE], poolTimeouts: { customCallMs: 1000, drainMs: 300 }, checkTimeoutMs: 500 })
  ;({ app, logs } = test)
})
afterAll(() => test.close())

async function alias(name: string, exported: string, options: Record<string, unknown> = {}) {
  await app.call('settings.saveAlias', { kind: 'cache', name, engine: engine(exported), options })
}

async function failure(promise: Promise<unknown>) {
  return (await promise.then(
    () => undefined,
    (e: unknown) => e,
  )) as { code: string; status: number; message: string; hint?: string }
}

async function text(stream: NodeJS.ReadableStream): Promise<string> {
  let out = ''
  for await (const chunk of stream) out += String(chunk)
  return out
}

async function othersStillAnswer() {
  await app.call('cache.set', { alias: 'default', key: 'still', value: 'here' })
  expect(await app.call('cache.get', { alias: 'default', key: 'still' })).toEqual({ found: true, value: 'here' })
  expect(await app.call('system.ping', {})).toEqual({ ok: true })
}

describe('a custom engine cannot take the app down', () => {
  it('reports a constructor that throws as the engine failing (502), with its message', async () => {
    await alias('throws', 'ThrowsInConstructor')
    const error = await failure(app.call('cache.get', { alias: 'throws', key: 'k' }))
    expect(error).toMatchObject({ code: 'E_ENGINE_FAILED', status: 502, message: expect.stringContaining('boom in the constructor') })
    const [report] = await app.call('health.check', { kind: 'cache', alias: 'throws' })
    expect(report).toMatchObject({ state: 'down', error: { code: 'E_ENGINE_FAILED' } })
    await othersStillAnswer()
  })

  it('reports a check() that never answers as down with a timeout, in the dashboard and in Test', async () => {
    await alias('hangs', 'HangingCheck')
    const [report] = await app.call('health.check', { kind: 'cache', alias: 'hangs' })
    expect(report).toMatchObject({ state: 'down', error: { code: 'E_TIMEOUT' } })
    const tested = await app.call('settings.testAlias', { kind: 'cache', name: 'draft', engine: engine('HangingCheck'), options: {} })
    expect(tested).toMatchObject({ state: 'down', error: { code: 'E_TIMEOUT' } })
    await othersStillAnswer()
  })

  it('times out a call that never answers (504) instead of holding the request for ever', async () => {
    await alias('silent', 'HangingCall')
    const error = await failure(app.call('cache.get', { alias: 'silent', key: 'k' }))
    expect(error).toMatchObject({ code: 'E_TIMEOUT', status: 504, message: expect.stringContaining('get() of the cache alias "silent"') })
    await othersStillAnswer()
  })

  it("blames an answer of the wrong shape on the engine (502), not on Backplane (500)", async () => {
    await alias('odd', 'WrongShape')
    const error = await failure(app.call('cache.scan', { alias: 'odd' }))
    expect(error).toMatchObject({ code: 'E_ENGINE_OUTPUT', status: 502, message: expect.stringContaining('cache alias "odd"') })
    const [report] = await app.call('health.check', { kind: 'cache', alias: 'odd' })
    expect(report).toMatchObject({ state: 'down', error: { code: 'E_ENGINE_OUTPUT', message: expect.stringContaining('invalid report') } })
    expect(logs.filter((l) => l.level === 'error' && l.message.includes('cache.scan'))).toEqual([])
    await othersStillAnswer()
  })

  it("passes an engine's own error code and hint through as the engine wrote them", async () => {
    await alias('quota', 'OwnError')
    const error = await failure(app.call('cache.get', { alias: 'quota', key: 'k' }))
    expect(error).toMatchObject({ code: 'E_SMS_QUOTA', status: 502, message: 'The quota for today is used up.', hint: 'Wait until midnight UTC.' })
  })
})

describe('engines that are odd objects', () => {
  it('refuses a backend that defines then(), which would resolve itself for ever as a promise', async () => {
    await alias('thenable', 'Thenable')
    expect(await failure(app.call('cache.get', { alias: 'thenable', key: 'k' }))).toMatchObject({ code: 'E_ENGINE_INTERFACE', status: 422, message: expect.stringContaining('then()') })
    await othersStillAnswer()
  })

  it('reports a getter that throws, a frozen backend and odd errors as the engine\'s, typed', async () => {
    await alias('getter', 'ThrowingGetter')
    expect(await failure(app.call('cache.scan', { alias: 'getter' }))).toMatchObject({ code: 'E_ENGINE_FAILED', status: 502, message: expect.stringContaining('the getter of scan threw') })
    await alias('frozen', 'Frozen')
    await app.call('cache.set', { alias: 'frozen', key: 'k', value: 1 })
    expect(await app.call('cache.get', { alias: 'frozen', key: 'k' })).toEqual({ found: true, value: 1 })
    expect((await app.call('health.check', { kind: 'cache', alias: 'frozen' }))[0]).toMatchObject({ state: 'ok' })
    await alias('odd', 'Unsendable')
    expect(await failure(app.call('cache.get', { alias: 'odd', key: 'bigint' }))).toMatchObject({ code: 'E_ENGINE_OUTPUT', status: 502 })
    expect(await failure(app.call('cache.get', { alias: 'odd', key: 'cycle' }))).toMatchObject({ code: 'E_ENGINE_OUTPUT', status: 502 })
    // A code only Backplane may answer with (a 401 would look like a wrong token) is the engine failing.
    expect(await failure(app.call('cache.get', { alias: 'odd', key: 'unauthorized' }))).toMatchObject({ code: 'E_ENGINE_FAILED', status: 502 })
    expect(await failure(app.call('cache.get', { alias: 'odd', key: 'proxy' }))).toMatchObject({ code: 'E_ENGINE_FAILED', status: 502 })
    await othersStillAnswer()
  })
})

describe('changing an alias while calls run on it', () => {
  const closed = () => ((globalThis as { __hostileClosed?: string[] }).__hostileClosed ?? [])

  it('lets a running call finish on the old backend, sends new calls to the new one, then closes the old one', async () => {
    await alias('live', 'Slow', { label: 'old', delayMs: 100 })
    const running = app.call('cache.get', { alias: 'live', key: 'k' })
    await new Promise((r) => setTimeout(r, 20))
    await alias('live', 'Slow', { label: 'new', delayMs: 0 })
    expect(await app.call('cache.get', { alias: 'live', key: 'k' })).toEqual({ found: true, value: 'new:k' })
    expect(closed()).not.toContain('old')
    expect(await running).toEqual({ found: true, value: 'old:k' })
    await expect.poll(() => closed()).toContain('old')
  })

  it('stops a call that outlasts the drain with a typed error, then closes the old backend', async () => {
    await alias('stuck', 'Slow', { label: 'stuck-old', delayMs: 5_000 })
    const running = failure(app.call('cache.get', { alias: 'stuck', key: 'k' }))
    await new Promise((r) => setTimeout(r, 20))
    await alias('stuck', 'Slow', { label: 'stuck-new', delayMs: 0 })
    expect(await running).toMatchObject({ code: 'E_ALIAS_CHANGED', status: 503 })
    await expect.poll(() => closed()).toContain('stuck-old')
    expect(await app.call('cache.get', { alias: 'stuck', key: 'k' })).toEqual({ found: true, value: 'stuck-new:k' })
  })
})

describe('a stream a call returned', () => {
  const closed = () => ((globalThis as { __hostileClosed?: string[] }).__hostileClosed ?? [])

  it('counts as running until it is read to its end, so an edit closes the old backend only after', async () => {
    await app.call('settings.saveAlias', { kind: 'storage', name: 'slow', engine: engine('SlowFiles'), options: { label: 'slow-old' } })
    // The download route's answer holds the engine's stream; the bytes follow at the reader's pace.
    const answer = await app.storageHttp({ method: 'GET', rawPath: '/api/v1/storage/slow/f', query: new URLSearchParams(), header: () => undefined, body: null, signal: new AbortController().signal })
    expect(answer.status, answer.status === 200 ? '' : await text(answer.body!)).toBe(200)
    const reading = text(answer.body!)
    await new Promise((r) => setTimeout(r, 30))
    await app.call('settings.saveAlias', { kind: 'storage', name: 'slow', engine: engine('SlowFiles'), options: { label: 'slow-new' } })
    await new Promise((r) => setTimeout(r, 120))
    expect(closed()).not.toContain('slow-old')
    expect(await reading).toBe('chunk'.repeat(5))
    await expect.poll(() => closed()).toContain('slow-old')
  })
})
