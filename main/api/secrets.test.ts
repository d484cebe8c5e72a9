import { createHash } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LogRecord } from '../core/log'
import { openTestApp, type TestApp } from '../../test/support/test-app'
import type { App } from './app'
import { subscribeOutgoing } from './outgoing-events'

// Secrets anywhere in options: nested objects, lists, multi-line values and URL passwords never reach
// settings.json, the renderer, a log line, an error, a health report or a diagnosis.
const MODULE = resolve(__dirname, '../../test/fixtures/nested-secrets.mjs')
const ENGINE = `${MODULE}#NestedSecretsCache`
const SECRETS = { secretKey: 'sk-live-7Qh2', a: 'pw-alpha-19', b: 'pw-bravo-28', key: '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXk\n-----END OPENSSH PRIVATE KEY-----\n', url: 'p@ss/w0rd' }
const fp = (value: string | undefined) => (value === undefined ? 'none' : `${value.length}:${createHash('sha256').update(value).digest('hex').slice(0, 8)}`)

let test: TestApp
let app: App
let home: string
let logs: LogRecord[]

beforeAll(async () => {
  test = await openTestApp({ trust: [MODULE] })
  ;({ app, home, logs } = test)
})
afterAll(() => test.close())

const settingsText = () => readFileSync(join(home, 'settings.json'), 'utf8')
const view = async (name: string) => (await app.call('settings.get', {})).aliases.find((a) => a.name === name)!
const prints = async (name: string) => Object.fromEntries((await app.call('health.check', { kind: 'cache', alias: name }))[0]!.steps.map((s) => [s.name, s.detail]))
const leaks = (text: string) => Object.values(SECRETS).filter((secret) => text.includes(secret.trim().split('\n')[0]!) || text.includes(secret))

async function saveFull(name: string) {
  await app.call('settings.saveAlias', {
    kind: 'cache',
    name,
    engine: ENGINE,
    options: { credentials: { accessKey: 'AKIA1' }, servers: [{ host: 'a.test' }, { host: 'b.test' }], location: `redis://ada:${SECRETS.url}@cache.test:6379/0` },
    secrets: { 'credentials/secretKey': SECRETS.secretKey, 'servers/0/password': SECRETS.a, 'servers/1/password': SECRETS.b, privateKey: SECRETS.key },
  })
}

describe('secrets at any depth of the options', () => {
  it('keeps every one out of settings.json and the view, and gives the engine the right values', async () => {
    await saveFull('deep')
    expect(leaks(settingsText())).toEqual([])
    const stored = JSON.parse(settingsText()).caches.deep.options
    expect(stored).toEqual({
      credentials: { accessKey: 'AKIA1', secretKey: { $secret: 'caches.deep.credentials/secretKey' } },
      servers: [
        { host: 'a.test', password: { $secret: 'caches.deep.servers/0/password' } },
        { host: 'b.test', password: { $secret: 'caches.deep.servers/1/password' } },
      ],
      location: { $url: 'redis://ada@cache.test:6379/0', $secret: 'caches.deep.location' },
      privateKey: { $secret: 'caches.deep.privateKey' },
    })
    const seen = await view('deep')
    expect(leaks(JSON.stringify(seen))).toEqual([])
    expect(seen.options).toMatchObject({
      servers: [{ host: 'a.test', password: { $stored: 'servers/0/password' } }, { host: 'b.test', password: { $stored: 'servers/1/password' } }],
      location: { $stored: 'location', $url: 'redis://ada@cache.test:6379/0' },
    })
    expect(seen.secrets).toMatchObject({ 'credentials/secretKey': true, 'servers/0/password': true, 'servers/1/password': true, privateKey: true, location: true })
    expect(await prints('deep')).toEqual({ secretKey: fp(SECRETS.secretKey), servers: `a.test=${fp(SECRETS.a)},b.test=${fp(SECRETS.b)}`, privateKey: fp(SECRETS.key), locationPassword: fp(SECRETS.url), tokens: '' })
  })

  it('moves a server\'s password along when a server before it is removed', async () => {
    await saveFull('moved')
    const { options } = await view('moved')
    await app.call('settings.saveAlias', { kind: 'cache', name: 'moved', engine: ENGINE, options: { ...options, servers: [(options.servers as unknown[])[1]] } })
    expect((await prints('moved')).servers).toBe(`b.test=${fp(SECRETS.b)}`)
    expect(await app.secrets.get('caches.moved.servers/0/password')).toBe(SECRETS.b)
    expect(await app.secrets.get('caches.moved.servers/1/password')).toBeUndefined()
  })

  it("keeps a URL's password when only its path changes, asks for it again when its host changes, and forgets it when the URL comes back without one", async () => {
    await saveFull('url')
    const { options } = await view('url')
    await app.call('settings.saveAlias', { kind: 'cache', name: 'url', engine: ENGINE, options: { ...options, location: { $stored: 'location', $url: 'redis://ada@cache.test:6379/5' } } })
    expect((await prints('url')).locationPassword).toBe(fp(SECRETS.url))
    expect(JSON.parse(settingsText()).caches.url.options.location).toEqual({ $url: 'redis://ada@cache.test:6379/5', $secret: 'caches.url.location' })
    // Another host would receive the password, and every secret the engine sends to where it points: none
    // is kept, and nothing is saved, until they are typed again.
    const moved = { ...options, location: { $stored: 'location', $url: 'redis://ada@attacker.test:6379/5' } }
    const refused = await app.call('settings.saveAlias', { kind: 'cache', name: 'url', engine: ENGINE, options: moved }).catch((e: { code: string; details: { issues: { path: string[] }[] } }) => e)
    expect(refused).toMatchObject({ code: 'E_INVALID_INPUT' })
    const asked = (refused as { details: { issues: { path: string[] }[] } }).details.issues.map((i) => i.path[1]).sort()
    expect(asked, JSON.stringify(asked)).toEqual(['credentials/secretKey', 'location', 'privateKey', 'servers/0/password', 'servers/1/password'])
    expect(await app.call('settings.testAlias', { kind: 'cache', name: 'url', engine: ENGINE, options: moved })).toMatchObject({ state: 'down', error: { code: 'E_INVALID_INPUT' } })
    expect(JSON.parse(settingsText()).caches.url.options.location.$url).toBe('redis://ada@cache.test:6379/5')
    const again = { location: 'typed-again', 'credentials/secretKey': 'k2', privateKey: 'p2', 'servers/0/password': 'a2', 'servers/1/password': 'b2' }
    await app.call('settings.saveAlias', { kind: 'cache', name: 'url', engine: ENGINE, options: moved, secrets: again })
    expect(await prints('url')).toMatchObject({ locationPassword: fp('typed-again'), secretKey: fp('k2'), servers: `a.test=${fp('a2')},b.test=${fp('b2')}` })
    // The same host without a password: the URL's password is forgotten, the other secrets are kept.
    const { options: now } = await view('url')
    await app.call('settings.saveAlias', { kind: 'cache', name: 'url', engine: ENGINE, options: { ...now, location: 'redis://ada@attacker.test:6379/5' } })
    expect((await prints('url')).locationPassword).toBe('none')
    expect((await prints('url')).secretKey).toBe(fp('k2'))
    expect(await app.secrets.get('caches.url.location')).toBeUndefined()
  })

  it('never moves a stored secret into an option that is not secret, or to another engine, or to a server elsewhere', async () => {
    await saveFull('exfil')
    const { options } = await view('exfil')
    // The password of a.test into a text option the engine would show or write out: dropped, not stored there.
    await app.call('settings.saveAlias', { kind: 'cache', name: 'exfil', engine: ENGINE, options: { ...options, credentials: { accessKey: { $stored: 'servers/0/password' } } } })
    expect(JSON.parse(settingsText()).caches.exfil.options.credentials.accessKey).toBeUndefined()
    // The URL's stored password, marker and all, into the access key: not kept there either.
    await app.call('settings.saveAlias', { kind: 'cache', name: 'exfil', engine: ENGINE, options: { ...options, credentials: { accessKey: { $stored: 'location', $url: 'redis://ada@cache.test:6379/0' } } } })
    expect(JSON.stringify(JSON.parse(settingsText()).caches.exfil.options.credentials.accessKey)).not.toContain('$secret')
    expect((await prints('exfil')).locationPassword).toBe(fp(SECRETS.url))
    // a.test's password onto a server of someone else's: refused.
    const servers = options.servers as { host: string; password: unknown }[]
    await expect(app.call('settings.saveAlias', { kind: 'cache', name: 'exfil', engine: ENGINE, options: { ...options, servers: [{ ...servers[0], host: 'attacker.test' }, servers[1]] } })).rejects.toMatchObject({
      code: 'E_INVALID_INPUT',
      details: { issues: [{ path: ['secrets', 'servers/0/password'] }] },
    })
    // Another engine gets none of the stored secrets (the file mail engine would write its options to disk).
    await app.call('settings.saveAlias', { kind: 'cache', name: 'exfil', engine: 'locmem', options: { location: { $stored: 'location', $url: 'redis://ada@cache.test:6379/0' } } })
    expect(JSON.stringify(JSON.parse(settingsText()).caches.exfil)).not.toContain('$secret')
  })

  it('never takes a $secret reference from the renderer, at any depth', async () => {
    await saveFull('victim')
    await app.call('settings.saveAlias', { kind: 'cache', name: 'thief', engine: ENGINE, options: { servers: [{ host: 'x', password: { $secret: 'caches.victim.servers/0/password' } }], credentials: { accessKey: '', secretKey: { $secret: 'caches.victim.credentials/secretKey' } } } })
    expect(await prints('thief')).toMatchObject({ secretKey: 'none', servers: 'x=none' })
  })

  it('keeps a list of bare secrets: new items by their index, kept ones by their markers as the list changes', async () => {
    await app.call('settings.saveAlias', { kind: 'cache', name: 'tokens', engine: ENGINE, options: { tokens: [null, null] }, secrets: { 'tokens/0': SECRETS.a, 'tokens/1': SECRETS.b } })
    expect(leaks(settingsText())).toEqual([])
    expect((await prints('tokens')).tokens).toBe(`${fp(SECRETS.a)},${fp(SECRETS.b)}`)
    const { options } = await view('tokens')
    expect(options.tokens).toEqual([{ $stored: 'tokens/0' }, { $stored: 'tokens/1' }])
    // The first token removed, a new one added after the one kept.
    await app.call('settings.saveAlias', { kind: 'cache', name: 'tokens', engine: ENGINE, options: { ...options, tokens: [{ $stored: 'tokens/1' }, null] }, secrets: { 'tokens/1': SECRETS.secretKey } })
    expect((await prints('tokens')).tokens).toBe(`${fp(SECRETS.b)},${fp(SECRETS.secretKey)}`)
    await expect(app.call('settings.saveAlias', { kind: 'cache', name: 'tokens', engine: ENGINE, options: (await view('tokens')).options, secrets: { 'tokens/0': null } })).rejects.toMatchObject({ code: 'E_INVALID_INPUT', hint: expect.stringContaining('Remove the item') })
  })

  it('clears a nested secret on request, and refuses a secret path the engine does not declare', async () => {
    await saveFull('clear')
    const { options } = await view('clear')
    await app.call('settings.saveAlias', { kind: 'cache', name: 'clear', engine: ENGINE, options, secrets: { 'credentials/secretKey': null } })
    expect((await prints('clear')).secretKey).toBe('none')
    await expect(app.call('settings.saveAlias', { kind: 'cache', name: 'clear', engine: ENGINE, options, secrets: { 'credentials/accessKey': 'x' } })).rejects.toMatchObject({ code: 'E_INVALID_INPUT', status: 400 })
  })

  it('hides a URL password typed into settings.json by hand, and moves it into the store on the next save', async () => {
    const doc = JSON.parse(settingsText())
    doc.caches.typed = { engine: ENGINE, options: { location: `redis://ada:${SECRETS.url}@hand.test/0` } }
    writeFileSync(join(home, 'settings.json'), JSON.stringify(doc))
    await app.call('settings.reload', {})
    const seen = await view('typed')
    expect(seen.options.location).toEqual({ $stored: 'location', $url: 'redis://ada@hand.test/0' })
    expect(leaks(JSON.stringify(await app.call('settings.get', {})))).toEqual([])
    await app.call('settings.saveAlias', { kind: 'cache', name: 'typed', engine: ENGINE, options: seen.options })
    expect(JSON.parse(settingsText()).caches.typed.options.location).toEqual({ $url: 'redis://ada@hand.test/0', $secret: 'caches.typed.location' })
    expect((await prints('typed')).locationPassword).toBe(fp(SECRETS.url))
  })
})

describe('secrets typed into settings.json by hand', () => {
  it('are not shown for an alias whose engine does not load: its secrets are told by their names', async () => {
    const doc = JSON.parse(settingsText())
    doc.mail = { ...doc.mail, typo: { engine: 'smtpp', options: { host: 'mail.test', password: 'TypedInClear-2', nested: { apiKey: 'TypedInClear-5' } } } }
    doc.caches = { ...doc.caches, untrusted: { engine: './nowhere.mjs#X', options: { token: 'TypedInClear-7', keyPrefix: 'shown' } } }
    writeFileSync(join(home, 'settings.json'), JSON.stringify(doc))
    await app.call('settings.reload', {})
    const text = JSON.stringify(await app.call('settings.get', {}))
    for (const typed of ['TypedInClear-2', 'TypedInClear-5', 'TypedInClear-7']) expect(text).not.toContain(typed)
    expect(text).toContain('"keyPrefix":"shown"')
  })
})

describe('masking where text leaves the process', () => {
  it('masks secrets in a health report: step details, the error and its details, in the answer and in the event', async () => {
    await saveFull('careless')
    const { options } = await view('careless')
    await app.call('settings.saveAlias', { kind: 'cache', name: 'careless', engine: ENGINE, options: { ...options, failCheck: true } })
    const events: unknown[] = []
    const stop = subscribeOutgoing(app, (name, payload) => name === 'health.changed' && events.push(payload))
    const answer = await app.call('health.check', { kind: 'cache', alias: 'careless' })
    stop()
    expect(answer[0]).toMatchObject({ state: 'down', error: { code: 'E_CONNECTION_REFUSED' } })
    expect(JSON.stringify(answer)).toContain('redis://ada:«redacted»@cache.test')
    expect(leaks(JSON.stringify(answer))).toEqual([])
    expect(events.length).toBeGreaterThan(0)
    expect(leaks(JSON.stringify(events))).toEqual([])
  })

  it('masks secrets in an error payload: message, hint and details', async () => {
    await saveFull('erring')
    // An SMTP host written as a URL with a password: the diagnosis and the error echo the host.
    await app.call('settings.saveAlias', { kind: 'mail', name: 'smtp-url', engine: 'smtp', options: { host: `smtp://ada:${SECRETS.url}@127.0.0.1`, port: 1, timeout: 2 } })
    expect(settingsText()).not.toContain(SECRETS.url)
    const trace = await app.call('mail.sendTest', { alias: 'smtp-url', messages: [{ to: ['a@example.test'], subject: 's', text: 't' }] })
    expect(trace.ok).toBe(false)
    expect(leaks(JSON.stringify(trace))).toEqual([])
    // An engine's own error that carries what it was configured with, in its message, hint and details.
    const error = await app.router.dispatch('cache.get', { alias: 'erring', key: 'leak' }, { app, via: 'cli' }).catch((e: { toPayload(): unknown }) => e.toPayload())
    expect(error).toMatchObject({ code: 'E_CACHE_DOWN', message: expect.stringContaining('cannot reach redis://ada:«redacted»@cache.test'), details: { nested: [{ key: '«redacted»' }] } })
    expect(leaks(JSON.stringify(error))).toEqual([])
  })

  it('masks secrets in log lines, wherever in the message they sit', async () => {
    await saveFull('logged')
    const backend = await app.pool.get('cache', 'logged')
    await backend.check()
    const ctxLog = app.log.child('cache:logged')
    ctxLog.warn(`connecting with ${SECRETS.b} to redis://ada:${SECRETS.url}@cache.test and key ${SECRETS.secretKey}`)
    const text = logs.map((l) => l.message).join('\n')
    expect(text).toContain('connecting with «redacted»')
    expect(leaks(text)).toEqual([])
  })
})
