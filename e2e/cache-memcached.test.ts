import { randomUUID } from 'node:crypto'
import { expect, it } from 'vitest'
import { describeService } from '../test/support/services'
import { BackplaneApp } from './pages/backplane-app'
import { describeE2E } from './support/e2e-suite'

// The testbed's Memcached, under a prefix of this run; its keys expire on their own. JSON values: this is
// about the browser, not the pickle codec (test/ has the Django interop tests).
describeService('memcached', 'Cache GUI on Memcached', (env) => {
  describeE2E('Cache: Memcached, which cannot list its keys', (ctx) => {
    it('says so plainly and looks a key up by the name the application uses', async () => {
      const prefix = `bp-gui-${randomUUID().slice(0, 8)}`
      await ctx.server.rpc('settings.saveAlias', { kind: 'cache', name: 'mc', engine: 'memcached', options: { location: env.BACKPLANE_TEST_MEMCACHED, keyPrefix: prefix, serializer: 'json' } })
      await ctx.server.rpc('cache.set', { alias: 'mc', key: 'session:42', value: { user: 'ada' }, timeout: 120 })
      const page = await ctx.open()
      // The alias the Cache page opens on, as choosing it in its picker would remember it (per tab).
      await page.addInitScript("sessionStorage.setItem('backplane.alias.cache', 'mc')")
      await BackplaneApp.open(page, ctx.server, '/cache')
      await page.getByText('This cache cannot list its keys').waitFor()

      const lookup = page.getByRole('form', { name: 'Look up a key' })
      await lookup.getByRole('textbox', { name: 'Key' }).fill('session:42')
      await lookup.getByRole('button', { name: 'Look up' }).click()
      const panel = page.getByRole('region', { name: 'Selected key' })
      await panel.getByLabel('Value', { exact: true }).filter({ hasText: '"user": "ada"' }).waitFor()

      // By its stored name too (prefix:version:key), through cache.inspect where the engine has it.
      await lookup.getByText('Stored key (prefix:version:key)').click()
      await lookup.getByRole('textbox', { name: 'Stored key' }).fill(`${prefix}:1:session:42`)
      await lookup.getByRole('button', { name: 'Look up' }).click()
      await panel.getByText(`${prefix}:1:session:42`).first().waitFor()
      expect(await panel.getByLabel('Raw bytes').textContent()).toMatch(/^00000000: 7b22/)
      expect(await panel.getByLabel('Value', { exact: true }).textContent()).toContain('"user": "ada"')
    })
  })
})
