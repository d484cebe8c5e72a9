import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { BackplaneApp } from './pages/backplane-app'
import { SettingsPage } from './pages/settings-page'
import { describeE2E } from './support/e2e-suite'
import { installTokenMailEngine } from './support/token-mail-engine'

interface AliasView {
  kind: string
  name: string
  secrets: Record<string, boolean>
}

describeE2E('Secret options', (ctx) => {
  it('replaces a secret of a custom engine without ever showing it', async () => {
    const engine = installTokenMailEngine(ctx.server.home)
    await ctx.server.rpc('settings.saveAlias', { kind: 'mail', name: 'tokens', engine, options: {}, secrets: { apiToken: 'first' } })

    const settings = await SettingsPage.open(await BackplaneApp.open(await ctx.open(), ctx.server))
    await settings.showKind('mail')
    expect(await settings.aliasRow('mail', 'tokens').textContent()).toContain('apiToken: set')

    const editor = await settings.edit('mail', 'tokens')
    const secret = editor.field('API token')
    // Write-only: the box starts empty and only says that a value is stored.
    expect(await secret.inputValue()).toBe('')
    expect(await secret.getAttribute('placeholder')).toContain('stored')

    // Clearing a required secret is refused before anything is sent.
    await editor.root.getByRole('button', { name: 'Clear API token' }).click()
    await editor.save()
    expect(await editor.errorOf('API token')).toMatch(/cannot be cleared/)
    await editor.root.getByRole('button', { name: 'Keep stored' }).click()

    await secret.fill('second')
    const report = await editor.test()
    expect(await report.textContent()).toContain('6 characters')
    await editor.saveAndWaitClosed()

    // The running server uses the new secret at once (only the secret changed, not the settings entry)…
    const live = await ctx.server.rpc<{ steps: { detail?: string }[] }[]>('health.check', { kind: 'mail', alias: 'tokens' })
    expect(live[0]?.steps[0]?.detail).toBe('6 characters')
    // …and so does the next one.
    const server = await ctx.restart()
    const health = await server.rpc<{ steps: { detail?: string }[] }[]>('health.check', { kind: 'mail', alias: 'tokens' })
    expect(health[0]?.steps[0]?.detail).toBe('6 characters')
    const aliases = (await server.rpc<{ aliases: AliasView[] }>('settings.get')).aliases
    expect(aliases.find((a) => a.name === 'tokens')?.secrets).toEqual({ apiToken: true })
    expect(readFileSync(join(ctx.server.home, 'settings.json'), 'utf8')).not.toContain('second')
  })
})
