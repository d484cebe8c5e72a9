import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { AuthBackend } from '../../main/backends/auth/base'

export interface AuthFixture {
  backend: AuthBackend
  /** Puts a user where the engine looks for users (a table, a file, a directory). */
  addUser(username: string, password: string, options?: { active?: boolean }): Promise<void>
  cleanup(): Promise<void>
}

/** What every auth engine must do: Django's authenticate()/get_user(), plus a reason for every refusal. */
export function authContract(name: string, make: () => Promise<AuthFixture>): void {
  describe(`${name} implements the auth contract`, () => {
    let fixture: AuthFixture
    beforeEach(async () => {
      fixture = await make()
      await fixture.addUser('ada', 'correct horse battery staple')
      await fixture.addUser('zoë', 'pässwörd')
    })
    afterEach(async () => {
      await fixture.backend.close()
      await fixture.cleanup()
    })

    it('signs in a user with the right password and finds them again by id', async () => {
      const result = await fixture.backend.authenticate({ username: 'ada', password: 'correct horse battery staple' })
      expect(result.ok).toBe(true)
      if (!result.ok) return
      expect(result.user.username).toBe('ada')
      expect((await fixture.backend.getUser(result.user.id))?.username).toBe('ada')
    })

    it('handles non-ASCII usernames and passwords', async () => {
      const result = await fixture.backend.authenticate({ username: 'zoë', password: 'pässwörd' })
      expect(result.ok).toBe(true)
    })

    it('says "bad-password" for a wrong password and "unknown-user" for a stranger', async () => {
      expect(await fixture.backend.authenticate({ username: 'ada', password: 'wrong' })).toMatchObject({ ok: false, reason: 'bad-password' })
      expect(await fixture.backend.authenticate({ username: 'nobody', password: 'x' })).toMatchObject({ ok: false, reason: 'unknown-user' })
    })

    it('refuses an inactive user, saying so', async () => {
      await fixture.addUser('sleepy', 'pw', { active: false })
      expect(await fixture.backend.authenticate({ username: 'sleepy', password: 'pw' })).toMatchObject({ ok: false, reason: 'inactive' })
    })

    it('reports itself healthy', async () => {
      const report = await fixture.backend.check()
      expect(report.state, JSON.stringify(report.error)).toBe('ok')
    })
  })
}
