import type { MethodName } from './contract'
export { prng, show } from '../../test/support/fuzz'

/** The aliases cache-engines-fuzz.test.ts opens, with their engines. */
export const ENGINE_ALIASES = {
  'fuzz-file': 'file',
  'fuzz-database': 'database',
  'fuzz-redis': 'redis',
  'fuzz-memcached': 'memcached',
} as const
export type EngineAlias = keyof typeof ENGINE_ALIASES
/** Every alias's key prefix: the redis alias shares the testbed's db 3 with other tests. */
export const FUZZ_PREFIX = `bp-engines-fuzz-${process.pid}`

export type CallOutcome = 'ok' | (string & {})

function nested(depth: number, wrap: (inner: unknown) => unknown): unknown {
  let value: unknown = 'bottom'
  for (let i = 0; i < depth; i++) value = wrap(value)
  return value
}

/** Parts of hostile keys that would show in a file name, should a key ever become a path. */
export const HOSTILE_KEY_WORDS = ['passwd', 'pwned', 'etc', 'ключ', '__proto__']

const KEYS: unknown[] = [
  'k',
  '',
  ' ',
  'a b',
  '\u0000',
  'nul\u0000inside',
  'cr\rlf\n',
  'x'.repeat(8192),
  'x'.repeat(8193),
  // What `*a*a*…b` patterns backtrack on: a long run of the letter they repeat, with no b.
  'a'.repeat(8000),
  `${'a'.repeat(4000)}:${'a'.repeat(4000)}`,
  'x'.repeat(300),
  '../../etc/passwd',
  '../../../../../../tmp/pwned',
  '..\\..\\windows',
  '/absolute/etc/passwd',
  '__proto__',
  'constructor',
  'prototype',
  ':1:k',
  '*',
  '[',
  'ключ',
  '🔑\u202e',
  '\ud800',
  7,
  null,
  ['k'],
  { toString: 'k' },
]
// Stored keys as the browser would send them: with this test's prefixes and versions, and hostile.
const STORED_KEYS: unknown[] = [...KEYS, ':1:sentinel', `${FUZZ_PREFIX}:1:n`, `${FUZZ_PREFIX}:1:../../x`, `${FUZZ_PREFIX}:99999999999999999999:k`, `${FUZZ_PREFIX}:1:${'y'.repeat(8000)}`]

const PATTERNS: unknown[] = [
  '*',
  '',
  `${'*a'.repeat(500)}b`,
  `${'*a'.repeat(511)}b`.slice(0, 1024),
  `${'*a'.repeat(511)}`.slice(0, 1023) + 'b',
  `${'*a:'.repeat(341)}b`,
  `${'?*'.repeat(511)}b`,
  `${'[a]*'.repeat(255)}b`,
  `${'*[!b]'.repeat(204)}b`,
  '[',
  '[^',
  '[]',
  '\\',
  '[z-a]',
  '?'.repeat(1024),
  'x'.repeat(1025),
  '**********',
  '[[[[[[',
  '../*',
  '\u0000*',
  'ключ*',
  '*\r\n*',
  5,
  null,
]

/** A JSON text parsed, so `__proto__` is an own key as it would be off the wire (a literal sets the prototype instead). */
const parsed = (json: string): unknown => JSON.parse(json)

const VALUES: unknown[] = [
  null,
  1e308,
  -0,
  2 ** 53,
  'a'.repeat(1_000_000),
  nested(5000, (inner) => [inner]),
  nested(5000, (inner) => ({ a: inner })),
  nested(5000, (inner) => ({ $tuple: [inner] })),
  { $class: 'os.system', $args: ['touch /tmp/pwned'] },
  { $class: 'builtins.eval', $state: '__import__("os").system("touch /tmp/pwned")' },
  { $bytes: '!!!' },
  { $bytes: '!!!not base64!!!' },
  { $int: 'x' },
  { $int: '1'.repeat(5000) },
  { $float: 'nope' },
  { $datetime: 'yesterday' },
  { $timedelta: 'long' },
  { $decimal: 'NaNaN' },
  { $uuid: 'not-a-uuid' },
  { $tuple: 'not a list' },
  { $dict: [[{ a: 1 }, 1]] },
  { $dict: [[1]] },
  { $dict: 'x' },
  { $set: [{ a: 1 }] },
  { $set: [[1]] },
  { $frozenset: [{ $set: [1] }] },
  { $unknown: 1 },
  { $bytes: 'AA', $int: '1' },
  parsed('{"__proto__":{"polluted":true}}'),
  parsed('{"constructor":{"prototype":{"polluted":true}}}'),
  parsed('{"$dict":[["__proto__",{"polluted":true}]]}'),
  [1, [2, [3]]],
  { toJSON: 'x' },
]

/** An 8 MB string: every engine but memcached stores it; memcached refuses it as too large. */
const HUGE = 'h'.repeat(8 * 1024 * 1024)
/** Over memcached's 1 MB item limit. */
const OVER_ITEM_LIMIT = 'm'.repeat(2 * 1024 * 1024)

export type Call = [method: MethodName, input: Record<string, unknown>]

const VALID_KEYS = KEYS.filter((k): k is string => typeof k === 'string' && k.length >= 1 && k.length <= 8192)
const VALID_STORED = STORED_KEYS.filter((k): k is string => typeof k === 'string' && k.length >= 1 && k.length <= 8192)
const BAIT = ['a'.repeat(8000), `${'a'.repeat(4000)}:${'a'.repeat(4000)}`, `${'a:'.repeat(4000)}`]
const VALID_PATTERNS = PATTERNS.filter((p): p is string => typeof p === 'string' && p.length <= 1024)

/**
 * Every hostile key, stored key, pattern and value once through each method it fits, in inputs the
 * contract accepts, so each reaches the engine (wrong shapes are the random rounds' part).
 */
export function systematicCalls(alias: EngineAlias): Call[] {
  const calls: Call[] = []
  for (const key of VALID_KEYS) {
    calls.push(['cache.set', { alias, key, value: 'v', timeout: 60 }], ['cache.get', { alias, key }], ['cache.incr', { alias, key }], ['cache.touch', { alias, key, timeout: 60 }])
    calls.push(['cache.get', { alias, key, version: 2 ** 52 }], ['cache.delete', { alias, key }])
  }
  for (const key of BAIT) calls.push(['cache.set', { alias, key, value: 'bait', timeout: 600 }], ['cache.set', { alias, key, value: 'bait', timeout: 600, version: 2 ** 52 }])
  for (const key of VALID_STORED) calls.push(['cache.inspect', { alias, key }], ['cache.deleteKeys', { alias, keys: [key] }])
  for (const pattern of VALID_PATTERNS) {
    for (const raw of [false, true]) calls.push(['cache.scan', { alias, pattern, raw, count: 1000 }], ['cache.deleteMatching', { alias, pattern: pattern || '*', raw }])
    calls.push(['cache.deleteMatching', { alias, pattern: pattern || '*', dryRun: false, confirmCount: 987_654 }])
  }
  for (const value of VALUES) {
    calls.push(['cache.set', { alias, key: 'v', value, timeout: 60 }], ['cache.get', { alias, key: 'v' }], ['cache.inspect', { alias, key: `${FUZZ_PREFIX}:1:v` }])
    calls.push(['cache.incr', { alias, key: 'v' }])
  }
  calls.push(['cache.set', { alias, key: 'huge', value: alias === 'fuzz-memcached' ? OVER_ITEM_LIMIT : HUGE, timeout: 60 }], ['cache.get', { alias, key: 'huge' }], ['cache.incr', { alias, key: 'huge' }])
  calls.push(['cache.set', { alias, key: 'n', value: 1, timeout: null }], ['cache.incr', { alias, key: 'n', delta: Number.MAX_SAFE_INTEGER }], ['cache.incr', { alias, key: 'n', delta: Number.MAX_SAFE_INTEGER }])
  calls.push(['cache.incr', { alias, key: 'n', delta: -Number.MAX_SAFE_INTEGER }], ['cache.incr', { alias, key: 'n', delta: -Number.MAX_SAFE_INTEGER }], ['cache.incr', { alias, key: 'n', delta: -Number.MAX_SAFE_INTEGER }])
  calls.push(['cache.set', { alias, key: 'n', value: 1, timeout: null }])
  for (const cursor of ['0', '-5', 'x'.repeat(1024), '1e400', '__proto__', '{"a":1}', 'NaN', '99999999999999999999', '18446744073709551616', '0x10', ' 1', '1.5', '']) {
    calls.push(['cache.scan', { alias, cursor, count: 1 }], ['cache.scan', { alias, cursor, count: 1000, raw: true }])
  }
  calls.push(['cache.set', { alias, key: 'expires', value: 1, timeout: 1e12 }], ['cache.set', { alias, key: 'expires', value: 1, timeout: 2 ** 53 }], ['cache.touch', { alias, key: 'expires', timeout: 1e12 }])
  calls.push(['cache.set', { alias, key: 'expires', value: 1, timeout: 0.0001 }], ['cache.get', { alias, key: 'expires', version: -(2 ** 53) }])
  calls.push(['cache.deleteKeys', { alias, keys: Array.from({ length: 1000 }, (_, i) => `${'k'.repeat(8000)}${i}`) }])
  calls.push(['cache.stats', { alias }], ['cache.createTable', { alias }])
  return calls
}

/** Random inputs, a third of them of the wrong shape somewhere. */
export function randomCall(method: MethodName, alias: EngineAlias, rand: () => number): Record<string, unknown> {
  const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)]!
  const hostile = rand() < 0.35
  const odd = <T>(good: () => T, bad: readonly unknown[]) => (hostile && rand() < 0.5 ? pick(bad) : good())
  const number = [0, -1, 1.5, 2 ** 60, Number.NaN, Number.POSITIVE_INFINITY, '3', null, 1e9, 1001]
  const version = () => odd(() => pick([undefined, 1, 2, -1, 0, 2 ** 52]), [1.5, 2 ** 60, Number.NaN, '3', null])
  const target = () => odd(() => alias, ['', '../x', 'x'.repeat(300), '__proto__', 'constructor', 7, 'default\u0000'])
  const timeout = () => odd(() => pick([undefined, null, 0, 3600, 1e12]), [-1, Number.NaN, Number.POSITIVE_INFINITY, '10'])
  const key = () => odd(() => pick(VALID_KEYS), KEYS)
  switch (method) {
    case 'cache.scan':
      return { alias: target(), pattern: odd(() => pick(VALID_PATTERNS), PATTERNS), raw: odd(() => rand() < 0.5, ['yes', 1]), cursor: odd(() => pick([null, '0', '1', '-5', '__proto__', 'x'.repeat(1024)]), ['x'.repeat(2000), 3, {}]), count: odd(() => pick([1, 7, 1000]), number) }
    case 'cache.deleteMatching':
      // dryRun false with a count that does not match: a delete needs the count it was shown.
      return { alias: target(), pattern: odd(() => pick(VALID_PATTERNS) || '*', PATTERNS), raw: rand() < 0.5, dryRun: odd(() => pick([true, false, undefined]), ['no', 0]), confirmCount: odd(() => pick([123_456, undefined]), [-1, 1.5, 2 ** 60, '0']) }
    case 'cache.inspect':
      return { alias: target(), key: odd(() => pick(VALID_STORED), STORED_KEYS) }
    case 'cache.get':
    case 'cache.delete':
      return { alias: target(), key: key(), version: version() }
    case 'cache.set':
      return { alias: target(), key: key(), value: pick(VALUES), timeout: timeout(), version: version() }
    case 'cache.incr':
      return { alias: target(), key: odd(() => pick(['sentinel', 'n', 'v', 'huge', ...VALID_KEYS]), KEYS), delta: odd(() => pick([1, -1, 0, 2 ** 53 - 1, 1e15]), [2 ** 63, 1.5, Number.NaN, '1', null]), version: version() }
    case 'cache.touch':
      return { alias: target(), key: odd(() => pick(['sentinel', ...VALID_KEYS]), KEYS), timeout: timeout(), version: version() }
    case 'cache.deleteKeys':
      return { alias: target(), keys: odd(() => [pick(VALID_STORED), pick(VALID_STORED)], [[], ['x'.repeat(9000)], Array.from({ length: 1001 }, (_, i) => `k${i}`), 'k', [null], [{}]]) }
    case 'cache.workload':
      return {
        alias: target(),
        keys: odd(() => pick([1, 5, 100_000]), [0, 100_001, 1.5, '10']),
        valueBytes: odd(() => pick([1, 100, 1024 * 1024]), [0, 1024 * 1024 + 1, -1]),
        readRatio: odd(() => pick([0, 1, 0.5]), [1.1, -0.1, Number.NaN]),
        concurrency: odd(() => pick([1, 8, 256]), [257, 0]),
        durationSeconds: odd(() => 1, [0.5, 301, Number.NaN]),
      }
    case 'cache.workloadCancel':
      return { runId: pick(['fuzz-0', '', 'x'.repeat(101), '__proto__', 'constructor', 'toString', 7]) }
    default:
      return { alias: target() }
  }
}

