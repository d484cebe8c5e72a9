import { readFileSync } from 'node:fs'
import type { Locator } from 'playwright-core'
import { expect, it } from 'vitest'
import { BackplaneApp } from './pages/backplane-app'
import { DataTablePage } from './pages/data-table-page'
import { describeE2E } from './support/e2e-suite'

/** 1,200 rows: six pages of 200. Row 1 holds a BLOB, row 3 the text 'NULL', every tenth row a SQL NULL note. */
const SEED = `
CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, price NUMERIC, note TEXT, payload BLOB);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1200)
INSERT INTO items (id, name, price, note)
SELECT i, 'item ' || printf('%04d', i), i * 2, CASE WHEN i % 10 = 0 THEN NULL WHEN i = 3 THEN 'NULL' ELSE 'note ' || i END FROM n;
UPDATE items SET payload = X'DEADBEEF00' WHERE id = 1;
`

describeE2E('Data: the connection tree and a table', (ctx) => {
  it('opens a seeded table from the tree, pages by key as it scrolls, sorts, filters, and commits an edit it showed as SQL', async () => {
    const seeded = await ctx.server.rpc<{ failure?: unknown }>('data.script', { alias: 'default', sql: SEED })
    expect(seeded.failure).toBeUndefined()
    const data = await DataTablePage.open(await BackplaneApp.open(await ctx.open(), ctx.server))

    const grid = await data.openTable('items')
    await data.rowsLoaded.filter({ hasText: '200 rows loaded · more' }).waitFor()

    // SQL NULL is a badge; the text 'NULL' is text.
    expect(await data.cell('items', 10, 'note').locator('[data-null]').count()).toBe(1)
    expect(await data.cell('items', 3, 'note').textContent()).toBe('NULL')
    expect(await data.cell('items', 3, 'note').locator('[data-null]').count()).toBe(0)

    // The BLOB as hex with its size, and whole in the inspector.
    const blob = data.cell('items', 1, 'payload')
    expect(await blob.textContent()).toContain('\\xdeadbeef00')
    expect(await blob.textContent()).toContain('5 B')
    await blob.hover()
    await blob.getByRole('button', { name: 'Inspect payload' }).click()
    const inspector = data.page.getByRole('dialog', { name: /payload/ })
    expect(await inspector.getByLabel('Value kind').textContent()).toBe('Binary, 5 B')
    expect(await inspector.getByLabel('Cell value').textContent()).toContain('00000000: dead beef 00')
    await data.page.keyboard.press('Escape')
    await inspector.waitFor({ state: 'detached' })

    // The second page comes by keyset: after the last row's id.
    await data.scrollToEnd('items')
    await data.rowsLoaded.filter({ hasText: '400 rows loaded · more' }).waitFor()
    await data.page.getByRole('button', { name: 'SQL', exact: true }).filter({ visible: true }).click()
    expect(await data.page.getByLabel('Page SQL').filter({ visible: true }).textContent()).toMatch(/WHERE "id" > \? ORDER BY "id"/)
    expect(await data.page.getByLabel('Page parameters').filter({ visible: true }).textContent()).toBe('params: [200]')

    // Sort: a click ascends, a second descends.
    await data.header('items', 'name').click()
    await data.header('items', 'name').click()
    expect(await data.header('items', 'name').getAttribute('aria-sort')).toBe('descending')
    await expectText(data.cell('items', 1, 'name'), 'item 1200')
    await data.header('items', 'name').click()
    expect(await data.header('items', 'name').getAttribute('aria-sort')).toBe('none')
    await expectText(data.cell('items', 1, 'name'), 'item 0001')

    // A filter: fewer rows, all of them loaded.
    await data.addFilter('id', '≤', '50')
    await data.rowsLoaded.filter({ hasText: '50 rows match' }).waitFor()
    await data.page.getByRole('button', { name: 'Remove filter id ≤ 50' }).click()
    // Back to the unfiltered rows (the pages already read come from the cache).
    await data.rowsLoaded.filter({ hasText: '400 rows loaded · more' }).waitFor()

    // An edit, reviewed as the UPDATE the server will run, then committed.
    await data.editCell('items', 5, 'name', "edited 'five'")
    expect(await data.cell('items', 5, 'name').getAttribute('data-edited')).toBe('true')
    await data.page.getByLabel('Pending changes').filter({ hasText: '1 cell edited' }).waitFor()
    await data.page.getByRole('button', { name: /Review & commit/ }).click()
    const statement = data.reviewDialog.getByLabel('Statement 1')
    await statement.waitFor()
    expect(await statement.textContent()).toBe(`UPDATE "items" SET "name" = 'edited ''five''' WHERE "id" = 5`)
    await data.reviewDialog.getByRole('button', { name: 'Commit' }).click()
    await data.reviewDialog.waitFor({ state: 'detached' })
    await data.app.notification('Committed').waitFor()

    // A fresh page reads it from the database.
    await data.page.reload()
    await data.app.sidebar.waitFor()
    const again = new DataTablePage(data.app)
    await again.openTable('items')
    await expectText(again.cell('items', 5, 'name'), "edited 'five'")
    expect(await again.cell('items', 5, 'name').getAttribute('data-edited')).toBeNull()
    expect(grid).toBeDefined()
  })

  it('downloads every row of the table as CSV, streamed by the server', async () => {
    const data = await DataTablePage.open(await BackplaneApp.open(await ctx.open({ acceptDownloads: true }), ctx.server))
    await data.openTable('items')
    await data.page.getByRole('button', { name: 'Export' }).filter({ visible: true }).click()
    const [download] = await Promise.all([data.page.waitForEvent('download'), data.page.getByRole('menuitem', { name: 'CSV' }).click()])
    const csv = readFileSync(await download.path(), 'utf8').trim().split(/\r?\n/)
    expect(csv).toHaveLength(1201)
    expect(csv[0]).toBe('id,name,price,note,payload')
  })

  it('shows a Django database as Django does: models beside tables, applied migrations, columns with their keys, walked by keyboard', async () => {
    await ctx.server.rpc('data.script', { alias: 'default', sql: DJANGO })
    const data = await DataTablePage.open(await BackplaneApp.open(await ctx.open(), ctx.server))
    await data.treeItem('table', 'auth_user').filter({ hasText: 'auth.user' }).waitFor()
    await data.treeItem('djangoRoot', 'Django migrations').click()
    await data.treeItem('djangoApp', 'shop').click()
    const migration = data.treeItem('migration', '0002_order_total')
    expect(await migration.textContent()).toMatch(/2024/)

    const filter = data.page.getByRole('textbox', { name: 'Filter tables' })
    await filter.fill('shop_ord')
    await filter.press('ArrowDown')
    await data.page.keyboard.press('ArrowRight')
    const userId = data.treeItem('column', 'user_id')
    await userId.waitFor()
    expect(await userId.textContent()).toContain('FK')
    expect(await data.treeItem('column', 'id').textContent()).toContain('PK')
    expect(await data.treeItem('table', 'shop_order').getAttribute('aria-expanded')).toBe('true')
    await data.page.keyboard.press('ArrowDown')
    expect(await data.treeItem('column', 'id').getAttribute('aria-selected')).toBe('true')
    await data.page.keyboard.press('ArrowLeft')
    await data.page.keyboard.press('Enter')
    await data.grid('shop_order').waitFor()
    await data.page.getByRole('tab', { name: 'shop_order' }).waitFor()
  })

  it('adds, removes and undoes rows, commits them in one transaction, then deletes one', async () => {
    const data = await DataTablePage.open(await BackplaneApp.open(await ctx.open(), ctx.server))
    const grid = await data.openTable('auth_user')
    await grid.getByText('The table is empty').waitFor()
    const input = grid.getByRole('textbox', { name: 'Cell value' })
    for (const name of ['ada', 'bob']) {
      await data.page.getByRole('button', { name: 'Add row' }).click()
      await input.fill(name)
      await input.press('Tab')
      await input.fill(`${name}@example.test`)
      await input.press('Enter')
    }
    expect(await grid.locator('[data-state=new]').count()).toBe(2)
    // The newest row is on top: remove it, then take that back.
    await data.row('auth_user', 1).locator('[role=rowheader]').click()
    await data.page.keyboard.press('Delete')
    expect(await grid.locator('[data-state=new]').count()).toBe(1)
    await data.page.keyboard.press(`${MOD}+z`)
    expect(await grid.locator('[data-state=new]').count()).toBe(2)

    await data.page.getByRole('button', { name: /Review & commit/ }).click()
    await data.reviewDialog.getByLabel('Statement 2').waitFor()
    expect(await data.reviewDialog.getByLabel('Statement 1').textContent()).toBe(`INSERT INTO "auth_user" ("username", "email") VALUES ('ada', 'ada@example.test')`)
    await data.reviewDialog.getByRole('button', { name: 'Commit' }).click()
    await data.reviewDialog.waitFor({ state: 'detached' })
    await expectText(data.cell('auth_user', 2, 'username'), 'bob')

    await data.row('auth_user', 2).locator('[role=rowheader]').click()
    await data.page.keyboard.press('Delete')
    expect(await data.row('auth_user', 2).getAttribute('data-state')).toBe('deleted')
    await data.page.getByRole('button', { name: /Review & commit/ }).click()
    expect(await data.reviewDialog.getByLabel('Statement 1').textContent()).toBe('DELETE FROM "auth_user" WHERE "id" = 2')
    await data.reviewDialog.getByRole('button', { name: 'Commit' }).click()
    await data.reviewDialog.waitFor({ state: 'detached' })
    await data.rowsLoaded.filter({ hasText: /^1 row$/ }).waitFor()
  })

  it('says a row changed meanwhile, commits nothing, and keeps the edit pending', async () => {
    const data = await DataTablePage.open(await BackplaneApp.open(await ctx.open(), ctx.server))
    await data.openTable('auth_user')
    await data.editCell('auth_user', 1, 'email', 'ada@elsewhere.test')
    await ctx.server.rpc('data.script', { alias: 'default', sql: "UPDATE auth_user SET id = 7 WHERE username = 'ada'" })
    await data.page.getByRole('button', { name: /Review & commit/ }).click()
    await data.reviewDialog.getByRole('button', { name: 'Commit' }).click()
    const alert = data.reviewDialog.getByRole('alert')
    await alert.waitFor()
    expect(await alert.textContent()).toContain('E_CONFLICT')
    expect(await alert.textContent()).toContain('matched 0 rows')
    await data.reviewDialog.getByRole('button', { name: 'Back to editing' }).click()
    await data.page.getByLabel('Pending changes').filter({ hasText: '1 cell edited' }).waitFor()
  })

  it('keeps views and tables without a key from surprising edits', async () => {
    const data = await DataTablePage.open(await BackplaneApp.open(await ctx.open(), ctx.server))
    await data.openTable('big_orders')
    expect(await data.page.getByLabel('Read-only').filter({ visible: true }).textContent()).toContain('A view')
    expect(await data.page.getByRole('button', { name: 'Add row' }).filter({ visible: true }).count()).toBe(0)
    await data.openTable('log_line')
    await data.page.getByLabel('No primary key').filter({ visible: true }).waitFor()
    // Without a key, the row is found by every value it has.
    await data.editCell('log_line', 1, 'message', 'restarted')
    await data.page.getByRole('button', { name: /Review & commit/ }).filter({ visible: true }).click()
    expect(await data.reviewDialog.getByLabel('Statement 1').textContent()).toBe(`UPDATE "log_line" SET "message" = 'restarted' WHERE "at" = '2024-01-01' AND "message" = 'started'`)
    await data.reviewDialog.getByRole('button', { name: 'Commit' }).click()
    await data.reviewDialog.waitFor({ state: 'detached' })
    await expectText(data.cell('log_line', 1, 'message'), 'restarted')
  })

  it('offers no edits on a read-only alias and says why', async () => {
    await ctx.server.rpc('settings.saveAlias', { kind: 'data', name: 'reports', engine: 'sqlite', options: { name: 'backplane.sqlite3', readOnly: true } })
    const data = await DataTablePage.open(await BackplaneApp.open(await ctx.open(), ctx.server))
    await data.page.getByRole('combobox', { name: 'Data alias' }).click()
    await data.page.getByRole('option', { name: /^reports/ }).click()
    await data.openTable('auth_user')
    expect(await data.page.getByLabel('Read-only').filter({ visible: true }).textContent()).toContain('Alias “reports” is set to read-only')
    expect(await data.page.getByRole('button', { name: 'Add row' }).filter({ visible: true }).count()).toBe(0)
    await data.cell('auth_user', 1, 'email').dblclick()
    await data.app.notification('Not editable').waitFor()
  })

  it('imports a CSV file in batches, names the row the database refused, and copies rows as INSERT statements', async () => {
    const page = await ctx.open({ permissions: ['clipboard-read', 'clipboard-write'] })
    const data = await DataTablePage.open(await BackplaneApp.open(page, ctx.server))
    await data.openTable('auth_user')
    await data.page.getByRole('button', { name: 'Import', exact: true }).filter({ visible: true }).click()
    const dialog = data.page.getByRole('dialog', { name: 'Import CSV into auth_user' })
    await dialog.locator('input[type=file]').setInputFiles({ name: 'users.csv', mimeType: 'text/csv', buffer: Buffer.from('Username,E-mail,shoe size\ncarl,carl@example.test,44\ndora,,38\ncarl,again@example.test,41\n') })
    await dialog.getByRole('table', { name: 'CSV preview' }).getByText('dora').waitFor()
    expect(await dialog.getByLabel('Table column for Username').inputValue()).toMatch(/^username/)
    expect(await dialog.getByLabel('Table column for shoe size').inputValue()).toBe('skip')
    await dialog.getByRole('button', { name: 'Import' }).click()
    const failure = dialog.getByRole('alert')
    await failure.waitFor()
    expect(await failure.textContent()).toContain('Stopped after 2 rows')
    expect(await failure.textContent()).toContain('CSV row 3 (line 4)')
    await dialog.getByRole('button', { name: 'Close' }).click()

    const grid = data.grid('auth_user')
    await grid.getByText('dora').waitFor()
    await data.cell('auth_user', 3, 'username').click()
    await data.page.getByRole('button', { name: 'Copy' }).filter({ visible: true }).click()
    await data.page.getByRole('menuitem', { name: 'as INSERT statements' }).click()
    await data.app.notification('Copied').waitFor()
    const copied = await page.evaluate<string>('navigator.clipboard.readText()')
    expect(copied).toBe(`INSERT INTO "auth_user" ("id", "username", "email") VALUES (9, 'dora', NULL);`)
  })
})

const MOD = process.platform === 'darwin' ? 'Meta' : 'Control'

const DJANGO = `
CREATE TABLE django_migrations (id INTEGER PRIMARY KEY, app TEXT NOT NULL, name TEXT NOT NULL, applied TEXT NOT NULL);
INSERT INTO django_migrations (app, name, applied) VALUES ('auth', '0001_initial', '2024-05-01 10:00:00'), ('shop', '0001_initial', '2024-05-02 11:00:00'), ('shop', '0002_order_total', '2024-06-03 12:30:00');
CREATE TABLE django_content_type (id INTEGER PRIMARY KEY, app_label TEXT NOT NULL, model TEXT NOT NULL);
INSERT INTO django_content_type (app_label, model) VALUES ('auth', 'user'), ('shop', 'order');
CREATE TABLE auth_user (id INTEGER PRIMARY KEY, username TEXT NOT NULL UNIQUE, email TEXT);
CREATE TABLE shop_order (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES auth_user (id), total NUMERIC);
CREATE INDEX shop_order_user ON shop_order (user_id);
CREATE VIEW big_orders AS SELECT * FROM shop_order WHERE total > 100;
CREATE TABLE log_line (at TEXT, message TEXT);
INSERT INTO log_line VALUES ('2024-01-01', 'started');
`

async function expectText(locator: Locator, text: string): Promise<void> {
  await locator.filter({ hasText: text }).waitFor()
  expect(await locator.textContent()).toBe(text)
}
