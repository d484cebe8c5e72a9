import { expect, it } from 'vitest'
import { BackplaneApp } from './pages/backplane-app'
import { DashboardPage } from './pages/dashboard-page'
import { describeE2E } from './support/e2e-suite'

const DEFAULTS = [
  ['mail', 'outbox'],
  ['data', 'sqlite'],
  ['cache', 'locmem'],
  ['auth', 'model'],
  ['storage', 'filesystem'],
] as const

describeE2E('Dashboard', (ctx) => {
  it('shows the five default aliases healthy on a fresh data directory', async () => {
    const app = await BackplaneApp.open(await ctx.open(), ctx.server)
    const dashboard = new DashboardPage(app)
    for (const [kind, engine] of DEFAULTS) {
      const row = dashboard.alias(kind, 'default')
      await row.waitFor()
      expect(await dashboard.stateOf(kind, 'default')).toBe('healthy')
      expect(await row.textContent()).toContain(engine)
    }
    // Every kind's status dot in the sidebar agrees.
    for (const section of ['Mail', 'Data', 'Cache', 'Auth', 'Files']) {
      await app.sidebar.getByRole('img', { name: `${section}: healthy` }).waitFor()
    }
  })

  it('shows a summary that follows changes made since the first check (a table made in the console)', async () => {
    const app = await BackplaneApp.open(await ctx.open(), ctx.server)
    const dashboard = new DashboardPage(app)
    const row = dashboard.alias('data', 'default')
    await row.waitFor()
    const count = async () => Number(/(\d+) tables? (?:and|or) views?/.exec((await row.textContent()) ?? '')?.[1])
    await expect.poll(count).toBeGreaterThanOrEqual(0)
    const before = await count()
    const table = `summary_${Date.now()}`
    await ctx.server.rpc('data.query', { alias: 'default', sql: `CREATE TABLE ${table} (id INTEGER PRIMARY KEY)` })
    await app.goTo('Data')
    await app.goTo('Dashboard')
    await expect.poll(count).toBe(before + 1)
    expect(await row.textContent()).toContain(before + 1 === 1 ? '1 table or view' : `${before + 1} tables and views`)
    await ctx.server.rpc('data.query', { alias: 'default', sql: `DROP TABLE ${table}` })
  })

  it('checks again on demand and shows the steps of a check', async () => {
    const app = await BackplaneApp.open(await ctx.open(), ctx.server)
    const dashboard = new DashboardPage(app)
    await dashboard.alias('cache', 'default').waitFor()
    await dashboard.checkNow()
    await expect.poll(() => dashboard.stateOf('cache', 'default'), { timeout: 10_000 }).toBe('healthy')
    await app.page.getByRole('button', { name: 'Show the check steps of default' }).nth(2).click()
    const steps = dashboard.alias('cache', 'default').getByRole('table', { name: 'Steps' })
    await steps.waitFor()
    // A check reads a key that is not there: it writes nothing into the cache it checks.
    for (const step of ['version', 'get']) expect(await steps.textContent()).toContain(step)
    expect(await steps.textContent()).not.toContain('delete')
  })

  it('shows the SMTP capture server running, with its address', async () => {
    const app = await BackplaneApp.open(await ctx.open(), ctx.server)
    const card = new DashboardPage(app).captureServer
    await card.getByLabel('Capture server running').waitFor()
    expect(await card.getByLabel('Capture server address').textContent()).toMatch(/^127\.0\.0\.1:\d+$/)
  })
})
