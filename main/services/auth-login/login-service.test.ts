import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { AuthBackend, AuthResult, Credentials } from '../../backends/auth/base'
import type { ChainLink } from '../../backends/auth/chain'
import { createLogger, type LogRecord } from '../../core/log'
import { LoginService } from './login-service'

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
  const backend = {
    async authenticate({ username, password }: Credentials): Promise<AuthResult> {
      asked.push(username)
      // A little work, as a hasher does: parallel attempts overlap unless the service orders them.
      await new Promise((r) => setTimeout(r, 5))
      return password === 'right' ? { ok: true, user: { id: '1', username, isActive: true, isStaff: false, isSuperuser: false } } : { ok: false, reason: 'bad-password', message: 'Wrong password.' }
    },
    getUser: async () => null,
    getAllPermissions: async () => ['blog.add_post'],
  } as unknown as AuthBackend
  const links = async (): Promise<ChainLink[]> => [{ alias: 'default', engine: 'model', backend }]
  return { service, links, asked, logs, advance: (ms: number) => (now += ms) }
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
})
