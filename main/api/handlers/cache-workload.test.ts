import { resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestApp, type TestApp } from '../../../test/support/test-app'
import type { App } from '../app'
import { events, type EventPayload } from '../contract/events'

// The workload tester through the API, on locmem (and on a custom engine that throws): what it
// measures, that it cleans up after itself, cancel and conflicts, and that it leaves the app usable.
const HOSTILE = resolve(__dirname, '../../../test/fixtures/hostile-engines.mjs')
let test: TestApp
let app: App

beforeAll(async () => {
  // A hung call times out after 3 s, after its run answered; closing waits 300 ms for calls in flight.
  test = await openTestApp({ trust: [HOSTILE], poolTimeouts: { customCallMs: 3000, drainMs: 300 } })
  app = test.app
  await app.call('settings.saveAlias', { kind: 'cache', name: 'mem', engine: 'locmem', options: { location: 'workload-test', maxEntries: 100_000 } })
  await app.call('settings.saveAlias', { kind: 'cache', name: 'failing', engine: `${HOSTILE}#OwnError`, options: {} })
  await app.call('settings.saveAlias', { kind: 'cache', name: 'silent', engine: `${HOSTILE}#HangingCall`, options: {} })
})
afterAll(() => test.close())

type Progress = EventPayload<'cache.workloadProgress'>

function progressOf(runId: string): Progress[] {
  const seen: Progress[] = []
  app.events.on('cache.workloadProgress', (p) => {
    if ((p as Progress).runId === runId) seen.push(p as Progress)
  })
  return seen
}

async function failure(promise: Promise<unknown>) {
  return (await promise.then(
    () => undefined,
    (e: unknown) => e,
  )) as { code: string; status: number; message: string; hint?: string } | undefined
}

async function workloadKeys(alias = 'mem'): Promise<string[]> {
  const keys: string[] = []
  let cursor: string | null = null
  do {
    const page: { entries: { key: string }[]; cursor: string | null } = await app.call('cache.scan', { alias, pattern: '__backplane_workload__:*', cursor, count: 1000 })
    keys.push(...page.entries.map((e) => e.key))
    cursor = page.cursor
  } while (cursor)
  return keys
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('the cache workload tester', () => {
  it('measures a get/set mix on locmem: the read ratio, hits and misses, a histogram that adds up, ordered percentiles', async () => {
    const progress = progressOf('mix')
    const running = app.call('cache.workload', { alias: 'mem', runId: 'mix', keys: 200, valueBytes: 64, readRatio: 0.8, concurrency: 4, durationSeconds: 1 })
    await sleep(500)
    const keysWhileRunning = (await workloadKeys()).length
    const result = await running

    expect(result).toMatchObject({ runId: 'mix', cancelled: false, errors: 0 })
    expect(result.firstError).toBeUndefined()
    expect(result.seconds).toBeGreaterThanOrEqual(1)
    expect(result.seconds).toBeLessThan(1.5)
    expect(result.operations).toBeGreaterThan(1000)
    expect(result.gets + result.sets).toBe(result.operations)
    expect(result.gets / result.operations).toBeGreaterThan(0.77)
    expect(result.gets / result.operations).toBeLessThan(0.83)
    // Keys start unset: the first gets miss, and once 200 keys are written they hit.
    expect(result.hits + result.misses).toBe(result.gets)
    expect(result.misses).toBeGreaterThan(0)
    expect(result.hits).toBeGreaterThan(result.misses)
    // `seconds` is rounded to hundredths, so ops/s computed from it may differ by up to half a percent.
    expect(Math.abs(result.opsPerSecond - result.operations / result.seconds) / result.opsPerSecond).toBeLessThan(0.01)
    expect(result.histogram.reduce((sum, b) => sum + b.count, 0)).toBe(result.operations)
    const { p50, p90, p99, max } = result.latencyMs
    expect(p50).toBeGreaterThan(0)
    expect(p50).toBeLessThanOrEqual(p90)
    expect(p90).toBeLessThanOrEqual(p99)
    expect(p99).toBeLessThanOrEqual(max)

    // About four a second, the last one with the final count.
    expect(progress.length).toBeGreaterThanOrEqual(3)
    expect(progress.length).toBeLessThanOrEqual(6)
    for (const p of progress) expect(events['cache.workloadProgress'].safeParse(p).success).toBe(true)
    expect(progress.at(-1)).toMatchObject({ alias: 'mem', durationSeconds: 1, operations: result.operations, errors: 0 })
    for (let i = 1; i < progress.length; i++) expect(progress[i]!.operations).toBeGreaterThanOrEqual(progress[i - 1]!.operations)

    // Its keys were there while it ran, and are gone once it answered.
    expect(keysWhileRunning).toBeGreaterThan(100)
    expect(await workloadKeys()).toEqual([])
  })

  it('stops within about 100 ms of a cancel and answers with what it measured, its keys deleted', async () => {
    const started = performance.now()
    const running = app.call('cache.workload', { alias: 'mem', runId: 'cancel-me', keys: 1000, readRatio: 0.5, durationSeconds: 30 })
    await sleep(300)
    const cancelledAt = performance.now()
    expect(await app.call('cache.workloadCancel', { runId: 'cancel-me' })).toEqual({ cancelled: true })
    const result = await running
    // The run's own clock stopped within 100 ms of the cancel; the answer (clean-up included) follows soon after.
    expect(result.seconds * 1000).toBeLessThan(cancelledAt - started + 100)
    expect(performance.now() - cancelledAt).toBeLessThan(500)
    expect(result).toMatchObject({ runId: 'cancel-me', cancelled: true })
    expect(result.operations).toBeGreaterThan(0)
    expect(result.sets).toBeGreaterThan(0)
    expect(await workloadKeys()).toEqual([])
    // Nothing of that id runs any more.
    expect(await app.call('cache.workloadCancel', { runId: 'cancel-me' })).toEqual({ cancelled: false })
  })

  it('refuses a runId that is running, and a fifth run at once, with E_CONFLICT and a hint', async () => {
    const runs = ['a', 'b', 'c', 'd'].map((runId) => app.call('cache.workload', { alias: 'mem', runId, keys: 10, durationSeconds: 30 }))
    try {
      await sleep(50)
      expect(await failure(app.call('cache.workload', { alias: 'mem', runId: 'a', durationSeconds: 1 }))).toMatchObject({ code: 'E_CONFLICT', status: 409, message: expect.stringContaining('"a"') })
      const fifth = await failure(app.call('cache.workload', { alias: 'mem', runId: 'e', durationSeconds: 1 }))
      expect(fifth).toMatchObject({ code: 'E_CONFLICT', status: 409, hint: expect.stringContaining('cancel') })
    } finally {
      for (const runId of ['a', 'b', 'c', 'd']) await app.call('cache.workloadCancel', { runId })
    }
    const results = await Promise.all(runs)
    expect(results.map((r) => r.cancelled)).toEqual([true, true, true, true])
    // Once they ended, the ids are free again.
    const again = await app.call('cache.workload', { alias: 'mem', runId: 'a', keys: 10, durationSeconds: 1 })
    expect(again.cancelled).toBe(false)
  })

  it('counts the errors of an alias that fails, with the first one’s message, and goes on measuring', async () => {
    // OwnError's get() throws; its set() works.
    const result = await app.call('cache.workload', { alias: 'failing', runId: 'errors', keys: 50, readRatio: 0.5, concurrency: 2, durationSeconds: 1 })
    expect(result.errors).toBeGreaterThan(0)
    expect(result.errors).toBe(result.gets)
    expect(result.sets).toBeGreaterThan(0)
    expect(result.hits + result.misses).toBe(0)
    expect(result.firstError).toBe('The quota for today is used up.')
    expect(result.histogram.reduce((sum, b) => sum + b.count, 0)).toBe(result.operations)
  })

  it('answers at its deadline even when no operation ever comes back', async () => {
    // HangingCall's get() never answers: every worker is stuck in its first get.
    const t0 = performance.now()
    const result = await app.call('cache.workload', { alias: 'silent', runId: 'hung', keys: 10, readRatio: 1, concurrency: 4, durationSeconds: 1 })
    expect(performance.now() - t0).toBeLessThan(1300)
    expect(result).toMatchObject({ cancelled: false, operations: 0, errors: 0, histogram: [], latencyMs: { p50: 0, p90: 0, p99: 0, max: 0 } })
    expect(result.seconds).toBeGreaterThanOrEqual(1)
  })

  it('answers an alias that is not there with its typed error, and takes no slot for it', async () => {
    expect(await failure(app.call('cache.workload', { alias: 'nowhere', runId: 'lost', durationSeconds: 1 }))).toMatchObject({ code: 'E_ALIAS_NOT_FOUND', status: 404 })
    expect(await app.call('cache.workloadCancel', { runId: 'lost' })).toEqual({ cancelled: false })
  })

  it('leaves the event loop free while a locmem workload runs: other calls answer in under 50 ms, progress keeps coming', async () => {
    const progress = progressOf('busy')
    const running = app.call('cache.workload', { alias: 'mem', runId: 'busy', keys: 1000, concurrency: 16, durationSeconds: 2 })
    await sleep(100)
    const pings: number[] = []
    for (let i = 0; i < 15; i++) {
      const t0 = performance.now()
      await app.call('system.ping', {})
      await app.call('cache.get', { alias: 'mem', key: 'unrelated' })
      pings.push(performance.now() - t0)
      await sleep(100)
    }
    const result = await running
    expect(result.operations).toBeGreaterThan(10_000)
    expect(Math.max(...pings)).toBeLessThan(50)
    expect(progress.length).toBeGreaterThanOrEqual(7)
  })
})

describe('hostile input to cache.workload', () => {
  const base = { alias: 'mem', runId: 'fuzz' }
  const cases: [field: string, values: unknown[]][] = [
    ['keys', [-1, 0, 1.5, 100_001, 1e12, Number.NaN, Number.POSITIVE_INFINITY, '1000', null, {}, []]],
    ['valueBytes', [-1, 0, 0.5, 1024 * 1024 + 1, 2 ** 53, Number.NaN, '100', true]],
    ['readRatio', [-0.1, 1.01, Number.NaN, Number.NEGATIVE_INFINITY, '0.9', null]],
    ['concurrency', [-8, 0, 2.5, 257, 1e9, Number.NaN, '8', [8]]],
    ['durationSeconds', [-1, 0, 0.5, 301, 1e15, Number.NaN, Number.POSITIVE_INFINITY, '10', {}]],
    // A runId is part of the workload's keys: Memcached would refuse spaces and control characters in every one.
    ['runId', ['', 'x'.repeat(101), 42, null, { $ne: '' }, 'a b', 'line\nbreak', '../x', 'é']],
    ['alias', [42, null, ['mem']]],
  ]
  for (const [field, values] of cases) {
    it(`answers each bad ${field} with 400 E_INVALID_INPUT before anything runs`, async () => {
      for (const value of values) {
        const error = await failure(app.call('cache.workload', { ...base, [field]: value } as never))
        expect(error, `${field}: ${String(value)}`).toMatchObject({ code: 'E_INVALID_INPUT', status: 400 })
      }
      expect(await app.call('cache.workloadCancel', { runId: 'fuzz' })).toEqual({ cancelled: false })
    })
  }

  it('answers a bad cancel with 400 E_INVALID_INPUT', async () => {
    for (const runId of ['', 'x'.repeat(101), 7, null, undefined]) {
      expect(await failure(app.call('cache.workloadCancel', { runId } as never))).toMatchObject({ code: 'E_INVALID_INPUT', status: 400 })
    }
  })

  it('logs none of it as a fault of Backplane', () => {
    expect(test.logs.filter((l) => l.level === 'error')).toEqual([])
  })
})

describe('closing the app', () => {
  it('stops a running workload, which answers as cancelled at once instead of at its deadline', async () => {
    const own = await openTestApp()
    const running = own.app.call('cache.workload', { alias: 'default', runId: 'closing', durationSeconds: 60 })
    await new Promise((r) => setTimeout(r, 300))
    const t0 = performance.now()
    await own.close()
    expect(await running).toMatchObject({ runId: 'closing', cancelled: true })
    expect(performance.now() - t0).toBeLessThan(2000)
  })
})
