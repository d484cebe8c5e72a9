import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestApp, type TestApp } from '../../test/support/test-app'
import type { MethodName } from './contract'
import { prng } from '../../test/support/fuzz'

// Hostile input for every data.* and ssh.* method on the default sqlite alias: names that quote,
// escape or traverse, huge and deeply nested values, LIKE patterns that could backtrack, wrong shapes.
// Every answer must be a result or a typed client error (4xx), nothing may be logged as Backplane's own
// fault, and the table the fuzz aims at must be unchanged afterwards.
let test: TestApp

beforeAll(async () => {
  // The desktop app's save dialog, answered with a file in the test's own folder.
  test = await openTestApp({ savePrompt: async ({ format }) => join(test.home, `fuzz-export.${format}`) })
  await test.app.call('data.script', { sql: "CREATE TABLE victim (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO victim VALUES (1, 'a'), (2, 'b'), (3, 'c')" })
})
afterAll(() => test.close())

const NASTY_NAMES = [
  'victim"; DROP TABLE victim; --',
  "victim'); DELETE FROM victim; --",
  '`victim`',
  '[victim]',
  '../../outbox.sqlite3',
  'main; ATTACH',
  '\u0000victim',
  'vic\ntim',
  'victim\r\n; DROP TABLE victim',
  'victim\u202e',
  '𝕧𝕚𝕔𝕥𝕚𝕞',
  '',
  ' ',
  'x'.repeat(1001),
  '__proto__',
  'constructor',
  'sqlite_schema',
  'sqlite_master',
]

const NASTY_VALUES: unknown[] = [
  null,
  -0,
  1e308,
  Number.MAX_SAFE_INTEGER,
  '%'.repeat(10_000),
  `${'_%'.repeat(5000)}!`,
  "'; DROP TABLE victim; --",
  'a'.repeat(1_000_000),
  { $bytes: '!!!not base64!!!' },
  { $json: { __proto__: { polluted: true } } },
  { $json: 'x'.repeat(10_000) },
  [1, [2, [3, [4]]]],
  { toString: 'boom' },
  { $bytes: 'AA', $json: 1 },
  true,
]

function hostileInputs(method: MethodName, rand: () => number): unknown[] {
  const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)]!
  const table = () => (rand() < 0.5 ? { name: pick(NASTY_NAMES) } : { schema: pick(NASTY_NAMES), name: rand() < 0.5 ? 'victim' : pick(NASTY_NAMES) })
  const column = () => (rand() < 0.3 ? 'name' : pick(NASTY_NAMES))
  const ops = ['=', '<>', '<', 'contains', 'starts', 'ends', 'null', 'not null', 'in', 'LIKE', '; DROP', '']
  switch (method) {
    case 'data.page':
      return [{ table: table(), limit: pick([1, 0, -1, 10_001, 1.5, '10']), offset: pick([0, -5, 2 ** 60, 'x']), sort: [{ column: column(), descending: rand() < 0.5 }], filters: [{ column: column(), op: pick(ops), value: pick(NASTY_VALUES) }], after: pick([undefined, [pick(NASTY_VALUES)], [], [1, 2, 3]]) }, { table: { name: 'victim' }, filters: [{ column: 'name', op: pick(['contains', 'starts', 'ends']), value: pick(NASTY_VALUES) }] }]
    case 'data.describe':
    case 'data.tables':
      return [{ table: table(), schema: pick(NASTY_NAMES) }]
    case 'data.planChanges':
    case 'data.applyChanges':
      return [
        { table: table(), changes: [{ op: 'update', key: { id: pick(NASTY_VALUES) }, set: { [column()]: pick(NASTY_VALUES) } }] },
        { table: { name: 'victim' }, changes: [{ op: pick(['insert', 'delete', 'update', 'merge']), key: { [column()]: pick(NASTY_VALUES) }, values: { [column()]: pick(NASTY_VALUES) }, set: {} }] },
        { table: { name: 'victim' }, changes: [] },
      ]
    case 'data.query':
    case 'data.script':
    case 'data.explain':
      return [{ sql: pick(["SELECT ? FROM victim WHERE name = ?", '', ';;;', "SELECT '", '/*', 'SELECT 1 -- ?', 'x'.repeat(100_000)]), params: [pick(NASTY_VALUES)], maxRows: pick([1, 0, 100_001, -1]), queryId: pick(['q', '', 'x'.repeat(300), undefined]) }]
    case 'data.exportToFile':
      return [
        { table: table(), format: pick(['csv', 'jsonl', 'xml', '']), queryId: pick(['x1', '', 'x'.repeat(300)]) },
        { sql: pick(['SELECT * FROM victim', "WITH d AS (DELETE FROM victim RETURNING *) SELECT * FROM d", 'SELECT 1; DELETE FROM victim', 'x'.repeat(100_000), '\u0000']), params: [pick(NASTY_VALUES)], queryId: 'x2' },
        { table: { name: 'victim' }, sql: 'SELECT 1', queryId: 'x3' },
      ]
    case 'data.cancel':
      return [{ queryId: pick(['q', '', 'x'.repeat(300), '__proto__', 'constructor']) }]
    case 'ssh.trustHostKey':
    case 'ssh.forgetHostKey':
      return [{ host: pick(['../../etc/passwd', 'h\nost', '', 'x'.repeat(300), '__proto__']), port: pick([0, 22, 70_000, -1, '22']), fingerprint: pick([`SHA256:${'A'.repeat(43)}`, 'SHA256:', '"; rm -rf /', 'x'.repeat(10_000)]), keyType: pick(['ssh-ed25519', '', 'x'.repeat(200)]) }]
    default:
      return [{}]
  }
}

const METHODS: MethodName[] = ['data.schemas', 'data.tables', 'data.describe', 'data.query', 'data.script', 'data.cancel', 'data.page', 'data.planChanges', 'data.applyChanges', 'data.explain', 'data.exportToFile', 'data.django', 'ssh.knownHosts', 'ssh.trustHostKey', 'ssh.forgetHostKey']

describe('data and ssh methods under hostile input', () => {
  it('answer results or typed client errors, never a 500, and leave the data as it was', async () => {
    const rand = prng(20261201)
    const before = test.logs.length
    const statuses = new Map<string, number>()
    for (let round = 0; round < 12; round++) {
      for (const method of METHODS) {
        for (const input of hostileInputs(method, rand)) {
          const t0 = performance.now()
          const outcome = await test.app.call(method, input as never).then(
            () => 'ok',
            (err: { status?: number; code?: string; message?: string }) => {
              expect(err.status, `${method} ${JSON.stringify(input).slice(0, 200)} → ${err.code}: ${err.message}`).toBeLessThan(500)
              expect(err.code).toMatch(/^E_[A-Z_]+$/)
              return err.code!
            },
          )
          // Nothing backtracks or stalls: a hostile call answers quickly.
          expect(performance.now() - t0, `${method} took long on ${JSON.stringify(input).slice(0, 120)}`).toBeLessThan(3000)
          statuses.set(outcome, (statuses.get(outcome) ?? 0) + 1)
        }
      }
      // Whatever was written by a well-formed edit is put back, so the next round aims at the same rows.
      await test.app.call('data.script', { sql: "DELETE FROM victim; INSERT INTO victim VALUES (1, 'a'), (2, 'b'), (3, 'c')" })
    }
    expect(test.logs.slice(before).filter((r) => r.level === 'error').map((r) => r.message)).toEqual([])
    expect(statuses.get('E_INVALID_INPUT')).toBeGreaterThan(0)
    const tables = await test.app.call('data.tables', {})
    expect(tables.map((t) => t.name)).toContain('victim')
    expect((await test.app.call('data.query', { sql: 'SELECT count(*) FROM victim' })).rows).toEqual([[3]])
    // Exports that failed left nothing half-written beside the ones that succeeded.
    expect(readdirSync(test.home).filter((f) => f.endsWith('.partial'))).toEqual([])
  }, 120_000)

  it('never lets an injected name reach the SQL: the table survives every quoted trick', async () => {
    for (const name of NASTY_NAMES) {
      await test.app.call('data.page', { table: { name }, limit: 1 }).catch(() => undefined)
      await test.app.call('data.applyChanges', { table: { name: 'victim' }, changes: [{ op: 'delete', key: { [name]: 1 } }] }).catch(() => undefined)
    }
    expect((await test.app.call('data.query', { sql: 'SELECT count(*) FROM victim' })).rows).toEqual([[3]])
  })
})
