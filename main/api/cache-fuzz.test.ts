import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestApp, type TestApp } from '../../test/support/test-app'
import type { MethodName } from './contract'
import { prng, show } from '../../test/support/fuzz'

// Hostile input for every cache.* method but the workload (which runs for seconds; its own tests fuzz it)
// on the default locmem alias: keys and patterns that escape, backtrack or are huge, values deeply nested
// or tagged wrongly, cursors and counts out of range, wrong shapes. Every answer must be a result or a
// typed client error (4xx); nothing may be logged as Backplane's own fault; the sentinel key survives.
let test: TestApp

beforeAll(async () => {
  test = await openTestApp()
})
afterAll(() => test.close())

let deep: unknown = 'bottom'
for (let i = 0; i < 5000; i++) deep = [deep]

const KEYS: unknown[] = ['k', '', ' ', 'a b', '\u0000', 'x'.repeat(8193), 'x'.repeat(300), '../../etc/passwd', '__proto__', 'constructor', ':1:k', '*', 'ключ', 7, null, ['k']]
const PATTERNS: unknown[] = ['*', '', `${'*a'.repeat(500)}b`, '[', '[^', '\\', '[z-a]', '?'.repeat(1024), 'x'.repeat(1025), '**********', '[[[[[[', 5]
const VALUES: unknown[] = [
  null,
  1e308,
  -0,
  'a'.repeat(1_000_000),
  deep,
  { $class: 'os.system', $args: ['touch /tmp/pwned'] },
  { $bytes: '!!!not base64!!!' },
  { $int: 'not digits' },
  { $tuple: 'not a list' },
  { $dict: [[1]] },
  { __proto__: { polluted: true } },
  { $set: [{ a: 1 }] },
  [1, [2, [3]]],
]

function hostileInputs(method: MethodName, rand: () => number): Record<string, unknown>[] {
  const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)]!
  const number = () => pick([0, -1, 1.5, 2 ** 60, Number.NaN, '3', null, 1e9])
  switch (method) {
    case 'cache.scan':
      return [{ pattern: pick(PATTERNS), raw: pick([true, false, 'yes']), cursor: pick([null, '0', '-5', 'x'.repeat(2000), '1e400', '__proto__', 3]), count: number() }]
    case 'cache.deleteMatching':
      return [{ pattern: pick(PATTERNS), raw: rand() < 0.5, dryRun: pick([true, false, undefined, 'no']), confirmCount: number() }]
    case 'cache.inspect':
    case 'cache.get':
    case 'cache.delete':
      return [{ key: pick(KEYS), version: number() }]
    case 'cache.set':
      return [{ key: pick(KEYS), value: pick(VALUES), timeout: pick([undefined, null, 0, -1, 1e12, Number.NaN, '10']), version: number() }]
    case 'cache.incr':
      return [{ key: pick(['sentinel', 'n', ...KEYS]), delta: number(), version: number() }]
    case 'cache.touch':
      return [{ key: pick(KEYS), timeout: pick([undefined, null, 0, -1, 1e12, 'x']) }]
    case 'cache.deleteKeys':
      return [{ keys: pick([[], ['x'.repeat(9000)], Array.from({ length: 1001 }, (_, i) => `k${i}`), 'k', [null], [pick(KEYS)]]) }]
    default:
      return [{ alias: pick(['default', '', '../x', 'x'.repeat(300), '__proto__']) }]
  }
}

const METHODS: MethodName[] = ['cache.scan', 'cache.inspect', 'cache.get', 'cache.set', 'cache.delete', 'cache.incr', 'cache.touch', 'cache.deleteKeys', 'cache.deleteMatching', 'cache.stats', 'cache.createTable']

describe('cache methods under hostile input', () => {
  it('answer results or typed client errors, never a 500, quickly, and lose nothing', async () => {
    await test.app.call('cache.set', { key: 'sentinel', value: 'keep', timeout: null })
    await test.app.call('cache.set', { key: 'n', value: 1, timeout: null })
    const rand = prng(20261201)
    const before = test.logs.length
    const outcomes = new Map<string, number>()
    for (let round = 0; round < 15; round++) {
      for (const method of METHODS) {
        for (const input of hostileInputs(method, rand)) {
          const t0 = performance.now()
          const outcome = await test.app.call(method, input as never).then(
            () => 'ok',
            (err: { status?: number; code?: string; message?: string }) => {
              expect(err.status, `${method} ${show(input)} → ${err.code}: ${err.message}`).toBeLessThan(500)
              expect(err.code).toMatch(/^E_[A-Z_]+$/)
              return err.code!
            },
          )
          expect(performance.now() - t0, `${method} took long on ${show(input)}`).toBeLessThan(2000)
          outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1)
        }
      }
    }
    expect(test.logs.slice(before).filter((r) => r.level === 'error').map((r) => r.message)).toEqual([])
    expect(outcomes.get('E_INVALID_INPUT')).toBeGreaterThan(0)
    expect(outcomes.get('ok')).toBeGreaterThan(0)
    // A delete by pattern needs the count it was shown, so no hostile call could empty the cache.
    expect(await test.app.call('cache.get', { key: 'sentinel' })).toEqual({ found: true, value: 'keep' })
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  }, 120_000)
})
