import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { failure } from '../../test/support/failures'
import type { AuthBackend } from '../backends/auth/base'
import { openTestApp, type TestApp } from '../../test/support/test-app'

// The user-admin methods through the router, as the Auth section calls them, on the default alias: the
// model backend on the embedded SQLite, its tables created on first use.
let test: TestApp
const HTPASSWD = join(__dirname, '../../examples/htpasswd-auth.mjs')
const GOOD = 'a long and unusual passphrase'

beforeAll(async () => {
  test = await openTestApp({ trust: [HTPASSWD] })
  await test.app.call('settings.saveAlias', { kind: 'auth', name: 'files', engine: `${HTPASSWD}#Htpasswd`, options: {} })
})
afterAll(() => test.close())

const call = <T = unknown>(method: string, input: Record<string, unknown> = {}) => test.app.call(method as never, input as never) as Promise<T>

describe('users', () => {
  it('creates, lists, shows, edits and deletes a user, with groups and permissions', async () => {
    const group = await call<{ id: string }>('auth.saveGroup', { name: 'editors', permissions: ['auth.change_user'] })
    const user = await call<{ id: string; username: string }>('auth.createUser', { username: 'grace', password: GOOD, email: 'grace@example.test', groups: ['editors'], permissions: ['auth.view_user'] })
    expect(user).toMatchObject({ username: 'grace', email: 'grace@example.test', isActive: true, isStaff: false, groups: ['editors'] })

    expect(await call('auth.users', { search: 'GRACE' })).toEqual({ users: [expect.objectContaining({ username: 'grace', groups: ['editors'] })], total: 1 })
    expect(await call('auth.users', { group: 'editors', isStaff: true })).toEqual({ users: [], total: 0 })
    expect(await call('auth.user', { id: user.id })).toMatchObject({ groups: ['editors'], permissions: ['auth.view_user'], password: { usable: true, algorithm: 'pbkdf2_sha256' } })

    expect(await call('auth.updateUser', { id: user.id, isStaff: true, groups: [], permissions: ['auth.add_user'] })).toMatchObject({ username: 'grace', email: 'grace@example.test', isStaff: true, groups: [] })
    expect(await call('auth.groups')).toEqual({ groups: [{ id: group.id, name: 'editors', permissions: ['auth.change_user'], userCount: 0 }] })

    expect(await call('auth.deleteUser', { id: user.id })).toEqual({ ok: true })
    expect(await failure(call('auth.user', { id: user.id }))).toMatchObject({ code: 'E_NOT_FOUND', status: 404 })
    expect(await call('auth.deleteGroup', { id: group.id })).toEqual({ ok: true })
  })

  it("refuses a password Django's validators refuse, saying each problem and never the password", async () => {
    const error = await failure(call('auth.createUser', { username: 'hopper', password: 'hopper12', firstName: 'Grace' }))
    expect(error).toMatchObject({ code: 'E_PASSWORD_INVALID', status: 422 })
    const codes = (error.details as { problems: { code: string }[] }).problems.map((p) => p.code)
    expect(codes).toContain('password_too_similar')
    expect(JSON.stringify(error.toPayload())).not.toContain('hopper12')
    expect(await call('auth.users', { search: 'hopper' })).toEqual({ users: [], total: 0 })
    // As create_user() in code: no validators when asked, and an unusable password when none is given.
    expect(await call('auth.createUser', { username: 'hopper', password: 'hopper12', skipValidation: true })).toMatchObject({ username: 'hopper' })
    const nopw = await call<{ id: string }>('auth.createUser', { username: 'nopw' })
    expect(await call('auth.user', { id: nopw.id })).toMatchObject({ password: { usable: false, algorithm: null } })
  })

  it('refuses an unknown group or permission and a taken username, naming them', async () => {
    expect(await failure(call('auth.createUser', { username: 'x1', groups: ['ghosts'] }))).toMatchObject({ code: 'E_NOT_FOUND', message: 'No group "ghosts".' })
    expect(await failure(call('auth.createUser', { username: 'x1', permissions: ['auth.fly'] }))).toMatchObject({ code: 'E_NOT_FOUND', message: 'No permission "auth.fly".' })
    await call('auth.createUser', { username: 'taken' })
    expect(await failure(call('auth.createUser', { username: 'taken' }))).toMatchObject({ code: 'E_CONFLICT', status: 409 })
    expect(await failure(call('auth.createUser', { username: 'bad name' }))).toMatchObject({ code: 'E_INVALID_INPUT', status: 400 })
    expect(await failure(call('auth.saveGroup', { name: 'g', permissions: ['not a perm'] }))).toMatchObject({ code: 'E_INVALID_INPUT' })
  })
})

describe('auth.setPassword', () => {
  it('sets a password the user then signs in with, checked against their own attributes', async () => {
    await call('auth.createUser', { username: 'lovelace', lastName: 'Countess' })
    const similar = await failure(call('auth.setPassword', { username: 'lovelace', password: 'countess1' }))
    expect(similar).toMatchObject({ code: 'E_PASSWORD_INVALID', details: { problems: [expect.objectContaining({ code: 'password_too_similar' })] } })
    expect(await call('auth.setPassword', { username: 'lovelace', password: GOOD })).toEqual({ ok: true })
    const backend = (await test.app.pool.get('auth', 'default')) as AuthBackend
    expect(await backend.authenticate({ username: 'lovelace', password: GOOD })).toMatchObject({ ok: true, user: { username: 'lovelace' } })
  })

  it('makes a password unusable on request, and wants exactly one of the two', async () => {
    await call('auth.createUser', { username: 'babbage', password: GOOD })
    expect(await call('auth.setPassword', { username: 'babbage', unusable: true })).toEqual({ ok: true })
    const { users } = await call<{ users: { id: string }[] }>('auth.users', { search: 'babbage' })
    expect(await call('auth.user', { id: users[0]!.id })).toMatchObject({ password: { usable: false } })
    expect(await failure(call('auth.setPassword', { username: 'babbage' }))).toMatchObject({ code: 'E_INVALID_INPUT' })
    expect(await failure(call('auth.setPassword', { username: 'babbage', password: GOOD, unusable: true }))).toMatchObject({ code: 'E_INVALID_INPUT' })
    expect(await failure(call('auth.setPassword', { username: 'nobody', password: GOOD }))).toMatchObject({ code: 'E_NOT_FOUND' })
  })
})

describe('groups and permissions', () => {
  it("lists the default permissions, and renames a group and replaces its permissions", async () => {
    const { permissions } = await call<{ permissions: { perm: string }[] }>('auth.permissions')
    expect(permissions.map((p) => p.perm)).toEqual(expect.arrayContaining(['auth.add_user', 'auth.view_group', 'contenttypes.change_contenttype']))
    const group = await call<{ id: string }>('auth.saveGroup', { name: 'ops', permissions: ['auth.view_user'] })
    expect(await call('auth.saveGroup', { id: group.id, name: 'sre', permissions: ['auth.add_group'] })).toEqual({ id: group.id, name: 'sre', permissions: ['auth.add_group'], userCount: 0 })
    expect(await failure(call('auth.deleteGroup', { id: '99999' }))).toMatchObject({ code: 'E_NOT_FOUND' })
  })

  it('answers auth.withPerm with at most `limit` users, the first by username', async () => {
    await call('auth.saveGroup', { name: 'limited', permissions: ['auth.delete_group'] })
    for (const username of ['lim-c', 'lim-a', 'lim-b']) await call('auth.createUser', { username, groups: ['limited'] })
    const backend = (await test.app.pool.get('auth', 'default')) as AuthBackend
    const asked = vi.spyOn(backend, 'withPerm')
    try {
      const { users } = await call<{ users: { username: string }[] }>('auth.withPerm', { perm: 'auth.delete_group', includeSuperusers: false, limit: 2 })
      expect(users.map((u) => u.username)).toEqual(['lim-a', 'lim-b'])
      // The backend is asked for no more than that: its SQL has the LIMIT.
      expect(asked).toHaveBeenCalledWith('auth.delete_group', expect.objectContaining({ limit: 2 }))
    } finally {
      asked.mockRestore()
    }
  })

  it('says which admin capability an engine lacks', async () => {
    expect(await failure(call('auth.users', { alias: 'files' }))).toMatchObject({ code: 'E_UNSUPPORTED', message: 'The engine of alias "files" cannot list its users.' })
    expect(await failure(call('auth.groups', { alias: 'files' }))).toMatchObject({ code: 'E_UNSUPPORTED', message: expect.stringContaining('cannot list groups') })
  })
})
