import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestApp, type TestApp } from '../../test/support/test-app'
import { failure } from '../../test/support/failures'

// The cache.* methods over the default (locmem) alias, with a prefix, as the key browser calls them.
let test: TestApp

beforeAll(async () => {
  test = await openTestApp()
  await test.app.call('settings.saveAlias', { kind: 'cache', name: 'app', engine: 'locmem', options: { location: 'cache-api-test', keyPrefix: 'site' } })
})
afterAll(() => test.close())

const call = <T>(method: string, input: Record<string, unknown>) => test.app.call(method as never, { alias: 'app', ...input } as never) as Promise<T>

async function allKeys(input: Record<string, unknown>): Promise<{ key: string; userKey?: string; version?: number }[]> {
  const found: { key: string; userKey?: string; version?: number }[] = []
  let cursor: string | null = null
  do {
    const page: { entries: typeof found; cursor: string | null } = await call('cache.scan', { ...input, cursor, count: 2 })
    found.push(...page.entries)
    cursor = page.cursor
  } while (cursor)
  return found
}

describe('cache.scan', () => {
  beforeAll(async () => {
    await call('cache.clear', {})
    await call('cache.set', { key: 'session:1', value: 'a' })
    await call('cache.set', { key: 'session:2', value: 'b', version: 7 })
    await call('cache.set', { key: 'user:session:3', value: 'c' })
  })

  it("matches keys as the application wrote them, in any version, with the Django parts of each", async () => {
    const keys = await allKeys({ pattern: 'session:*' })
    expect(keys.map((k) => [k.key, k.userKey, k.version]).sort()).toEqual([
      ['site:1:session:1', 'session:1', 1],
      ['site:7:session:2', 'session:2', 7],
    ])
  })

  it('matches stored keys, prefix and version included, with raw', async () => {
    expect((await allKeys({ pattern: 'site:1:*', raw: true })).map((k) => k.key).sort()).toEqual(['site:1:session:1', 'site:1:user:session:3'])
    expect(await allKeys({ pattern: 'session:*', raw: true })).toEqual([])
  })
})

describe('cache.inspect, cache.deleteKeys, cache.incr, cache.touch', () => {
  it('shows a stored key with its value and raw bytes, and says when it is not there', async () => {
    await call('cache.set', { key: 'shown', value: { n: 1 }, timeout: null })
    const answer = await call<{ found: boolean; entry: Record<string, unknown> }>('cache.inspect', { key: 'site:1:shown' })
    expect(answer.found).toBe(true)
    expect(answer.entry).toMatchObject({ key: 'site:1:shown', userKey: 'shown', version: 1, type: 'entry', ttl: null, value: { n: 1 }, encoding: 'json' })
    expect(Buffer.from(answer.entry.raw as string, 'base64').toString()).toBe('{"n":1}')
    expect(await call('cache.inspect', { key: 'site:1:absent' })).toEqual({ found: false })
  })

  it('deletes stored keys of any version, counting those that were there', async () => {
    await call('cache.set', { key: 'v', value: 1, version: 3 })
    expect(await call('cache.deleteKeys', { keys: ['site:3:v', 'site:3:never'] })).toEqual({ deleted: 1 })
    expect(await call('cache.get', { key: 'v', version: 3 })).toEqual({ found: false })
  })

  it('increments, and refuses a missing key as Django does', async () => {
    await call('cache.set', { key: 'n', value: 41 })
    expect(await call('cache.incr', { key: 'n' })).toEqual({ value: 42 })
    expect(await call('cache.incr', { key: 'n', delta: -2 })).toEqual({ value: 40 })
    expect(await failure(call('cache.incr', { key: 'missing' }))).toMatchObject({ code: 'E_NOT_FOUND', status: 404 })
  })

  it('touches a key with a new timeout', async () => {
    await call('cache.set', { key: 't', value: 1, timeout: 100 })
    expect(await call('cache.touch', { key: 't', timeout: null })).toEqual({ touched: true })
    expect((await call<{ entry: { ttl: number | null } }>('cache.inspect', { key: 'site:1:t' })).entry.ttl).toBeNull()
    expect(await call('cache.touch', { key: 'never', timeout: 5 })).toEqual({ touched: false })
  })
})

describe('cache.deleteMatching', () => {
  beforeAll(async () => {
    await call('cache.clear', {})
    for (let i = 0; i < 25; i++) await call('cache.set', { key: `temp:${i}`, value: i })
    await call('cache.set', { key: 'keep', value: 'me' })
  })

  it('counts first, and deletes only with the count the user was shown', async () => {
    const dry = await call<{ matched: number; deleted: number; sample: string[] }>('cache.deleteMatching', { pattern: 'temp:*' })
    expect(dry.matched).toBe(25)
    expect(dry.deleted).toBe(0)
    expect(dry.sample).toHaveLength(20)
    expect(dry.sample.every((k) => k.startsWith('site:1:temp:'))).toBe(true)
    expect((await allKeys({ pattern: 'temp:*' })).length).toBe(25)

    const refused = await failure(call('cache.deleteMatching', { pattern: 'temp:*', dryRun: false, confirmCount: 24 }))
    expect(refused).toMatchObject({ code: 'E_NEEDS_CONFIRMATION', status: 409 })
    expect((await allKeys({ pattern: 'temp:*' })).length).toBe(25)
    expect(await failure(call('cache.deleteMatching', { pattern: 'temp:*', dryRun: false }))).toMatchObject({ code: 'E_NEEDS_CONFIRMATION' })

    expect(await call('cache.deleteMatching', { pattern: 'temp:*', dryRun: false, confirmCount: 25 })).toMatchObject({ matched: 25, deleted: 25 })
    expect(await allKeys({ pattern: '*' })).toEqual([expect.objectContaining({ userKey: 'keep' })])
  })
})

describe('cache.stats', () => {
  it('counts hits and misses on an engine whose server keeps no counters', async () => {
    const before = (await call<{ stats: { hits: number; misses: number } }>('cache.stats', {})).stats
    await call('cache.set', { key: 's', value: 1 })
    await call('cache.get', { key: 's' })
    await call('cache.get', { key: 'no-such' })
    const after = await call<{ at: number; stats: { hits: number; misses: number; keys: number } }>('cache.stats', {})
    expect(after.stats.hits - before.hits).toBe(1)
    expect(after.stats.misses - before.misses).toBe(1)
    expect(after.stats.keys).toBeGreaterThan(0)
    expect(Math.abs(after.at - Date.now())).toBeLessThan(5000)
  })

  it('says plainly what an engine cannot do', async () => {
    expect(await failure(call('cache.createTable', {}))).toMatchObject({ code: 'E_UNSUPPORTED', status: 400 })
  })
})
