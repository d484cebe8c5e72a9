import { readFileSync } from 'node:fs'
import type { Locator, Page } from 'playwright-core'
import { expect, it } from 'vitest'
import { BackplaneApp } from './pages/backplane-app'
import { describeE2E } from './support/e2e-suite'

const MOD = process.platform === 'darwin' ? 'Meta' : 'Control'

/** The Data section's SQL console, as a user drives it: the editor, its toolbar, the result tabs, the side panel. */
class ConsolePage {
  constructor(readonly app: BackplaneApp) {}

  static async open(app: BackplaneApp): Promise<ConsolePage> {
    await app.goTo('Data')
    const opened = new ConsolePage(app)
    // The workspace puts the console in a tab of its own; open it when it is not the one shown.
    const tab = app.page.getByRole('tab', { name: /console|sql/i }).first()
    if (await tab.isVisible().catch(() => false)) await tab.click()
    await opened.editor.waitFor()
    return opened
  }

  get page(): Page {
    return this.app.page
  }

  get editor(): Locator {
    return this.page.getByRole('textbox', { name: 'SQL editor' })
  }

  /** Replaces the editor's text, as typing would (so completion may open on the last word: it is closed again). */
  async type(sql: string): Promise<void> {
    await this.editor.fill(sql)
    await this.page.waitForTimeout(150)
    if (await this.page.locator('.cm-tooltip-autocomplete').isVisible()) await this.editor.press('Escape')
  }

  async runAll(): Promise<void> {
    await this.editor.press(`Shift+${MOD}+Enter`)
  }

  async runCurrent(): Promise<void> {
    await this.editor.press(`${MOD}+Enter`)
  }

  tab(name: string | RegExp): Locator {
    return this.page.getByRole('tab', { name })
  }

  get status(): Locator {
    return this.page.getByLabel('Run status')
  }

  get summary(): Locator {
    return this.page.getByLabel('Result summary')
  }

  result(statement: number): Locator {
    return this.page.getByRole('table', { name: `Result of statement ${statement}` })
  }

  get diagnostic(): Locator {
    return this.page.locator('.cm-lintRange-error')
  }

  async editorText(): Promise<string> {
    return (await this.page.locator('.cm-content').innerText()).replace(/\u200b/g, '')
  }
}

describeE2E('The SQL console', (ctx) => {
  it('runs a script with a tab per statement: the write says how many rows it changed, the query shows them', async () => {
    const sql = await ConsolePage.open(await BackplaneApp.open(await ctx.open(), ctx.server))
    await sql.type("CREATE TABLE fruit (id INTEGER PRIMARY KEY, name TEXT);\nINSERT INTO fruit (name) VALUES ('apple'), ('pear'), ('plum');\nSELECT * FROM fruit ORDER BY id;")
    await sql.runAll()
    await sql.result(3).getByRole('row').filter({ hasText: 'pear' }).waitFor()
    expect(await sql.tab(/^1 · CREATE/).count()).toBe(1)
    expect(await sql.summary.textContent()).toContain('3 rows')
    await sql.tab(/^2 · INSERT/).click()
    await sql.summary.filter({ hasText: '3 rows affected' }).waitFor()
    expect(await sql.page.getByText('returned no columns').count()).toBe(0)
    expect(await sql.status.textContent()).toMatch(/3 statements · 3 rows · 3 rows affected/)
  })

  it("shows a failing statement's message from the server and underlines it in the editor", async () => {
    const sql = await ConsolePage.open(await BackplaneApp.open(await ctx.open(), ctx.server))
    await sql.type('SELECT 1;\nSELEC name FROM fruit;')
    await sql.runAll()
    const error = sql.page.getByRole('alert').filter({ hasText: 'Statement 2 failed' })
    await error.waitFor()
    expect(await error.getByLabel('Error message').textContent()).toMatch(/syntax error/)
    await sql.diagnostic.first().waitFor()
    expect(await sql.diagnostic.first().textContent()).toBe('SELEC')
    // The statement before the failure keeps its result.
    expect(await sql.tab(/^1 · SELECT/).count()).toBe(1)
  })

  it('cancels a slow query with Esc, and says so within a moment', async () => {
    const sql = await ConsolePage.open(await BackplaneApp.open(await ctx.open(), ctx.server))
    await sql.type('WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 300000000) SELECT count(*) FROM c')
    await sql.runCurrent()
    await sql.status.filter({ hasText: 'Running' }).waitFor()
    await sql.page.waitForTimeout(300)
    const asked = Date.now()
    await sql.editor.press('Escape')
    await sql.status.filter({ hasText: /cancelled after/i }).waitFor({ timeout: 5000 })
    expect(Date.now() - asked).toBeLessThan(2500)
    // The server is free again at once.
    await sql.type('SELECT 42 AS answer')
    await sql.runCurrent()
    await sql.result(1).getByRole('row').filter({ hasText: '42' }).waitFor()
  })

  it('asks before a DROP TABLE, and runs nothing when the user backs out', async () => {
    const sql = await ConsolePage.open(await BackplaneApp.open(await ctx.open(), ctx.server))
    await sql.type('CREATE TABLE scratch (x INTEGER)')
    await sql.runCurrent()
    await sql.tab(/^1 · CREATE/).waitFor()
    await sql.type('DROP TABLE scratch')
    await sql.runCurrent()
    const dialog = sql.page.getByRole('dialog', { name: 'Run statements that destroy data?' })
    await dialog.waitFor()
    expect(await dialog.getByLabel('Destructive statements').textContent()).toContain('DROP TABLE scratch')
    await dialog.getByRole('button', { name: 'Cancel' }).click()
    await dialog.waitFor({ state: 'detached' })
    const tables = await ctx.server.rpc<{ name: string }[]>('data.tables', { alias: 'default' })
    expect(tables.map((t) => t.name)).toContain('scratch')
    await sql.runCurrent()
    await dialog.getByRole('button', { name: 'Run anyway' }).click()
    await sql.tab(/^1 · DROP/).waitFor()
    expect((await ctx.server.rpc<{ name: string }[]>('data.tables', { alias: 'default' })).map((t) => t.name)).not.toContain('scratch')
  })

  it('keeps the history of runs across a reload, and a click puts one back into the editor', async () => {
    const page = await ctx.open()
    let sql = await ConsolePage.open(await BackplaneApp.open(page, ctx.server))
    await sql.type("SELECT name FROM fruit WHERE name = 'plum'")
    await sql.runCurrent()
    await sql.result(1).getByRole('row').filter({ hasText: 'plum' }).waitFor()
    await page.reload()
    sql = await ConsolePage.open(new BackplaneApp(page, ctx.server))
    const history = page.getByRole('table', { name: 'History' })
    const plum = history.getByRole('row').filter({ hasText: "WHERE name = 'plum'" })
    await plum.waitFor()
    // Earlier runs of this file are there too, newest first; the failed one is marked.
    expect(await history.getByRole('row').filter({ hasText: 'SELEC name' }).getByLabel('failed').count()).toBe(1)
    await page.getByRole('textbox', { name: 'Search the history' }).fill('plum')
    await history.getByRole('row').filter({ hasText: 'WITH RECURSIVE' }).waitFor({ state: 'detached' })
    await plum.click()
    expect(await sql.editorText()).toBe("SELECT name FROM fruit WHERE name = 'plum'")
    const stored = await ctx.server.rpc<{ total: number; entries: { sql: string; outcome: string }[] }>('dataConsole.history', { alias: 'default' })
    expect(stored.entries[0]).toMatchObject({ sql: "SELECT name FROM fruit WHERE name = 'plum'", outcome: 'ok' })
    expect(stored.entries.some((e) => e.outcome === 'cancelled')).toBe(true)
  })

  it('saves the query with Ctrl+S under a name, and opens it from the saved list', async () => {
    const page = await ctx.open()
    const sql = await ConsolePage.open(await BackplaneApp.open(page, ctx.server))
    await sql.type('SELECT count(*) FROM fruit')
    await sql.editor.press(`${MOD}+s`)
    const dialog = page.getByRole('dialog', { name: 'Save the query' })
    await dialog.getByLabel('Name').fill('Fruit count')
    await dialog.getByRole('button', { name: 'Save' }).click()
    await dialog.waitFor({ state: 'detached' })
    await sql.type('SELECT 1')
    await page.getByRole('radio', { name: 'Saved' }).locator('..').click()
    await page.getByRole('table', { name: 'Saved queries' }).getByRole('row').filter({ hasText: 'Fruit count' }).click()
    expect(await sql.editorText()).toBe('SELECT count(*) FROM fruit')
    expect(await ctx.server.rpc('dataConsole.saved', { alias: 'default' })).toMatchObject([{ name: 'Fruit count', sql: 'SELECT count(*) FROM fruit' }])
  })

  it('exports every row of a result as a CSV file', async ({ skip }) => {
    const probe = await fetch(`${ctx.server.baseUrl}/api/v1/data/export?alias=default&format=csv&sql=${encodeURIComponent('SELECT 1')}`, { headers: { authorization: `Bearer ${ctx.server.token}` } })
    // Without the route, the request falls through to the GUI's index.html.
    if (probe.status === 404 || (probe.headers.get('content-type') ?? '').includes('text/html')) skip('serve mode has no /api/v1/data/export route yet')
    const page = await ctx.open({ acceptDownloads: true })
    const sql = await ConsolePage.open(await BackplaneApp.open(page, ctx.server))
    await sql.type('SELECT id, name FROM fruit ORDER BY id')
    await sql.runCurrent()
    await sql.result(1).getByRole('row').filter({ hasText: 'plum' }).waitFor()
    await page.getByRole('button', { name: 'Export' }).click()
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('menuitem', { name: 'CSV' }).click()])
    const file = await download.path()
    expect(readFileSync(file, 'utf8').trim().split(/\r?\n/)).toEqual(['id,name', '1,apple', '2,pear', '3,plum'])
  })
})
