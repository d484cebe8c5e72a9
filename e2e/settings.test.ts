import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { startSmtpServer } from '../test/support/smtp-test-server'
import { BackplaneApp } from './pages/backplane-app'
import { SettingsPage } from './pages/settings-page'
import { describeE2E } from './support/e2e-suite'

interface SettingsView {
  aliases: { kind: string; name: string; engine: string; options: Record<string, unknown>; secrets?: Record<string, boolean> }[]
}

const cacheAlias = async (rpc: <T>(method: string) => Promise<T>, name: string) =>
  (await rpc<SettingsView>('settings.get')).aliases.find((alias) => alias.kind === 'cache' && alias.name === name)

describeE2E('Settings', (ctx) => {
  it('refuses an invalid option inline and saves nothing', async () => {
    const app = await BackplaneApp.open(await ctx.open(), ctx.server)
    const editor = await (await SettingsPage.open(app)).edit('cache', 'default')
    await editor.fill('Max entries', '0')
    expect(await editor.errorOf('Max entries')).toBe('Must be at least 1.')
    await editor.save()
    // Still open, still showing the error: nothing was sent.
    expect(await editor.errorOf('Max entries')).toBe('Must be at least 1.')
    expect(await editor.root.isVisible()).toBe(true)
    const stored = await cacheAlias(ctx.server.rpc, 'default')
    expect(stored?.options.maxEntries).toBeUndefined()
  })

  it('keeps a valid edit and a new alias across a restart', async () => {
    const page = await ctx.open()
    const app = await BackplaneApp.open(page, ctx.server)
    const settings = await SettingsPage.open(app)

    const editor = await settings.edit('cache', 'default')
    await editor.fill('Timeout', '60')
    await editor.saveAndWaitClosed()

    const added = await settings.add('cache')
    await added.fill('Name', 'sessions')
    await added.saveAndWaitClosed()
    await settings.aliasRow('cache', 'sessions').waitFor()

    const server = await ctx.restart()
    expect((await cacheAlias(server.rpc, 'default'))?.options.timeout).toBe(60)
    expect((await cacheAlias(server.rpc, 'sessions'))?.engine).toBe('locmem')

    // The GUI of the restarted server shows both (same token, so the same URL works).
    const again = await BackplaneApp.open(await ctx.open(), server, '/settings?kind=cache')
    const reopened = await new SettingsPage(again).edit('cache', 'default')
    expect(await reopened.field('Timeout').inputValue()).toBe('60')
    await reopened.cancel()
    await new SettingsPage(again).aliasRow('cache', 'sessions').waitFor()
  })

  it('duplicates, renames and deletes an alias', async () => {
    const settings = await SettingsPage.open(await BackplaneApp.open(await ctx.open(), ctx.server))
    await settings.duplicate('cache', 'default', 'copy')
    await settings.aliasRow('cache', 'copy').waitFor()

    const editor = await settings.edit('cache', 'copy')
    await editor.fill('Name', 'renamed')
    await editor.saveAndWaitClosed()
    await settings.aliasRow('cache', 'renamed').waitFor()
    expect(await cacheAlias(ctx.server.rpc, 'copy')).toBeUndefined()

    await settings.delete('cache', 'renamed')
    await settings.aliasRow('cache', 'renamed').waitFor({ state: 'detached' })
    expect(await cacheAlias(ctx.server.rpc, 'renamed')).toBeUndefined()
    expect(await cacheAlias(ctx.server.rpc, 'default')).toBeDefined()
  })

  it('tests a draft without saving it', async () => {
    const app = await BackplaneApp.open(await ctx.open(), ctx.server)
    const editor = await (await SettingsPage.open(app)).add('cache')
    await editor.fill('Name', 'draft_only')
    const result = await editor.test()
    expect(await result.textContent()).toContain('healthy')
    await editor.cancel()
    expect(await cacheAlias(ctx.server.rpc, 'draft_only')).toBeUndefined()
  })

  it('maps a server-side refusal of the name onto the name field', async () => {
    const app = await BackplaneApp.open(await ctx.open(), ctx.server)
    const editor = await (await SettingsPage.open(app)).add('cache')
    await editor.fill('Name', '1-starts-with-a-digit')
    await editor.save()
    expect(await editor.errorOf('Name')).toMatch(/starting with a letter/)
  })

  it('sets a secret option of a built-in engine without ever reading it back', async () => {
    // The SMTP engine's password, checked against a real SMTP server that accepts only that password.
    const secret = 'e2e-Sm7p-pa55word'
    const mta = await startSmtpServer({ users: { ada: secret } })
    try {
      const page = await ctx.open()
      const received: string[] = []
      page.on('websocket', (socket) => socket.on('framereceived', ({ payload }) => received.push(String(payload))))
      const settings = await SettingsPage.open(await BackplaneApp.open(page, ctx.server))
      const editor = await settings.add('mail')
      await editor.fill('Name', 'relay')
      await editor.root.getByLabel('Engine').click()
      await page.getByRole('option', { name: 'SMTP server (smtp)' }).click()
      await editor.fill('Host', '127.0.0.1')
      await editor.fill('Port', String(mta.port))
      await editor.fill('Username', 'ada')
      const password = editor.field('Password')
      expect(await password.inputValue()).toBe('')
      await password.fill(secret)

      // "Test" builds the draft with the typed secret: the server's AUTH accepts it.
      const report = await editor.test()
      expect(await report.textContent()).toContain('logged in as ada')
      await editor.saveAndWaitClosed()

      // settings.json keeps a reference; what the renderer is told says only that a value is set.
      const file = readFileSync(join(ctx.server.home, 'settings.json'), 'utf8')
      expect(file).not.toContain(secret)
      expect((JSON.parse(file) as { mail: Record<string, { options: Record<string, unknown> }> }).mail.relay?.options.password).toEqual({ $secret: expect.any(String) })
      const alias = (await ctx.server.rpc<SettingsView>('settings.get')).aliases.find((a) => a.kind === 'mail' && a.name === 'relay')
      expect(alias).toMatchObject({ engine: 'smtp', secrets: { password: true } })
      expect(JSON.stringify(alias)).not.toContain(secret)

      // Reopened, the box is empty and says a value is stored; nothing the page holds or received carries it.
      const again = await settings.edit('mail', 'relay')
      expect(await again.field('Password').inputValue()).toBe('')
      expect(await again.field('Password').getAttribute('placeholder')).toContain('stored')
      expect(await page.content()).not.toContain(secret)
      await again.cancel()
      expect(received.length).toBeGreaterThan(0)
      expect(received.filter((frame) => frame.includes(secret))).toEqual([])

      // The saved alias logs in with the stored secret after a restart, and its report does not show it.
      const server = await ctx.restart()
      const health = await server.rpc<{ state: string; summary?: string }[]>('health.check', { kind: 'mail', alias: 'relay' })
      expect(health[0]).toMatchObject({ state: 'ok', summary: 'no TLS, logged in as ada' })
      expect(JSON.stringify(health)).not.toContain(secret)
      expect(mta.messages).toHaveLength(0)
    } finally {
      await mta.close()
    }
  })
})
