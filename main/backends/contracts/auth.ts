import assert from 'node:assert/strict'
import type { AuthBackend } from '../auth/base'
import { assertHealthy } from './health'
import type { CaseTools, ContractSuite } from './harness'

export interface AuthTestBed {
  backend: AuthBackend
  /** Puts a user where the engine looks for users (a table, a file, a directory); the backend's createUser() when absent. */
  addUser?(username: string, password: string, options?: { active?: boolean }): Promise<void>
  cleanup?(): Promise<void>
}

export interface AuthFixture {
  make(): Promise<AuthTestBed>
  afterEach?(): Promise<void>
}

type Seeder = (username: string, password: string, options?: { active?: boolean }) => Promise<void>

/** A case on a backend that holds "ada" and "zoë"; skipped when the suite has no way to add users. */
async function withUsers(f: AuthFixture, t: CaseTools, run: (backend: AuthBackend, addUser: Seeder) => Promise<void>): Promise<void> {
  const bed = await f.make()
  try {
    const createUser = bed.backend.createUser?.bind(bed.backend)
    const addUser: Seeder | undefined =
      bed.addUser ?? (createUser ? async (username, password, options) => void (await createUser({ username, password, isActive: options?.active ?? true })) : undefined)
    if (!addUser) t.skip('the engine has no createUser() and the suite was given no other way to add users')
    await addUser('ada', 'correct horse battery staple')
    await addUser('zoë', 'pässwörd')
    await run(bed.backend, addUser)
  } finally {
    await bed.backend.close()
    await bed.cleanup?.()
  }
}

async function alone(f: AuthFixture, run: (backend: AuthBackend) => Promise<void>): Promise<void> {
  const bed = await f.make()
  try {
    await run(bed.backend)
  } finally {
    await bed.backend.close()
    await bed.cleanup?.()
  }
}

/** Django's authenticate() and get_user(), plus a reason for every refusal. */
export const authSuite: ContractSuite<AuthFixture> = {
  kind: 'auth',
  cases: [
    {
      name: 'signs in a user with the right password and finds them again by id',
      run: (f, t) =>
        withUsers(f, t, async (backend) => {
          const result = await backend.authenticate({ username: 'ada', password: 'correct horse battery staple' })
          assert.ok(result.ok, `refused: ${result.ok ? '' : `${result.reason}: ${result.message}`}`)
          assert.equal(result.user.username, 'ada')
          assert.equal((await backend.getUser(result.user.id))?.username, 'ada')
        }),
    },
    {
      name: 'handles non-ASCII usernames and passwords',
      run: (f, t) =>
        withUsers(f, t, async (backend) => {
          const result = await backend.authenticate({ username: 'zoë', password: 'pässwörd' })
          assert.ok(result.ok, `refused: ${result.ok ? '' : `${result.reason}: ${result.message}`}`)
        }),
    },
    {
      name: 'says "bad-password" for a wrong password',
      run: (f, t) =>
        withUsers(f, t, async (backend) => {
          assert.deepEqual(pick(await backend.authenticate({ username: 'ada', password: 'wrong' })), { ok: false, reason: 'bad-password' })
        }),
    },
    {
      name: 'says "unknown-user" for a stranger, and finds no user by an unknown id',
      run: (f) =>
        alone(f, async (backend) => {
          assert.deepEqual(pick(await backend.authenticate({ username: 'nobody', password: 'x' })), { ok: false, reason: 'unknown-user' })
          assert.equal(await backend.getUser('no-such-id-0'), null)
        }),
    },
    {
      name: 'refuses an inactive user, saying so',
      run: (f, t) =>
        withUsers(f, t, async (backend, addUser) => {
          await addUser('sleepy', 'pw', { active: false })
          assert.deepEqual(pick(await backend.authenticate({ username: 'sleepy', password: 'pw' })), { ok: false, reason: 'inactive' })
        }),
    },
    {
      name: 'reports itself healthy',
      run: (f) => alone(f, async (backend) => void assertHealthy(await backend.check())),
    },
  ],
}

function pick(result: { ok: boolean; reason?: string }): { ok: boolean; reason?: string } {
  return result.ok ? { ok: true } : { ok: false, reason: result.reason! }
}
