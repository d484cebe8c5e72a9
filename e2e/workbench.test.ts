import { expect, it } from 'vitest'
import { AuthPage } from './pages/auth-page'
import { BackplaneApp } from './pages/backplane-app'
import { CachePage } from './pages/cache-page'
import { FilesPage } from './pages/files-page'
import { describeE2E } from './support/e2e-suite'

// The data pages have files of their own: data-table.test.ts and data-console.test.ts.
describeE2E('Cache, auth and files pages', (ctx) => {
  it('stores a key, shows its value, and deletes it after asking', async () => {
    const cache = await CachePage.open(await BackplaneApp.open(await ctx.open(), ctx.server))
    await cache.store('greeting', '{"hello": "world"}', 600)
    await cache.key('greeting').click()
    await cache.selected.getByLabel('Value').filter({ hasText: '"hello": "world"' }).waitFor()
    await cache.deleteSelected()
    await cache.key('greeting').waitFor({ state: 'detached' })
  })

  it('creates a user and tells which alias accepted the login', async () => {
    const auth = await AuthPage.open(await BackplaneApp.open(await ctx.open(), ctx.server))
    await auth.createUser('grace', 'correct horse')
    await auth.user('grace').waitFor()
    const refused = await auth.tryLogin('grace', 'wrong')
    expect(await refused.textContent()).toContain('wrong password')
    const accepted = await auth.tryLogin('grace', 'correct horse')
    expect(await accepted.textContent()).toMatch(/accepted as grace by alias default/)
  })

  it('uploads a file, shows the name it was stored under, previews and deletes it', async () => {
    const files = await FilesPage.open(await BackplaneApp.open(await ctx.open(), ctx.server))
    const note = { name: 'note.txt', mimeType: 'text/plain', buffer: Buffer.from('first line\nsecond line\n') }
    await files.upload([note])
    await files.uploads.getByText('done').waitFor()
    // The same name again: the storage picks a free alternative, and the list says which.
    await files.upload([note])
    await files.uploads.getByText('The name was taken').waitFor()
    await files.entry('note.txt').first().click()
    await files.preview.getByText('second line').waitFor()
    await files.deletePreviewed()
    await files.preview.waitFor({ state: 'detached' })
  })
})
