import { request } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestApp, type TestApp } from '../../../test/support/test-app'
import { assertInputDepth, MAX_INPUT_DEPTH, assertJsonTextDepth } from '../../api/input-shape'
import { startHttpServer, type RunningServer } from './server'

// Input nested far deeper than any method takes, through every door: app.call (IPC and the CLI),
// the router itself, and serve mode's HTTP API.
const TOKEN = 'hostile-input-token'
let test: TestApp
let server: RunningServer

beforeAll(async () => {
  test = await openTestApp()
  server = await startHttpServer(test.app, { host: '127.0.0.1', port: 0, token: TOKEN })
})
afterAll(async () => {
  await server.close()
  await test.close()
})

/** An array holding an array … `levels` arrays in all. */
function nested(levels: number): unknown {
  let value: unknown = 'bottom'
  for (let i = 0; i < levels; i++) value = [value]
  return value
}

/** No record of the call's failure: no error line, no stack trace. */
function expectNothingLogged(since: number): void {
  const records = test.logs.slice(since)
  expect(records.filter((r) => r.level === 'error')).toEqual([])
  expect(records.some((r) => /\bat .*\(.*:\d+:\d+\)/.test(r.message) || r.message.includes('RangeError'))).toBe(false)
}

describe('input nested 5,000 deep', () => {
  it('is refused by app.call with E_INVALID_INPUT (400), and logs no stack', async () => {
    const before = test.logs.length
    const err = await test.app.call('cache.set', { alias: 'default', key: 'deep', value: nested(5_000) }).catch((e: unknown) => e)
    expect(err).toMatchObject({ code: 'E_INVALID_INPUT', status: 400, details: { issues: [{ message: expect.stringContaining('64') }] } })
    expectNothingLogged(before)
    expect(await test.app.call('cache.get', { alias: 'default', key: 'deep' })).toEqual({ found: false })
  })

  it('is refused by the router before the input is parsed, for any method', async () => {
    const before = test.logs.length
    for (const method of ['cache.set', 'settings.saveAlias', 'system.ping']) {
      await expect(test.app.router.dispatch(method, { value: nested(5_000) }, { app: test.app, via: 'ipc' })).rejects.toMatchObject({ code: 'E_INVALID_INPUT', status: 400 })
    }
    expectNothingLogged(before)
  })

  it('is refused over HTTP with a 400 and a typed error', async () => {
    const body = `{"key": "deep", "value": ${'['.repeat(5_000)}${']'.repeat(5_000)}}`
    const answer = await new Promise<{ status: number; json: { error: { code: string } } }>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port: server.port, method: 'POST', path: '/rpc/cache.set', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' } },
        (res) => {
          const chunks: Buffer[] = []
          res.on('data', (c: Buffer) => chunks.push(c)).on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) }))
        },
      )
      req.on('error', reject)
      req.end(body)
    })
    expect(answer).toMatchObject({ status: 400, json: { error: { code: 'E_INVALID_INPUT' } } })
  })
})

describe('input nested to the limit', () => {
  it(`accepts ${MAX_INPUT_DEPTH} levels, counting the input object itself, and refuses one more`, async () => {
    // The input object is level 1, so its value may hold MAX_INPUT_DEPTH - 1 arrays.
    const fits = nested(MAX_INPUT_DEPTH - 1)
    await expect(test.app.call('cache.set', { alias: 'default', key: 'at-limit', value: fits })).resolves.toEqual({ ok: true })
    expect(await test.app.call('cache.get', { alias: 'default', key: 'at-limit' })).toEqual({ found: true, value: fits })
    await expect(test.app.call('cache.set', { alias: 'default', key: 'over', value: nested(MAX_INPUT_DEPTH) })).rejects.toMatchObject({ code: 'E_INVALID_INPUT' })
  })

  it('counts objects and arrays alike, and not strings or numbers', () => {
    let object: unknown = { leaf: 'x'.repeat(100_000), n: 1 }
    for (let i = 1; i < MAX_INPUT_DEPTH; i++) object = i % 2 ? { next: object } : [object]
    expect(() => assertInputDepth(object)).not.toThrow()
    expect(() => assertInputDepth({ wrap: object })).toThrow(expect.objectContaining({ code: 'E_INVALID_INPUT' }))
    expect(() => assertInputDepth(nested(1_000_000))).toThrow(expect.objectContaining({ code: 'E_INVALID_INPUT' }))
    for (const flat of [undefined, null, 0, 'text', true]) expect(() => assertInputDepth(flat)).not.toThrow()
  })
})

describe('JSON text nested deeper than any input may be', () => {
  it('is refused before it is parsed, in one quick pass that skips strings', () => {
    const deep = '['.repeat(2_000_000) + ']'.repeat(2_000_000)
    expect(() => assertJsonTextDepth(deep)).toThrow(expect.objectContaining({ code: 'E_INVALID_INPUT' }))
    // Brackets inside strings are text, not nesting; escaped quotes do not end a string.
    expect(() => assertJsonTextDepth(JSON.stringify({ text: '['.repeat(10_000), quoted: '\\"[[[' }))).not.toThrow()
    expect(() => assertJsonTextDepth('['.repeat(64) + ']'.repeat(64))).not.toThrow()
    expect(() => assertJsonTextDepth('['.repeat(65) + ']'.repeat(65))).toThrow()
  })
})
