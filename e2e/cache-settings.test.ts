import { randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { describeService } from '../test/support/services'
import { BackplaneApp } from './pages/backplane-app'
import { SettingsPage } from './pages/settings-page'
import { describeE2E } from './support/e2e-suite'

// A Redis alias made the way a user makes one: in Settings, from the form the engine's options generate,
// with the password typed once, tested, saved, then browsed. The testbed's Redis, database 5, a prefix of its own.
describeService('redis', 'Cache settings on Redis', (env) => {
  describeE2E('Cache: a Redis alias from the settings form', (ctx) => {
    it('tests and saves a Redis alias with its password kept out of settings.json, then lists its keys', async () => {
      const full = new URL(env.BACKPLANE_TEST_REDIS_URL!)
      const password = decodeURIComponent(full.password)
      const location = `redis://${full.host}/5`
      const prefix = `bp-form-${randomUUID().slice(0, 8)}`

      const page = await ctx.open()
      const settings = await SettingsPage.open(await BackplaneApp.open(page, ctx.server))
      const editor = await settings.add('cache')
      await editor.fill('Name', 'app-redis')
      await editor.chooseEngine('Redis (redis)')
      // The location is a list (replicas after the first): typed, then Enter.
      const locationBox = editor.root.getByRole('combobox', { name: 'Location', exact: true })
      await locationBox.fill(location)
      await locationBox.press('Enter')
      await editor.fill('Key prefix', prefix)
      await editor.fill('Password', password)

      const report = await editor.test()
      expect(await report.textContent()).toMatch(/Redis \d+\.\d+/)
      await editor.saveAndWaitClosed()

      const file = readFileSync(join(ctx.server.home, 'settings.json'), 'utf8')
      expect(file).not.toContain(password)
      expect(file).toContain(prefix)

      await ctx.server.rpc('cache.set', { alias: 'app-redis', key: 'session:form', value: { user: 1 }, timeout: 300 })
      try {
        await page.addInitScript("sessionStorage.setItem('backplane.alias.cache', 'app-redis')")
        await BackplaneApp.open(page, ctx.server, '/cache')
        await page.getByRole('textbox', { name: 'Pattern' }).fill('session:*')
        const table = page.getByRole('table', { name: 'Cache keys' })
        await table.getByRole('cell', { name: 'session:form', exact: true }).waitFor()
      } finally {
        await ctx.server.rpc('cache.delete', { alias: 'app-redis', key: 'session:form' })
      }
    })
  })
})
