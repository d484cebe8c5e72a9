import { expect, it } from 'vitest'
import { AuthPage } from './pages/auth-page'
import { BackplaneApp } from './pages/backplane-app'
import { describeE2E, type E2EContext } from './support/e2e-suite'
import type { RunningBackplane } from './support/server'

// The Auth section's users and groups on the default alias: the model backend on the embedded SQLite
// database with createTables (the default settings), so Django's tables and permissions are there.

interface UserDetail {
  user: { id: string; username: string }
  groups: string[]
  permissions: string[]
}

async function userNamed(server: RunningBackplane, username: string): Promise<UserDetail> {
  const { users } = await server.rpc<{ users: { id: string; username: string }[] }>('auth.users', { alias: 'default', search: username })
  const found = users.find((user) => user.username === username)
  if (!found) throw new Error(`no user ${username}`)
  return server.rpc<UserDetail>('auth.user', { alias: 'default', id: found.id })
}

async function openAuth(ctx: E2EContext): Promise<AuthPage> {
  return AuthPage.open(await BackplaneApp.open(await ctx.open(), ctx.server))
}

describeE2E('Auth: users and groups', (ctx) => {
  it("creates a user while the validators' verdict on the password turns from red to green", async () => {
    const auth = await openAuth(ctx)
    await auth.page.getByText('No users in “default” yet').waitFor()
    await auth.page.getByRole('button', { name: 'New user' }).click()
    const dialog = auth.newUserDialog
    await dialog.getByRole('textbox', { name: 'Username' }).fill('ada')
    await dialog.getByRole('textbox', { name: 'Email' }).fill('ada@example.test')
    const password = dialog.getByLabel('Password', { exact: true })
    const length = auth.passwordCheck('MinimumLengthValidator', dialog)
    const numeric = auth.passwordCheck('NumericPasswordValidator', dialog)
    const common = auth.passwordCheck('CommonPasswordValidator', dialog)
    const similar = auth.passwordCheck('UserAttributeSimilarityValidator', dialog)

    // Short, all digits, and on Django's list of common passwords: three red lines, with Django's words.
    await password.fill('1234')
    await dialog.getByText('The validators refuse this password').waitFor()
    await expect.poll(() => length.getAttribute('data-ok')).toBe('false')
    expect(await length.textContent()).toMatch(/too short/i)
    expect(await numeric.getAttribute('data-ok')).toBe('false')
    expect(await common.getAttribute('data-ok')).toBe('false')
    // Like the username: the similarity validator objects.
    await password.fill('ada@example.test')
    await expect.poll(() => similar.getAttribute('data-ok')).toBe('false')
    expect(await length.getAttribute('data-ok')).toBe('true')
    // A good one: every line green.
    await password.fill('correct horse battery staple')
    await dialog.getByText('The validators accept this password').waitFor()
    for (const line of [length, numeric, common, similar]) expect(await line.getAttribute('data-ok')).toBe('true')

    await dialog.getByRole('button', { name: 'Create user' }).click()
    await dialog.waitFor({ state: 'hidden' })
    await auth.user('ada').waitFor()
    expect(await auth.page.getByLabel('User count').textContent()).toBe('1 user')
    expect((await userNamed(ctx.server, 'ada')).user.username).toBe('ada')
  })

  it('refuses a taken username beside the field, and a weak password with what the validators said', async () => {
    await ctx.server.rpc('auth.createUser', { alias: 'default', username: 'linus' })
    const auth = await openAuth(ctx)
    await auth.user('linus').waitFor()
    await auth.page.getByRole('button', { name: 'New user' }).click()
    const dialog = auth.newUserDialog
    await dialog.getByRole('textbox', { name: 'Username' }).fill('linus')
    await dialog.getByRole('button', { name: 'Create user' }).click()
    // Under the field, not as an alert for the whole form; the dialog stays open to fix it.
    await dialog.locator('.mantine-TextInput-error').filter({ hasText: /linus/ }).waitFor()
    expect(await dialog.getByRole('alert').count()).toBe(0)
    await dialog.getByRole('textbox', { name: 'Username' }).fill('weak')
    await dialog.getByLabel('Password', { exact: true }).fill('password')
    await dialog.getByRole('button', { name: 'Create user' }).click()
    await dialog.locator('.mantine-PasswordInput-error').filter({ hasText: /too common/i }).waitFor()
    await dialog.getByRole('button', { name: 'Cancel' }).click()
    expect((await ctx.server.rpc<{ total: number }>('auth.users', { alias: 'default', search: 'weak' })).total).toBe(0)
  })

  it('finds users by search, filter and keyboard: / to search, arrows to move, Enter to open', async () => {
    for (const [username, isStaff] of [
      ['kbd-bob', true],
      ['kbd-carol', false],
      ['kbd-carla', false],
    ] as const) {
      await ctx.server.rpc('auth.createUser', { alias: 'default', username, isStaff })
    }
    const auth = await openAuth(ctx)
    await auth.user('kbd-carol').waitFor()
    await auth.page.getByRole('tab', { name: 'Users' }).focus()
    await auth.page.keyboard.press('/')
    await auth.page.keyboard.type('kbd-car')
    await auth.user('kbd-bob').waitFor({ state: 'detached' })
    await auth.page.getByLabel('User count').filter({ hasText: '2 users' }).waitFor()
    // From the search box, ArrowDown goes into the list (kbd-carla, then kbd-carol); Enter opens the one reached.
    await auth.page.keyboard.press('ArrowDown')
    await auth.page.keyboard.press('ArrowDown')
    await auth.page.keyboard.press('Enter')
    await auth.page.getByRole('dialog', { name: 'User “kbd-carol”' }).waitFor()
    await auth.page.keyboard.press('Escape')
    await auth.editor.waitFor({ state: 'hidden' })

    await auth.page.getByRole('textbox', { name: 'Search users' }).fill('kbd')
    await auth.page.getByLabel('User count').filter({ hasText: '3 users' }).waitFor()
    await auth.page.getByRole('combobox', { name: 'Filter: staff' }).click()
    await auth.page.getByRole('option', { name: 'Staff', exact: true }).click()
    await auth.page.getByLabel('User count').filter({ hasText: '1 user' }).waitFor()
    await auth.user('kbd-bob').waitFor()
  })

  it("makes a group with a permission, then puts a user in it and gives them one of their own", async () => {
    await ctx.server.rpc('auth.createUser', { alias: 'default', username: 'grouped' })
    const auth = await openAuth(ctx)
    await auth.tab('Groups')
    await auth.page.getByText('No groups yet').waitFor()
    await auth.page.getByRole('button', { name: 'New group' }).click()
    const panel = auth.page.getByRole('region', { name: 'New group' })
    await panel.getByRole('textbox', { name: 'Name' }).fill('editors')
    await auth.pick(panel.getByRole('combobox', { name: 'Permissions' }), ['Can change user'])
    await panel.getByRole('button', { name: 'Create group' }).click()
    const groups = auth.page.getByRole('table', { name: 'Groups' })
    const editors = groups.getByRole('row').filter({ hasText: 'editors' })
    await editors.waitFor()
    expect(await editors.getByRole('cell').allTextContents()).toEqual(['editors', '0', '1'])

    // Renamed, with a second permission found by its codename.
    const selected = auth.page.getByRole('region', { name: 'Selected group' })
    await selected.getByRole('textbox', { name: 'Name' }).fill('Editors')
    await auth.pick(selected.getByRole('combobox', { name: 'Permissions' }), ['auth.view_group'])
    await selected.getByRole('button', { name: 'Save group' }).click()
    await groups.getByRole('row').filter({ hasText: /^Editors/ }).filter({ hasText: '2' }).waitFor()

    await auth.tab('Users')
    const editor = await auth.openUser('grouped')
    await auth.pick(editor.getByRole('combobox', { name: 'Groups' }), ['Editors'])
    await auth.pick(editor.getByRole('combobox', { name: 'User permissions' }), ['Can delete group'])
    await editor.getByRole('button', { name: 'Save', exact: true }).click()
    await auth.app.notification('User “grouped”.').waitFor()
    const saved = await userNamed(ctx.server, 'grouped')
    expect(saved.groups).toEqual(['Editors'])
    expect(saved.permissions).toEqual(['auth.delete_group'])
    await auth.page.keyboard.press('Escape')
    await auth.editor.waitFor({ state: 'hidden' })

    await auth.tab('Groups')
    await groups.getByRole('row').filter({ hasText: /^Editors/ }).getByRole('cell').nth(1).filter({ hasText: '1' }).waitFor()
  })

  it('sets a password that then logs in, and deletes the user after a confirm that names them', async () => {
    await ctx.server.rpc('auth.createUser', { alias: 'default', username: 'dora' })
    const auth = await openAuth(ctx)
    const editor = await auth.openUser('dora')
    await editor.getByText('unusable', { exact: true }).waitFor()
    await editor.getByRole('button', { name: 'Set password…' }).click()
    const dialog = auth.page.getByRole('dialog', { name: 'Password of “dora”' })
    await dialog.getByLabel('Password', { exact: true }).fill('a long and quiet river')
    await dialog.getByLabel('Repeat it').fill('a long and quiet river')
    await dialog.getByText('The validators accept this password').waitFor()
    await dialog.getByRole('button', { name: 'Set password' }).click()
    await dialog.waitFor({ state: 'hidden' })
    const login = await ctx.server.rpc<{ user: { username: string } | null }>('auth.authenticate', { username: 'dora', password: 'a long and quiet river' })
    expect(login.user?.username).toBe('dora')

    await editor.getByRole('button', { name: 'Delete user' }).click()
    const confirm = auth.page.getByRole('dialog', { name: 'Delete the user “dora”?' })
    await confirm.getByRole('button', { name: 'Delete user' }).click()
    await confirm.waitFor({ state: 'hidden' })
    await auth.editor.waitFor({ state: 'hidden' })
    await auth.user('dora').waitFor({ state: 'detached' })
    expect((await ctx.server.rpc<{ total: number }>('auth.users', { alias: 'default', search: 'dora' })).total).toBe(0)
  })
})
