import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { AuthBackend, AuthResult, Credentials } from '../../backends/auth/base'
import type { ChainLink } from '../../backends/auth/chain'
import { createLogger, type LogRecord } from '../../core/log'
import { MASK } from '../../core/redact'
import { LoginService, MAX_LOGINS_PER_SOURCE } from './login-service'

const outcome = (p: Promise<unknown>) =>
  p.then(
    () => 'answered',
    (e: { code: string }) => e.code,
  )

const opened: { service: LoginService; dir: string }[] = []
afterEach(async () => {
  for (const { service, dir } of opened.splice(0)) {
    await service.close()
    rmSync(dir, { recursive: true, force: true })
  }
})

/** A service on a scratch data directory, a clock the test moves, and one backend that knows ada's password. */
function serviceWithClock() {
  const dir = mkdtempSync(join(tmpdir(), 'backplane-login-'))
  let now = Date.parse('2026-12-01T12:00:00Z')
  const logs: LogRecord[] = []
  const service = new LoginService(dir, createLogger('test', { level: 'debug', sink: (r) => logs.push(r) }), { now: () => now })
  opened.push({ service, dir })
  const asked: string[] = []
  let running = 0
  let mostAtOnce = 0
  const backend = {
    async authenticate({ username, password }: Credentials): Promise<AuthResult> {
      asked.push(username)
      mostAtOnce = Math.max(mostAtOnce, ++running)
      // A little work, as a hasher does: parallel attempts overlap unless the service orders them.
      await new Promise((r) => setTimeout(r, 5))
      running--
      // A careless engine that quotes the password in its error.
      if (username === 'leaky') throw new Error(`could not check ${password} (as JSON: ${JSON.stringify({ password })})`)
      // A directory that resolves what was typed to its own uid, and says so when refusing.
      if (username.startsWith('uid=')) return { ok: false, reason: 'bad-password', message: 'Wrong password.', username: username.slice(4) } as AuthResult
      return password === 'right' ? { ok: true, user: { id: '1', username, isActive: true, isStaff: false, isSuperuser: false } } : { ok: false, reason: 'bad-password', message: 'Wrong password.' }
    },
    getUser: async () => null,
    getAllPermissions: async () => ['blog.add_post'],
  } as unknown as AuthBackend
  const links = async (): Promise<ChainLink[]> => [{ alias: 'default', engine: 'model', backend }]
  return { service, links, asked, logs, mostAtOnce: () => mostAtOnce, advance: (ms: number) => (now += ms) }
}

describe('the login service', () => {
  it('takes parallel guesses for one username one at a time, so a burst cannot get past the lockout', async () => {
    const { service, links, asked } = serviceWithClock()
    const outcomes = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        service.login({ username: 'ada', password: `guess-${i}`, source: `s${i}` }, links).then(
          () => 'refused',
          (e: { code: string }) => e.code,
        ),
      ),
    )
    expect(outcomes.filter((o) => o === 'refused')).toHaveLength(6)
    expect(outcomes.filter((o) => o === 'E_THROTTLED')).toHaveLength(6)
    expect(asked).toHaveLength(6)
  })

  it('lets the username in again once its lock has passed, and a success clears its failures', async () => {
    const { service, links, advance } = serviceWithClock()
    for (let i = 0; i < 6; i++) await service.login({ username: 'ada', password: 'wrong', source: `s${i}` }, links)
    await expect(service.login({ username: 'ada', password: 'right', source: 'x' }, links)).rejects.toMatchObject({ code: 'E_THROTTLED', details: { retryAfterMs: 1000 } })
    advance(1000)
    expect(await service.login({ username: 'ada', password: 'right', source: 'x' }, links)).toMatchObject({ user: { username: 'ada' }, alias: 'default', permissions: ['blog.add_post'] })
    expect(service.throttle.locks().find((l) => l.key === 'user:ada')).toBeUndefined()
  })

  it('answers the login even when the audit log cannot be written, and says so in the log', async () => {
    const { service, links, logs } = serviceWithClock()
    await service.audit.close()
    expect((await service.login({ username: 'ada', password: 'right', source: 'x' }, links)).user?.username).toBe('ada')
    expect(logs.filter((r) => r.level === 'error').map((r) => r.message)).toEqual([expect.stringContaining('The audit log could not record a login attempt')])
  })

  it('counts every spelling of a username as one: "ADA", " ada", "ａｄａ" queue behind "ada" and share its lock', async () => {
    const { service, links, asked } = serviceWithClock()
    const spellings = ['ada', 'ADA', ' ada', 'ada\t', 'ａｄａ', 'Ada', 'aDa', 'ADA ']
    const outcomes = await Promise.all(spellings.map((username, i) => outcome(service.login({ username, password: 'wrong', source: `s${i}` }, links))))
    expect(outcomes).toEqual([...Array(6).fill('answered'), 'E_THROTTLED', 'E_THROTTLED'])
    expect(asked).toHaveLength(6)
  })

  it('lets at most the free failures of one source reach the backends in a parallel spray over many usernames, a few at a time', async () => {
    const { service, links, asked, mostAtOnce } = serviceWithClock()
    const outcomes = await Promise.all(Array.from({ length: 40 }, (_, i) => outcome(service.login({ username: `spray-${i}`, password: 'Winter2026!', source: '192.0.2.40' }, links))))
    expect(outcomes.filter((o) => o === 'answered')).toHaveLength(6)
    expect(outcomes.filter((o) => o === 'E_THROTTLED')).toHaveLength(34)
    expect(asked).toHaveLength(6)
    expect(mostAtOnce()).toBeLessThanOrEqual(MAX_LOGINS_PER_SOURCE)
    expect(mostAtOnce()).toBeGreaterThan(1)
  })

  it('keeps logins from one source to a few at a time even when they succeed', async () => {
    const { service, links, mostAtOnce } = serviceWithClock()
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => service.login({ username: `u${i}`, password: 'right', source: 'busy' }, links)))
    expect(answers.every((a) => a.user !== null)).toBe(true)
    expect(mostAtOnce()).toBe(MAX_LOGINS_PER_SOURCE)
  })

  it('counts the source the caller came from, keeping the label only in the audit log', async () => {
    const { service, links } = serviceWithClock()
    for (let i = 0; i < 6; i++) await service.login({ username: `u${i}`, password: 'wrong', source: '192.0.2.9', label: `made-up-${i}` }, links)
    await expect(service.login({ username: 'fresh', password: 'right', source: '192.0.2.9', label: 'desktop' }, links)).rejects.toMatchObject({ code: 'E_THROTTLED', details: { key: 'source:192.0.2.9' } })
    expect(service.throttle.locks().map((l) => l.key).filter((k) => k.startsWith('source:'))).toEqual(['source:192.0.2.9'])
    const { entries } = await service.audit.list({ source: '192.0.2.9' }, { limit: 10 })
    expect(entries.map((e) => e.source)).toEqual(['192.0.2.9 (desktop)', ...Array.from({ length: 6 }, (_, i) => `192.0.2.9 (made-up-${5 - i})`)])
    expect((await service.audit.list({ source: '192.0.2.9 (made-up-2)' }, { limit: 10 })).total).toBe(1)
  })

  it('counts a failure against the username a backend resolved too', async () => {
    const { service, links } = serviceWithClock()
    await service.login({ username: 'uid=Mallory', password: 'wrong', source: 'x' }, links)
    expect(service.throttle.locks().map((l) => [l.key, l.failures])).toEqual(expect.arrayContaining([['user:uid=mallory', 1], ['user:mallory', 1]]))
  })

  it("masks the attempt's password wherever a backend's error quotes it: the answer, the audit log", async () => {
    const { service, links } = serviceWithClock()
    const answer = await service.login({ username: 'leaky', password: 'pa"ss-w0rd', source: 'x' }, links)
    const { entries } = await service.audit.list({ username: 'leaky' }, { limit: 1 })
    const texts = [JSON.stringify(answer), JSON.stringify(entries)]
    expect(texts.map((t) => [t.includes('pa"ss-w0rd'), t.includes('pa\\"ss-w0rd'), t.includes(MASK)])).toEqual([
      [false, false, true],
      [false, false, true],
    ])
    expect(entries[0]?.reason).toContain(`could not check ${MASK}`)
  })

  it('writes one audit row per locked key per lock, counting the refusals on it', async () => {
    const { service, links, advance } = serviceWithClock()
    for (let i = 0; i < 6; i++) await service.login({ username: 'ada', password: 'wrong', source: `s${i}` }, links)
    await Promise.all(Array.from({ length: 50 }, (_, i) => outcome(service.login({ username: 'ada', password: 'right', source: `t${i}` }, links))))
    const throttled = async () => (await service.audit.list({ outcome: 'throttled' }, { limit: 100 })).entries
    expect(await throttled()).toEqual([expect.objectContaining({ username: 'ada', source: 't0', reason: expect.stringContaining('50 attempts were refused during this lock') })])
    // The next lock is another row.
    advance(1000)
    await service.login({ username: 'ada', password: 'wrong', source: 'u' }, links)
    await outcome(service.login({ username: 'ada', password: 'right', source: 'v' }, links))
    expect((await throttled()).map((e) => [e.source, e.reason.includes('refused during this lock')])).toEqual([
      ['v', false],
      ['t0', true],
    ])
  })
})
