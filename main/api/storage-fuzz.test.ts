import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { join, relative } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { prng, show } from '../../test/support/fuzz'
import { openTestApp, type TestApp } from '../../test/support/test-app'
import { startHttpServer, type RunningServer } from '../hosts/http/server'
import type { MethodName } from './contract'
import { storageMethods } from './contract/storage'

// Hostile input for every storage.* method and every storage route, on the filesystem alias (its root is
// <home>/files, so a name that climbed out would land in the data directory) and a memory alias: names
// with traversal plain and encoded, NUL, line breaks, bidi overrides, 10,000 characters, absolute and
// Windows paths, 5,000-deep JSON, wrong types; Range headers out of any range; huge name lists; transfer
// ids with slashes. Every answer must be a result or a typed client error (4xx) within a few seconds,
// nothing may be logged as Backplane's own fault, and nothing may appear outside the alias' root.
const TOKEN = 'storage-fuzz-token'
let test: TestApp
let http: RunningServer

let deep: unknown = 'bottom'
for (let i = 0; i < 5000; i++) deep = [deep]

const NAMES: unknown[] = [
  'ok.txt',
  'folder/inner.txt',
  '../escape.txt',
  '../../escape.txt',
  'folder/../../escape.txt',
  '/etc/passwd',
  '..\\..\\escape.txt',
  'C:\\Windows\\escape.txt',
  '%2e%2e%2fescape.txt',
  'x\u0000y',
  'line\nbreak',
  'tab\there',
  '\u202eevil.txt',
  'x'.repeat(10_000),
  // Shaped to make a backtracking pattern in a name check take exponential time, were there one.
  '(a+)+$' + 'a'.repeat(5_000) + '!',
  ' '.repeat(4_000) + '.' + ' '.repeat(4_000) + 'x',
  '.'.repeat(4_000) + '/' + '-'.repeat(4_000),
  'a/'.repeat(2000) + 'deep.txt',
  '.',
  '..',
  '',
  '//',
  './././x',
  '__proto__',
  'constructor/prototype',
  7,
  null,
  ['a'],
  { name: 'x' },
  deep,
]
const ALIASES: unknown[] = ['default', 'default', 'mem', 'mem', '', '../x', 'x'.repeat(300), '__proto__', 5, null]
const FOLDERS: unknown[] = ['', 'in', '../out', '/abs', 'x\u0000', 'x'.repeat(5000), 3]
const IDS: unknown[] = ['none', '../x', 'a/b', 'x'.repeat(101), '', 7, null, '__proto__']

function hostileInputs(method: MethodName, rand: () => number): unknown[] {
  const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)]!
  const names = () => pick([[pick(NAMES)], [pick(NAMES), pick(NAMES)], [], Array.from({ length: 10_001 }, (_, i) => `n${i}`), pick(NAMES), null])
  const alias = pick(ALIASES)
  switch (method) {
    case 'storage.list':
      return [
        {
          alias,
          path: pick(NAMES),
          cursor: pick([null, '', 'x'.repeat(5000), '../', 5]),
          limit: pick([1, 0, -1, 5001, 1.5, '10', undefined]),
          // The name filter is text compared, never a pattern: pattern syntax, huge, NUL, and not a string.
          contains: pick([undefined, '', 'a', '(a+)+$', '.*', '%', '\u0000', 'x'.repeat(256), 'x'.repeat(255), 'İ', 5, null, ['a']]),
        },
      ]
    case 'storage.stat':
    case 'storage.features':
    case 'storage.makeFolder':
      return [{ alias, name: pick(NAMES) }]
    case 'storage.summarize':
      return [{ alias, names: names(), limit: pick([1, 0, 10, 2_000_000, undefined]) }]
    case 'storage.delete':
      return [{ alias, names: names() }]
    case 'storage.move':
      return [{ alias, from: pick(NAMES), to: pick(NAMES), conflict: pick(['overwrite', 'fail', 'rename', 5, undefined]) }]
    case 'storage.url':
      return [{ alias, name: pick(NAMES), presign: pick([true, false, 'yes']), expiresInSeconds: pick([0, 1, 3600, 1e9, -5, undefined]) }]
    case 'storage.djangoName':
      return [{ alias, name: pick(NAMES), maxLength: pick([undefined, 0, 1, 5, 4097, -1, 'x']) }]
    case 'storage.startTransfer':
      return [{ kind: pick(['copy', 'move', 'zip', 5]), from: pick([{ alias, names: names() }, null, deep]), to: { alias: pick(ALIASES), folder: pick(FOLDERS) }, conflict: pick(['rename', 'overwrite', 'fail', 'merge']) }]
    case 'storage.cancelTransfer':
      return [{ id: pick(IDS) }]
    default:
      return [pick([{}, undefined, null, deep, { extra: 1 }])]
  }
}

const METHODS: MethodName[] = [
  'storage.list',
  'storage.stat',
  'storage.features',
  'storage.summarize',
  'storage.makeFolder',
  'storage.move',
  'storage.delete',
  'storage.url',
  'storage.djangoName',
  'storage.startTransfer',
  'storage.transfers',
  'storage.cancelTransfer',
  'storage.clearTransfers',
]

/** Every file and folder under the data directory but the alias root, the outbox's and the settings' own. */
function outsideRoot(home: string): string[] {
  const out: string[] = []
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name)
      const rel = relative(home, path)
      if (rel === 'files' || /^(outbox|auth|settings|console|secrets)/.test(rel) || /\.sqlite3(-wal|-shm|-journal)?$/.test(rel)) continue
      out.push(rel)
      if (statSync(path).isDirectory()) walk(path)
    }
  }
  walk(home)
  return out.sort()
}

interface RawAnswer {
  status: number
  body: string
}

/** A raw request target, as written: node:http sends the path without resolving dots or decoding. */
function raw(method: string, target: string, headers: Record<string, string> = {}, body?: string): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const url = new URL(http.url)
    const req = request({ host: url.hostname, port: url.port, method, path: target, headers: { authorization: `Bearer ${TOKEN}`, ...headers } }, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (c: string) => (text += c.slice(0, 10_000)))
      res.on('end', () => resolve({ status: res.statusCode!, body: text }))
    })
    req.setTimeout(5_000, () => req.destroy(new Error(`no answer in 5 s: ${method} ${target.slice(0, 200)}`)))
    req.on('error', reject)
    req.end(body)
  })
}

const SEGMENTS = ['ok.txt', 'ok.txt', 'folder', 'folder', 'new.txt', 'new.txt', 'caf%C3%A9.txt', '..', '%2e%2e', '%2E%2E%2F', '..%2f..%2f', '%2F', 'a%2Fb', '%5C', '..%5C..%5C', '%00', 'x%00.txt', '%0a', '%0d%0aX-Injected:%201', '%E2%80%AE', '%zz', '%C0%AE%C0%AE', '%', 'x'.repeat(10_000), '', '.', '%252e%252e']
const RANGES = ['bytes=99999999999999999999-', 'bytes=-0', 'bytes=5-1', 'bytes=-', 'bytes=0-0,1-1,2-2', 'garbage', 'bytes=1-2-3', `bytes=${'1,'.repeat(1000)}`, 'bytes=-99999999999999999999', 'bytes=0--1']
const QUERIES = ['', 'conflict=bogus', 'conflict=fail', 'conflict=overwrite', 'transfer=../x', 'transfer=a%2Fb', `transfer=${'x'.repeat(101)}`, 'inline=1', 'inline=1&inline=0', 'transfer=fuzz-ok']

beforeAll(async () => {
  test = await openTestApp({ host: 'serve' })
  await test.app.call('settings.saveAlias', { kind: 'storage', name: 'mem', engine: 'memory', options: {} })
  http = await startHttpServer(test.app, { host: '127.0.0.1', port: 0, token: TOKEN })
  // The sentinel: a file next to the root that a climbing name would reach.
  mkdirSync(join(test.home, 'files', 'folder'), { recursive: true })
  writeFileSync(join(test.home, 'files', 'ok.txt'), '0123456789')
  writeFileSync(join(test.home, 'escape.txt'), 'sentinel')
})
afterAll(async () => {
  await http?.close()
  await test?.close()
})

function expectTyped(what: string, status: number, body: string) {
  expect(status, `${what} → ${status} ${body.slice(0, 300)}`).toBeLessThan(500)
  if (status >= 400) expect(JSON.parse(body), what).toMatchObject({ error: { code: expect.stringMatching(/^E_[A-Z_]+$/) } })
}

describe('storage under hostile input', () => {
  it('fuzzes every storage method the contract has (a new one must be added here)', () => {
    expect([...METHODS].sort()).toEqual(Object.keys(storageMethods).sort())
  })

  it('methods answer results or typed client errors, never a 500, quickly, and write nothing outside the root', async () => {
    const before = outsideRoot(test.home)
    const logged = test.logs.length
    const rand = prng(20261202)
    const outcomes = new Map<string, number>()
    for (let round = 0; round < 12; round++) {
      for (const method of METHODS) {
        for (const input of hostileInputs(method, rand)) {
          const t0 = performance.now()
          const outcome = await test.app.router.dispatch(method, input, { app: test.app, via: 'http' }).then(
            () => 'ok',
            (err: { status?: number; code?: string; message?: string }) => {
              expect(err.status, `${method} ${show(input)} → ${err.code}: ${err.message}`).toBeLessThan(500)
              expect(err.code).toMatch(/^E_[A-Z_]+$/)
              return err.code!
            },
          )
          expect(performance.now() - t0, `${method} took long on ${show(input)}`).toBeLessThan(3000)
          outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1)
        }
      }
    }
    // Transfers started by the fuzz run on; let them end before looking.
    await expect.poll(() => test.app.storageTransfers.list().every((t) => t.state !== 'running' && t.state !== 'queued'), { timeout: 10_000 }).toBe(true)
    for (const t of test.app.storageTransfers.list()) if (t.error) expect(t.error.code, t.label).not.toMatch(/^E_(INTERNAL|BAD_OUTPUT)$/)
    expect(outcomes.get('ok')).toBeGreaterThan(0)
    expect(outcomes.get('E_INVALID_INPUT')).toBeGreaterThan(0)
    expect(outcomes.get('E_PATH_OUTSIDE_ROOT')).toBeGreaterThan(0)
    expect(outsideRoot(test.home)).toEqual(before)
    expect(test.logs.slice(logged).filter((r) => r.level === 'error').map((r) => r.message)).toEqual([])
    expect(existsSync(join(test.home, 'escape.txt'))).toBe(true)
  }, 120_000)

  it('routes answer files or typed client errors, never a 500, and write nothing outside the root', async () => {
    const before = outsideRoot(test.home)
    const logged = test.logs.length
    const rand = prng(7)
    const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)]!
    const statuses = new Map<number, number>()
    for (let i = 0; i < 250; i++) {
      const method = pick(['GET', 'GET', 'HEAD', 'PUT', 'PUT', 'DELETE', 'POST'])
      const alias = rand() < 0.3 ? 'default' : pick(['default', 'default', 'mem', '', '..', '%2e%2e', 'nope', 'x'.repeat(300)])
      // Some plain requests among the hostile ones, so that writes that succeed are checked for where they land too.
      const plain = rand() < 0.3
      const path = plain ? pick(['ok.txt', 'new.txt', 'folder/new.txt', 'caf%C3%A9.txt']) : Array.from({ length: 1 + Math.floor(rand() * 3) }, () => pick(SEGMENTS)).join('/')
      const query = plain ? '' : pick(QUERIES)
      const headers: Record<string, string> = !plain && rand() < 0.4 ? { range: pick(RANGES) } : {}
      if (method === 'PUT' && !plain && rand() < 0.3) headers['content-length'] = pick(['1', '0', '99999999999999999', '-1', 'abc'])
      const target = `/api/v1/storage/${alias}/${path}${query ? '?' + query : ''}`
      const body = method === 'PUT' && headers['content-length'] === undefined ? 'pwned' : method === 'PUT' ? 'p'.repeat(Math.max(0, Math.min(1, Number(headers['content-length']) || 0))) : undefined
      const answer = await raw(method, target, headers, body).catch((err: Error) => ({ status: 0, body: err.message }))
      // A Content-Length the body does not match may end with the connection closed: that is the answer.
      if (answer.status === 0) {
        expect(headers['content-length'], `${method} ${target.slice(0, 200)}: ${answer.body}`).toBeDefined()
        continue
      }
      expectTyped(`${method} ${target.slice(0, 200)} ${JSON.stringify(headers)}`, answer.status, method === 'HEAD' ? '{"error":{"code":"E_HEAD"}}' : answer.body)
      statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1)
    }
    for (let i = 0; i < 40; i++) {
      const names = Array.from({ length: pick([1, 2, 50, 2000]) }, () => `name=${pick(SEGMENTS.filter((s) => s.length < 100))}`).join('&')
      const target = `/api/v1/storage-zip/${pick(['default', 'mem', '', 'nope', '%2F'])}${pick(['', '/extra'])}?${names}${pick(['', '&filename=x.zip', '&filename=%2F..', '&filename=a%0d%0ab', `&filename=${'z'.repeat(300)}`])}`
      const answer = await raw('GET', target)
      expectTyped(`GET ${target.slice(0, 200)}`, answer.status, answer.status === 200 ? '' : answer.body)
      statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1)
    }
    // Ten thousand and one names: too many for a zip, or too long for the request line; typed either way.
    const huge = await raw('GET', `/api/v1/storage-zip/default?${Array.from({ length: 10_001 }, () => 'name=a').join('&')}`)
    expect(huge.status).toBeGreaterThanOrEqual(400)
    expect(huge.status).toBeLessThan(500)
    expect(statuses.get(200) ?? 0).toBeGreaterThan(0)
    expect(statuses.get(201) ?? 0).toBeGreaterThan(0)
    expect(statuses.get(400) ?? 0).toBeGreaterThan(0)
    expect(outsideRoot(test.home)).toEqual(before)
    expect(test.logs.slice(logged).filter((r) => r.level === 'error').map((r) => r.message)).toEqual([])
  }, 120_000)
})
