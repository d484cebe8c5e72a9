import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeHome, startBackplane, type RunningBackplane } from './support/server'
import { trustEngine } from './support/token-mail-engine'

// The engine kit as users meet it: the bundled CLI (what `npm start` and the desktop app run), modules in
// a data directory or anywhere on disk, a serve process reached over HTTP.
const root = join(import.meta.dirname, '..')
const CLI = join(root, 'out', 'main', 'cli.js')

function backplane(args: string[], env: Record<string, string> = {}, cwd = root) {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, BACKPLANE_SECRET_STORE: 'file', ...env } })
  return { code: result.status, stdout: result.stdout, stderr: result.stderr }
}

function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'backplane-kit-'))
}

/** A cache engine module built on the SDK, from the given class body (what differs from BaseCache). */
function cacheModule(dir: string, name: string, body: string): string {
  writeFileSync(
    join(dir, `${name}.mjs`),
    `import { BaseCache, CacheOptions, defineEngine, BackplaneError, ErrorCode } from 'backplane/engine'
class Engine extends BaseCache {
  store = new Map()
  k(key, o) { return this.makeKey(key, o?.version) }
  live(k) { const e = this.store.get(k); if (e && e.expires !== null && e.expires <= Date.now()) { this.store.delete(k); return undefined } return e }
  read(key, o) { const e = this.live(this.k(key, o)); return e ? JSON.parse(e.json) : undefined }
  async get(key, o) { return this.read(key, o) }
  async set(key, value, o) { this.store.set(this.k(key, o), { json: JSON.stringify(value), expires: this.expiryOf(o?.timeout) }) }
  async add(key, value, o) { if (this.live(this.k(key, o))) return false; await this.set(key, value, o); return true }
  async touch(key, o) { const e = this.live(this.k(key, o)); if (!e) return false; e.expires = this.expiryOf(o?.timeout); return true }
  async delete(key, o) { const had = this.live(this.k(key, o)) !== undefined; this.store.delete(this.k(key, o)); return had }
  async clear() { this.store.clear() }
  async remainingTimeout(key, o) { const e = this.live(this.k(key, o)); return e === undefined ? undefined : e.expires === null ? null : (e.expires - Date.now()) / 1000 }
  async serverVersion() { return 'in a Map' }
  ${body}
}
export const ${name} = defineEngine({ kind: 'cache', title: '${name}', options: CacheOptions, create: (o, ctx) => new Engine(o, ctx) })
`,
  )
  return `./${name}.mjs#${name}`
}

describe('backplane test-engine', () => {
  const examples: [string, string][] = [
    ['jsonl-mail.mjs#JsonlMail', 'mail'],
    ['json-data.mjs#JsonFolder', 'data'],
    ['file-cache.mjs#FileCache', 'cache'],
    ['htpasswd-auth.mjs#Htpasswd', 'auth'],
    ['token-auth.mjs#TokenAuth', 'auth'],
    ['dated-storage.mjs#DatedFolder', 'storage'],
  ]
  it.each(examples)('passes the %s example (kind %s)', (spec, kind) => {
    const out = backplane(['test-engine', `./examples/${spec}`, '--kind', kind])
    expect(out.stdout, out.stderr).toMatch(/\d+ passed, 0 failed, \d+ skipped\n$/)
    expect(out.code).toBe(0)
    // Every case that did not run says why.
    for (const line of out.stdout.split('\n').filter((l) => l.startsWith('  - '))) expect(line).toMatch(/skipped: \S+/)
  })

  it('runs the walkthrough of docs/custom-engines.md as written', () => {
    const dir = scratch()
    const [engine, declaration] = [...readFileSync(join(root, 'docs', 'custom-engines.md'), 'utf8').matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]!)
    writeFileSync(join(dir, 'ttl-cache.mjs'), `${engine}\n${declaration}`)
    const out = backplane(['test-engine', './ttl-cache.mjs#TtlCache', '--kind', 'cache'], {}, dir)
    expect(out.stdout, out.stderr).toMatch(/17 passed, 0 failed, 2 skipped\n$/)
    expect(out.stdout).toContain('skipped: the engine has no scan()')
  })

  it('names the methods an engine lacks and exits 1', () => {
    const dir = scratch()
    writeFileSync(join(dir, 'half.mjs'), 'export class Half { async get() {} async set() {} }')
    const out = backplane(['test-engine', './half.mjs#Half', '--kind', 'cache'], {}, dir)
    expect(out.code).toBe(1)
    expect(out.stdout).toContain('missing add(), touch(), delete(), hasKey(), getMany(), setMany(), deleteMany(), incr(), decr(), clear()')
    expect(out.stdout).toMatch(/0 passed, 1 failed/)
  })

  it('fails, with a summary and exit 1, an engine that never answers or leaves nothing to wake it', () => {
    const dir = scratch()
    writeFileSync(
      join(dir, 'hangs.mjs'),
      `export const Never = { kind: 'cache', create: () => new Promise(() => {}) }
export const Thenable = { kind: 'cache', create: () => ({ then() {} }) }
`,
    )
    for (const name of ['Never', 'Thenable']) {
      const out = backplane(['test-engine', `./hangs.mjs#${name}`, '--kind', 'cache', '--timeout', '1'], {}, dir)
      expect(out.code, out.stdout).toBe(1)
      expect(out.stdout).toMatch(/0 passed, 1 failed, 0 skipped\n$/)
    }
  })

  it('reports a capability the engine lacks as skipped with its reason, never as passed', () => {
    const dir = scratch()
    const spec = cacheModule(dir, 'NoScan', '')
    const out = backplane(['test-engine', spec, '--kind', 'cache'], {}, dir)
    expect(out.stdout).toMatch(/ - lists stored keys by pattern, a page at a time \(\d+ ms\) {2}skipped: the engine has no scan\(\)/)
    expect(out.stdout).toMatch(/17 passed, 0 failed, 2 skipped/)
    expect(out.code).toBe(0)
  })

  it('fails a case the engine gets wrong, saying what was expected, and exits 1', () => {
    const dir = scratch()
    const spec = cacheModule(dir, 'Miscounts', 'async incr(key, delta = 1) { await super.incr(key, delta); return 0 }')
    const out = backplane(['test-engine', spec, '--kind', 'cache', '--json'], {}, dir)
    expect(out.code).toBe(1)
    const report = JSON.parse(out.stdout) as { failed: number; results: { name: string; outcome: string; message?: string }[] }
    expect(report.failed).toBe(1)
    expect(report.results.find((r) => r.outcome === 'failed')).toMatchObject({ name: expect.stringContaining('increments'), message: expect.stringContaining('11') })
  })
})

describe('custom engines in a running Backplane', () => {
  let server: RunningBackplane
  const marker = join(scratch(), 'probe-ran.txt')
  const probe = `import { writeFileSync } from 'node:fs'\nwriteFileSync(${JSON.stringify(marker)}, 'the probe ran')\nexport default class Probe {}\n`

  beforeAll(async () => {
    server = await startBackplane()
  })
  afterAll(async () => server.stop())

  it('never runs a module written through the API: the probe gets E_ENGINE_UNTRUSTED and nothing is imported', async () => {
    // The attack the issue names: write a module into the default storage, then name it as an engine.
    const saved = await server.file('PUT', 'default', 'probe.mjs', probe)
    expect(saved).toMatchObject({ status: 201, body: { name: 'probe.mjs' } })
    const tested = await server.post('settings.testAlias', { kind: 'cache', name: 'p', engine: './files/probe.mjs', options: {} })
    expect(tested.body).toMatchObject({ state: 'down', error: { code: 'E_ENGINE_UNTRUSTED', hint: expect.stringContaining('is never trusted') } })
    const stored = await server.post('settings.saveAlias', { kind: 'cache', name: 'p', engine: './files/probe.mjs', options: {} })
    expect(stored).toMatchObject({ status: 403, body: { error: { code: 'E_ENGINE_UNTRUSTED' } } })
    // A module in the API-writable files/ folder cannot even be trusted from the command line.
    const trusting = backplane(['engines', 'trust', './files/probe.mjs'], { BACKPLANE_HOME: server.home })
    expect(trusting.code).toBe(1)
    expect(trusting.stderr).toContain('never trusted')
    expect(existsSync(marker)).toBe(false)
  })

  it('names the exact command in the hint for a module elsewhere, and it trusts the module for this data directory', async () => {
    const spec = cacheModule(server.home, 'Hinted', '')
    const tested = await server.post('settings.testAlias', { kind: 'cache', name: 'h', engine: spec, options: {} })
    const hint = (tested.body as { error: { hint: string; details: { command: string } } }).error
    expect(hint.hint).toContain(`npx backplane engines trust ${spec}`)
    const args = hint.details.command.replace(/^npx backplane /, '').split(' ').map((a) => a.replace(/^'(.*)'$/, '$1'))
    expect(backplane(args).code).toBe(0)
    expect((await server.post('settings.testAlias', { kind: 'cache', name: 'h', engine: spec, options: {} })).body).toMatchObject({ state: 'ok' })
  })

  it('takes trust given on the command line at once, without a restart', async () => {
    const home = server.home
    const spec = cacheModule(home, 'Later', '')
    writeFileSync(join(home, 'settings.json'), JSON.stringify({ ...JSON.parse(readFileSync(join(home, 'settings.json'), 'utf8')), caches: { default: { engine: 'locmem' }, later: { engine: spec } } }))
    await server.post('settings.reload')
    const before = (await server.post('settings.get')).body as { aliases: { name: string; valid: boolean }[]; issues: { message: string }[] }
    expect(before.aliases.find((a) => a.name === 'later')?.valid).toBe(false)
    expect(before.issues.map((i) => i.message).join('\n')).toContain('has not been trusted')
    trustEngine(home, spec)
    await expect
      .poll(async () => ((await server.post('settings.get')).body as { aliases: { name: string; valid: boolean }[] }).aliases.find((a) => a.name === 'later')?.valid, { timeout: 5000 })
      .toBe(true)
    expect((await server.post('cache.set', { alias: 'later', key: 'k', value: 1 })).status).toBe(200)
  })

  it('gives a module outside the app the SDK: a package-less file anywhere imports backplane/engine', async () => {
    const dir = scratch()
    const spec = cacheModule(dir, 'Elsewhere', "async get(key, o) { if (key === 'missing') throw new BackplaneError(ErrorCode.E_NOT_FOUND, 'No such key here.', { hint: 'Set it first.' }); return this.read(key, o) }")
    const absolute = join(dir, spec.replace('./', ''))
    trustEngine(server.home, absolute)
    expect((await server.post('settings.saveAlias', { kind: 'cache', name: 'elsewhere', engine: absolute, options: {} })).status).toBe(200)
    await server.post('cache.set', { alias: 'elsewhere', key: 'a', value: 'b' })
    expect((await server.post('cache.get', { alias: 'elsewhere', key: 'a' })).body).toEqual({ found: true, value: 'b' })
    expect(await server.post('cache.get', { alias: 'elsewhere', key: 'missing' })).toMatchObject({ status: 404, body: { error: { code: 'E_NOT_FOUND', hint: 'Set it first.' } } })
  })

  it('loads engines from packages, in the data directory and next to Backplane, each on the SDK', async () => {
    const install = (dir: string, name: string) => {
      mkdirSync(join(dir, 'node_modules', name), { recursive: true })
      writeFileSync(join(dir, 'node_modules', name, 'package.json'), JSON.stringify({ name, type: 'module', exports: './engine.js' }))
      cacheModule(join(dir, 'node_modules', name), 'Packaged', '')
      writeFileSync(join(dir, 'node_modules', name, 'engine.js'), readFileSync(join(dir, 'node_modules', name, 'Packaged.mjs')))
    }
    const inHome = 'bp-e2e-packaged-engine'
    install(server.home, inHome)
    const beside = `bp-e2e-beside-${process.pid}`
    install(root, beside)
    try {
      for (const name of [inHome, beside]) {
        trustEngine(server.home, `${name}#Packaged`)
        const saved = await server.post('settings.saveAlias', { kind: 'cache', name: name.replace(/\W/g, '_'), engine: `${name}#Packaged`, options: {} })
        expect(saved.status, JSON.stringify(saved.body)).toBe(200)
        await server.post('cache.set', { alias: name.replace(/\W/g, '_'), key: 'k', value: name })
        expect((await server.post('cache.get', { alias: name.replace(/\W/g, '_'), key: 'k' })).body).toEqual({ found: true, value: name })
      }
    } finally {
      rmSync(join(root, 'node_modules', beside), { recursive: true, force: true })
    }
  })

  it('keeps serving when an engine leaves a rejected promise behind', async () => {
    const fixture = join(root, 'test', 'fixtures', 'hostile-engines.mjs')
    trustEngine(server.home, fixture)
    await server.post('settings.saveAlias', { kind: 'cache', name: 'rejects', engine: `${fixture}#LeavesRejection`, options: {} })
    expect((await server.post('cache.set', { alias: 'rejects', key: 'k', value: 1 })).status).toBe(200)
    await new Promise((r) => setTimeout(r, 300))
    expect(server.alive()).toBe(true)
    expect((await server.post('system.ping')).body).toEqual({ ok: true })
    expect(server.stderr()).toContain('left behind by a custom engine')
  })
})

describe("Backplane's own data directory, seen from storage aliases", () => {
  let server: RunningBackplane
  beforeAll(async () => {
    const home = join(makeHome(), 'backplane-home')
    mkdirSync(home)
    server = await startBackplane({ home })
  })
  afterAll(async () => server.stop())

  it('is off limits to an alias rooted above it (a root of $HOME), except its files/ folder', async () => {
    const parent = dirname(server.home)
    const name = basename(server.home)
    await server.rpc('settings.saveAlias', { kind: 'storage', name: 'home', engine: 'filesystem', options: { location: parent } })
    const refused = { status: 403, body: { error: { code: 'E_RESERVED_PATH' } } }
    for (const file of ['settings.json', 'secrets.json']) expect(await server.file('GET', 'home', `${name}/${file}`), `GET ${file}`).toMatchObject(refused)
    expect(await server.file('PUT', 'home', `${name}/engines/x.mjs`, ''), 'PUT engines/x.mjs').toMatchObject(refused)
    for (const [method, input] of [
      ['storage.list', { alias: 'home', path: name }],
      ['storage.stat', { alias: 'home', name: `${name}/secrets.json` }],
      ['storage.delete', { alias: 'home', names: [`${name}/trusted-engines.json`] }],
      ['storage.delete', { alias: 'home', names: [name] }],
      ['storage.move', { alias: 'home', from: `${name}/settings.json`, to: 'stolen.json' }],
      // A copy is checked at the call, before anything is queued.
      ['storage.startTransfer', { kind: 'copy', from: { alias: 'home', names: [`${name}/secrets.json`] }, to: { alias: 'home', folder: '' } }],
    ] as const) {
      expect(await server.post(method, input), `${method} ${JSON.stringify(input)}`).toMatchObject(refused)
    }
    expect(existsSync(join(server.home, 'settings.json'))).toBe(true)
    expect(existsSync(join(parent, 'stolen.json')) || existsSync(join(parent, 'secrets.json'))).toBe(false)
    expect((await server.file('PUT', 'home', `${name}/files/ok.txt`, 'fine')).status).toBe(201)
    expect(readFileSync(join(server.home, 'files', 'ok.txt'), 'utf8')).toBe('fine')
  })

  it('is off limits to an alias rooted in it, however its location is spelled', async () => {
    for (const location of [server.home, '.', 'files/..', join(server.home, 'engines')]) {
      await server.rpc('settings.saveAlias', { kind: 'storage', name: 'inside', engine: 'filesystem', options: { location } })
      expect(await server.post('storage.list', { alias: 'inside', path: '' }), location).toMatchObject({ status: 403, body: { error: { code: 'E_RESERVED_PATH' } } })
      const [report] = (await server.post('health.check', { kind: 'storage', alias: 'inside' })).body as unknown as { state: string; error?: { code: string } }[]
      expect(report, location).toMatchObject({ state: 'down', error: { code: 'E_RESERVED_PATH' } })
    }
  })
})
