import { expect, it } from 'vitest'
import { BackplaneApp } from './pages/backplane-app'
import { describeE2E } from './support/e2e-suite'
import { rawPost } from './support/raw-post'
import { makeHome, startBackplane, type RunningBackplane } from './support/server'

const LOCK_SCREEN = { name: 'Open the address Backplane printed' }

describeE2E('Serve-mode session', (ctx) => {
  it('signs the browser in with an HttpOnly, SameSite=Strict cookie: reload, bookmark and second tab need no token', async () => {
    const app = await BackplaneApp.open(await ctx.open(), ctx.server, '/mail')
    await app.waitForHeading('Mail')
    expect(app.page.url()).toBe(`${ctx.server.baseUrl}/#/mail`)
    const cookies = await app.page.context().cookies()
    expect(cookies).toHaveLength(1)
    expect(cookies[0]).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' })
    // The cookie is not the token: it opens this browser's page and nothing else.
    expect(cookies[0]!.value).not.toContain(ctx.server.token)

    await app.page.reload()
    await app.waitForHeading('Mail')
    const bookmark = await app.page.context().newPage()
    await bookmark.goto(`${ctx.server.baseUrl}/#/settings`)
    await bookmark.getByRole('heading', { level: 1, name: 'Settings', exact: true }).waitFor()
    await bookmark.getByRole('table', { name: 'Mail aliases' }).waitFor()
  })

  it('refuses a foreign Origin even with the cookie, and a wrong token signs nobody in', async () => {
    const page = await ctx.open()
    await page.goto(ctx.server.url)
    await page.getByRole('navigation', { name: 'Sections' }).waitFor()
    const [cookie] = await page.context().cookies()
    const pair = `${cookie!.name}=${cookie!.value}`
    expect(await rawPost(`${ctx.server.baseUrl}/rpc/settings.get`, { cookie: pair })).toBe(200)
    expect(await rawPost(`${ctx.server.baseUrl}/rpc/settings.get`, { cookie: pair, origin: 'http://evil.example' })).toBe(403)
    expect(await rawPost(`${ctx.server.baseUrl}/rpc/settings.get`, { cookie: `${cookie!.name}=${cookie!.value.slice(1)}x` })).toBe(401)

    const stranger = await ctx.open()
    await stranger.goto(`${ctx.server.baseUrl}/?token=not-the-token#/mail`)
    await stranger.getByRole('alert').filter({ hasText: "That token is not this server's" }).waitFor()
    expect(stranger.url()).not.toContain('not-the-token')
    expect(await stranger.context().cookies()).toEqual([])
    await stranger.goto(`${ctx.server.baseUrl}/#/mail`)
    await stranger.getByRole('heading', LOCK_SCREEN).waitFor()
  })

  it('signs out: every tab of the browser shows the lock screen until the URL with the token is opened again', async () => {
    const app = await BackplaneApp.open(await ctx.open(), ctx.server, '/cache')
    const other = await app.page.context().newPage()
    await other.goto(`${ctx.server.baseUrl}/#/data`)
    await other.getByRole('navigation', { name: 'Sections' }).waitFor()

    await app.page.getByRole('button', { name: 'Sign out of this browser' }).click()
    await app.page.getByRole('heading', LOCK_SCREEN).waitFor()
    expect(await app.page.context().cookies()).toEqual([])
    await other.reload()
    await other.getByRole('heading', LOCK_SCREEN).waitFor()
    expect((await fetch(`${ctx.server.baseUrl}/rpc/system.ping`, { method: 'POST', body: '{}' })).status).toBe(401)

    await app.page.goto(ctx.server.url)
    await app.sidebar.waitFor()
  })

  it('keeps its token in the data directory, so a session outlives a restart; --new-token ends it', async () => {
    const home = makeHome()
    let server: RunningBackplane = await startBackplane({ home, token: null })
    const port = Number(new URL(server.baseUrl).port)
    try {
      const app = await BackplaneApp.open(await ctx.open(), server, '/mail')
      const first = server.token
      await server.stop()
      server = await startBackplane({ home, token: null, port })
      expect(server.token).toBe(first)
      await app.page.reload()
      await app.waitForHeading('Mail')

      await server.stop()
      server = await startBackplane({ home, token: null, port, args: ['--new-token'] })
      expect(server.token).not.toBe(first)
      await app.page.reload()
      await app.page.getByRole('heading', LOCK_SCREEN).waitFor()
    } finally {
      await server.stop()
    }
  })
})
