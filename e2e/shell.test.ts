import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { BackplaneApp } from './pages/backplane-app'
import { describeE2E } from './support/e2e-suite'

describeE2E('App shell', (ctx) => {
  it('goes to Mail with Ctrl+2 and to Settings with Ctrl+7', async () => {
    const app = await BackplaneApp.open(await ctx.open(), ctx.server)
    await app.waitForHeading('Dashboard')
    await app.pressSectionShortcut(2)
    await app.waitForHeading('Mail')
    await app.pressSectionShortcut(7)
    await app.waitForHeading('Settings')
    expect(await app.sectionLink('Settings').getAttribute('aria-current')).toBe('page')
  })

  it("shows the app icon as the tab's favicon and in the sidebar", async () => {
    const app = await BackplaneApp.open(await ctx.open(), ctx.server)
    const href = await app.page.locator('link[rel="icon"]').getAttribute('href')
    const served = await (await fetch(new URL(href!, `${ctx.server.baseUrl}/`))).text()
    expect(served).toBe(readFileSync(join(import.meta.dirname, '..', 'assets', 'icon.svg'), 'utf8'))
    const sidebarIcon = await app.page.locator('nav img, [class*="Navbar"] img').first().getAttribute('src')
    expect(new URL(sidebarIcon!, `${ctx.server.baseUrl}/`).pathname).toBe(new URL(href!, `${ctx.server.baseUrl}/`).pathname)
  })

  it('follows a dark OS theme', async () => {
    const app = await BackplaneApp.open(await ctx.open({ colorScheme: 'dark' }), ctx.server)
    expect(await app.colorScheme()).toBe('dark')
  })

  it('follows a light OS theme, and keeps a chosen scheme', async () => {
    const app = await BackplaneApp.open(await ctx.open({ colorScheme: 'light' }), ctx.server)
    expect(await app.colorScheme()).toBe('light')
    await app.chooseColorScheme('Dark')
    await app.page.locator('html[data-mantine-color-scheme="dark"]').waitFor()
    await app.page.reload()
    await app.sidebar.waitFor()
    expect(await app.colorScheme()).toBe('dark')
  })

  it('says so when the server goes away, and is live again once it is back', async () => {
    const app = await BackplaneApp.open(await ctx.open(), ctx.server)
    await app.waitForHeading('Dashboard')
    const banner = app.page.getByRole('status').filter({ hasText: 'Connection to Backplane lost' })
    await ctx.restart(() => banner.waitFor())
    await banner.waitFor({ state: 'hidden', timeout: 20_000 })
    // Answers come from the restarted server: the socket reconnected with the same token.
    await app.goTo('Settings')
    await app.page.getByRole('table', { name: 'Mail aliases' }).waitFor()
  })
})
