import { expect, it } from 'vitest'
import { BackplaneApp } from './pages/backplane-app'
import { SettingsPage } from './pages/settings-page'
import { describeE2E } from './support/e2e-suite'

interface SettingsView {
  aliases: { kind: string; name: string; engine: string; options: Record<string, unknown> }[]
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

  // No built-in engine has a secret (writeOnly) option yet, so there is no built-in engine to run this story
  // with; settings-secrets.test.ts runs it with a custom engine. Un-skip it when the first built-in one
  // (SMTP, Redis…) lands, with that engine's secret field.
  it.skip('sets a secret option of a built-in engine without ever reading it back')
})
