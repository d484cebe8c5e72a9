import { expect, it } from 'vitest'
import { AuthPage } from './pages/auth-page'
import { BackplaneApp } from './pages/backplane-app'
import { CachePage } from './pages/cache-page'
import { DataPage } from './pages/data-page'
import { FilesPage } from './pages/files-page'
import { describeE2E } from './support/e2e-suite'

describeE2E('Data, cache, auth and files pages', (ctx) => {
  it('runs SQL with Ctrl+Enter and opens a table by clicking it', async () => {
    const data = await DataPage.open(await BackplaneApp.open(await ctx.open(), ctx.server))
    await data.run("CREATE TABLE fruit (id INTEGER PRIMARY KEY, name TEXT)")
    await data.run("INSERT INTO fruit (name) VALUES ('apple'), ('pear'), ('plum')")
    await data.table('fruit').click()
    expect(await data.sql.inputValue()).toBe('SELECT * FROM "fruit" LIMIT 200')
    await data.result.getByRole('row').filter({ hasText: 'pear' }).waitFor()
    expect(await data.summary.textContent()).toContain('3 rows')
  })

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
    expect(await refused.textContent()).toContain('bad-password')
    const accepted = await auth.tryLogin('grace', 'correct horse')
    expect(await accepted.textContent()).toMatch(/accepted as grace by alias default/)
  })

  it('uploads a file, shows the name it was stored under, previews and deletes it', async () => {
    const files = await FilesPage.open(await BackplaneApp.open(await ctx.open(), ctx.server))
    const note = { name: 'note.txt', mimeType: 'text/plain', buffer: Buffer.from('first line\nsecond line\n') }
    await files.upload([note])
    await files.uploads.getByText('saved').waitFor()
    // The same name again: the storage picks a free alternative, and the list says which.
    await files.upload([note])
    await files.uploads.getByText('The name was taken').waitFor()
    await files.entry('note.txt').first().click()
    await files.preview.getByText('second line').waitFor()
    await files.deletePreviewed()
    await files.preview.waitFor({ state: 'detached' })
  })
})
