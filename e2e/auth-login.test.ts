import { pbkdf2 } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { promisify } from 'node:util'
import type { Page } from 'playwright-core'
import { expect, it } from 'vitest'
import { AuthPage } from './pages/auth-page'
import { BackplaneApp } from './pages/backplane-app'
import { describeE2E } from './support/e2e-suite'
import type { RunningBackplane } from './support/server'

// The login tester, the audit log, the hash inspector and the throttle, over the default chain (one
// model alias on the embedded SQLite, its tables created on first use).

/** A hash as Django 3.2's PBKDF2PasswordHasher makes it (260,000 iterations): older than the preferred 1,200,000. */
async function oldDjangoHash(password: string, salt = 'oldsaltoldsalt'): Promise<string> {
  const hash = await promisify(pbkdf2)(password, salt, 260_000, 32, 'sha256')
  return `pbkdf2_sha256$260000$${salt}$${hash.toString('base64')}`
}

async function openAuth(page: Page, server: RunningBackplane): Promise<AuthPage> {
  return AuthPage.open(await BackplaneApp.open(page, server))
}

describeE2E('Auth: login tester, audit log, hash inspector, protection', (ctx) => {
  it('logs in through the tester: each backend in order with its outcome and time, then the user and their permission set', async () => {
    await ctx.server.rpc('auth.saveGroup', { alias: 'default', name: 'readers', permissions: ['auth.view_user', 'auth.view_group'] })
    await ctx.server.rpc('auth.createUser', { alias: 'default', username: 'grace', password: 'correct horse battery', groups: ['readers'], permissions: ['auth.change_group'] })
    const auth = await openAuth(await ctx.open(), ctx.server)
    const result = await auth.tryLogin('grace', 'correct horse battery')
    expect(await result.textContent()).toMatch(/accepted as grace by alias default/)
    const row = result.getByRole('row', { name: 'Backend default' })
    expect(await row.getByRole('cell').allTextContents()).toEqual(['1', 'default', 'model', 'success', expect.any(String), expect.stringMatching(/ms$/)])
    // The password is not kept in the form once the answer is in.
    expect(await auth.loginForm.getByLabel('Password', { exact: true }).inputValue()).toBe('')

    const permissions = result.getByRole('region', { name: 'Permission set' })
    await permissions.getByText('3 permissions').waitFor()
    await permissions.getByRole('textbox', { name: 'Search the permissions' }).fill('view')
    await expect.poll(() => permissions.getByRole('table', { name: 'Permissions' }).getByRole('row').filter({ has: auth.page.getByRole('cell') }).allTextContents()).toEqual(['authview_group', 'authview_user'])
  })

  it('tells a wrong password apart, and the audit log shows both attempts, newest first, exported as CSV without the password', async () => {
    await ctx.server.rpc('auth.createUser', { alias: 'default', username: 'hopper', password: 'compilers all the way' })
    const auth = await openAuth(await ctx.open(), ctx.server)
    expect(await (await auth.tryLogin('hopper', 'compilers all the way')).textContent()).toMatch(/accepted as hopper/)
    const refused = await auth.tryLogin('hopper', 'not the password')
    expect(await refused.textContent()).toMatch(/refused/)
    expect(await refused.getByRole('row', { name: 'Backend default' }).textContent()).toContain('wrong password')

    await auth.tab('Audit log')
    await auth.page.getByRole('textbox', { name: 'Filter: username' }).fill('hopper')
    const log = auth.page.getByRole('table', { name: 'Audit log' })
    const rows = log.getByRole('row').filter({ has: auth.page.getByRole('cell') })
    await expect.poll(() => rows.count()).toBe(2)
    // Newest first: the refusal, then the login before it.
    expect(await rows.nth(0).getByRole('cell').nth(4).textContent()).toBe('wrong password')
    expect(await rows.nth(1).getByRole('cell').nth(4).textContent()).toBe('success')
    expect(await rows.nth(0).getByRole('cell').nth(2).textContent()).toBe('127.0.0.1 (login tester)')

    await auth.page.getByRole('button', { name: 'Export' }).click()
    const [download] = await Promise.all([auth.page.waitForEvent('download'), auth.page.getByRole('menuitem', { name: 'CSV' }).click()])
    expect(download.suggestedFilename()).toMatch(/\.csv$/)
    const csv = readFileSync(await download.path(), 'utf8')
    const lines = csv.trim().split(/\r?\n/)
    expect(lines).toHaveLength(3)
    expect(lines[1]).toMatch(/hopper/)
    expect(lines[1]).toMatch(/bad-password|wrong password/)
    expect(lines[2]).toMatch(/success/)
    expect(csv).not.toContain('not the password')
    expect(csv).not.toContain('compilers all the way')
  })

  it('reads a pbkdf2 hash made with old iterations: its fields, and that a login would upgrade it; and says what is wrong with a malformed one', async () => {
    const auth = await openAuth(await ctx.open(), ctx.server)
    await auth.tab('Hash inspector')
    const hash = await oldDjangoHash('whatever')
    await auth.page.getByRole('textbox', { name: 'Password hash' }).fill(hash)
    const inspection = auth.page.getByRole('region', { name: 'Hash inspection' })
    await inspection.getByLabel('Would be upgraded').filter({ hasText: 'yes' }).waitFor()
    const fields = inspection.getByRole('table', { name: 'Hash fields' })
    expect(await fields.getByRole('row', { name: /^Algorithm/ }).textContent()).toContain('pbkdf2_sha256')
    expect(await fields.textContent()).toContain('260000')
    expect(await fields.getByRole('row', { name: /^Salt/ }).textContent()).toContain('oldsaltoldsalt')
    // The hash itself is masked, as Django's safe_summary() does.
    expect(await fields.textContent()).not.toContain(hash.split('$')[3])
    expect(await inspection.getByLabel('Upgrade reasons').textContent()).toMatch(/260000|260,000/)

    await auth.page.getByRole('textbox', { name: 'Password hash' }).fill('pbkdf2_sha256$lots$salt')
    await auth.page.getByText(/Malformed hash|Could not read the hash/).waitFor()
  })

  it('notes when a login upgraded the stored hash', async () => {
    await ctx.server.rpc('auth.createUser', { alias: 'default', username: 'legacy', password: 'placeholder password 1' })
    await ctx.server.rpc('data.query', { alias: 'default', sql: 'UPDATE auth_user SET password = ? WHERE username = ?', params: [await oldDjangoHash('from django 3.2'), 'legacy'] })
    const auth = await openAuth(await ctx.open(), ctx.server)
    const first = await auth.tryLogin('legacy', 'from django 3.2')
    await first.getByText('Password hash upgraded').waitFor()
    const again = await auth.tryLogin('legacy', 'from django 3.2')
    expect(await again.textContent()).toMatch(/accepted as legacy/)
    expect(await again.getByText('Password hash upgraded').count()).toBe(0)
  })

  it('locks out after repeated failures, shows the time left, and lifts the lock from Protection after asking', async () => {
    const auth = await openAuth(await ctx.open(), ctx.server)
    await auth.tab('Login tester')
    const lockout = auth.page.getByRole('alert').filter({ hasText: 'Locked out' })
    for (let attempt = 0; attempt < 10 && (await lockout.count()) === 0; attempt++) await auth.submitLogin('mallory', `guess ${attempt}`)
    await lockout.getByText(/Try again in \d+ s/).waitFor()

    await auth.tab('Protection')
    const locks = auth.page.getByRole('table', { name: 'Lockouts' })
    await locks.getByRole('row').filter({ hasText: 'user:mallory' }).waitFor()
    await auth.page.getByRole('button', { name: 'Unlock user:mallory' }).click()
    await auth.page.getByRole('dialog', { name: 'Unlock “user:mallory”?' }).getByRole('button', { name: 'Unlock' }).click()
    await locks.getByRole('row').filter({ hasText: 'user:mallory' }).waitFor({ state: 'detached' })

    await auth.page.getByRole('button', { name: 'Unlock all' }).click()
    await auth.page.getByRole('dialog', { name: 'Unlock every username and source?' }).getByRole('button', { name: 'Unlock all' }).click()
    await auth.page.getByText('Nobody is locked out').waitFor()
    const { locks: left } = await ctx.server.rpc<{ locks: unknown[] }>('auth.throttle', {})
    expect(left).toEqual([])
  })
})
