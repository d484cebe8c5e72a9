import { expect, it } from 'vitest'
import { describeService } from '../test/support/services'
import { BackplaneApp } from './pages/backplane-app'
import { FilesPage } from './pages/files-page'
import { describeE2E } from './support/e2e-suite'

// The file browser on the testbed's OpenSSH (SFTP): the first listing asks to trust the server's key,
// then the same browser works there as on the local disk. Everything happens in a folder of its own.
describeService('sftp', 'Files over SFTP', (sftp) => {
  describeE2E('Files: an SFTP alias from first connect', (ctx) => {
    it('shows the unknown host key instead of a listing, lists after "Trust this server", and uploads into a new folder', async () => {
      const url = new URL(sftp.BACKPLANE_TEST_SFTP_URL!)
      const folder = `gui-e2e-${Math.random().toString(36).slice(2, 8)}`
      await ctx.server.rpc('settings.saveAlias', {
        kind: 'storage',
        name: 'remote',
        engine: 'sftp',
        options: { host: url.hostname, port: Number(url.port), user: decodeURIComponent(url.username) },
        secrets: { password: decodeURIComponent(url.password) },
      })
      const app = await BackplaneApp.open(await ctx.open(), ctx.server)
      const files = await FilesPage.open(app)
      await files.page.getByRole('combobox', { name: 'Storage alias' }).click()
      await files.page.getByRole('option', { name: /^remote/ }).click()

      const alert = files.page.getByRole('alert').filter({ hasText: 'E_HOST_KEY_UNKNOWN' })
      const prompt = alert.getByLabel('Unknown SSH server')
      await prompt.waitFor({ timeout: 20_000 })
      expect((await prompt.locator('code, pre').first().textContent())?.trim()).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/)
      expect(await ctx.server.rpc('ssh.knownHosts')).toEqual([])
      await prompt.getByRole('button', { name: 'Trust this server' }).click()
      // Trusting refreshes every query: the listing comes instead of the alert.
      await files.list.waitFor({ timeout: 20_000 })

      try {
        await files.page.getByRole('button', { name: 'New folder' }).click()
        const dialog = files.page.getByRole('dialog', { name: /New folder/ })
        await dialog.getByRole('textbox', { name: 'Folder name' }).fill(folder)
        await dialog.getByRole('button', { name: 'Create folder' }).click()
        await files.entry(folder).dblclick()
        await files.page.getByText('This folder is empty').waitFor()
        await files.upload([{ name: 'over-ssh.txt', mimeType: 'text/plain', buffer: Buffer.from('sent over SFTP\n') }])
        await files.transfer('over-ssh.txt').and(files.page.locator('[data-state="done"]')).waitFor({ timeout: 20_000 })
        await files.entry('over-ssh.txt').click()
        await files.preview.getByText('sent over SFTP').waitFor()
        const listed = await ctx.server.rpc<{ entries: { name: string; size?: number }[] }>('storage.list', { alias: 'remote', path: folder })
        expect(listed.entries).toMatchObject([{ name: `${folder}/over-ssh.txt`, size: 15 }])
      } finally {
        await ctx.server.rpc('storage.delete', { alias: 'remote', names: [folder] }).catch(() => undefined)
      }
    })
  })
})
