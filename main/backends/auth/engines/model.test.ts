import { afterAll, describe, expect, it } from 'vitest'
import { authContract } from '../../../../test/contracts/auth.contract'
import { createBackend, testContext, withBackend } from '../../../../test/support/engine-context'
import type { Database } from '../../data/base'
import { sqliteEngine } from '../../data/engines/sqlite'
import type { AuthBackend } from '../base'
import { modelEngine } from './model'

async function modelOnFreshDatabase() {
  const ctx = testContext('auth')
  const db = await createBackend<Database>(sqliteEngine, { name: 'auth.sqlite3' }, testContext('data'))
  const backend = await createBackend<AuthBackend>(modelEngine, { createTables: true }, withBackend(ctx, db))
  return { ctx, db, backend }
}

authContract('model', async () => {
  const { ctx, db, backend } = await modelOnFreshDatabase()
  return {
    backend,
    addUser: async (username, password, options) => {
      await backend.createUser!({ username, password, isActive: options?.active ?? true })
    },
    cleanup: async () => {
      await db.close()
      ctx.cleanup()
    },
  }
})

describe('model backend', () => {
  const opened: Database[] = []
  afterAll(async () => Promise.all(opened.map((d) => d.close())))

  it('explains a missing auth_user table and how to create it', async () => {
    const db = await createBackend<Database>(sqliteEngine, { name: ':memory:' }, testContext('data'))
    opened.push(db)
    const backend = await createBackend<AuthBackend>(modelEngine, {}, withBackend(testContext('auth'), db))
    const report = await backend.check()
    expect(report.state).toBe('down')
    expect(report.error).toMatchObject({ code: 'E_AUTH_TABLES_MISSING', hint: expect.stringContaining('migrate') })
  })

  it('lists users with search and paging, and refuses a duplicate username', async () => {
    const { db, backend } = await modelOnFreshDatabase()
    opened.push(db)
    for (const name of ['carol', 'alice', 'bob', 'alicia']) await backend.createUser!({ username: name, email: `${name}@example.test` })
    const page = await backend.listUsers!({ search: 'ali', limit: 1, offset: 1 })
    expect(page.total).toBe(2)
    expect(page.users.map((u) => u.username)).toEqual(['alicia'])
    await expect(backend.createUser!({ username: 'bob' })).rejects.toMatchObject({ code: 'E_CONFLICT' })
  })

  it('refuses a user whose password is unusable (created without one)', async () => {
    const { db, backend } = await modelOnFreshDatabase()
    opened.push(db)
    await backend.createUser!({ username: 'nopw' })
    expect(await backend.authenticate({ username: 'nopw', password: '' })).toMatchObject({ ok: false, reason: 'unusable-password' })
  })

  it('changes a password: the old one stops working, the new one works', async () => {
    const { db, backend } = await modelOnFreshDatabase()
    opened.push(db)
    await backend.createUser!({ username: 'ada', password: 'old' })
    await backend.setPassword!('ada', 'new')
    expect((await backend.authenticate({ username: 'ada', password: 'old' })).ok).toBe(false)
    expect((await backend.authenticate({ username: 'ada', password: 'new' })).ok).toBe(true)
  })
})
