import { expect, it } from 'vitest'
import { serviceEnv, describeService } from '../test/support/services'
import { BackplaneApp } from './pages/backplane-app'
import { SettingsPage } from './pages/settings-page'
import { describeE2E } from './support/e2e-suite'

// A PostgreSQL alias reached through an SSH tunnel (the testbed's OpenSSH): the first test shows the SSH
// server's fingerprint and asks; only the user's click pins it, and then the database answers through it.
describeService('sshTunnel', 'Data through an SSH tunnel', (tunnel) => {
  describeE2E('A database behind SSH, trusted on first connect', (ctx) => {
    it('shows the unknown server key, pins it on "Trust this server", then connects through the tunnel', async () => {
      const pg = new URL(serviceEnv('postgres')!.BACKPLANE_TEST_POSTGRES_URL!)
      const sshPort = Number(tunnel.BACKPLANE_TEST_SSH_TUNNEL_PORT)
      await ctx.server.rpc('settings.saveAlias', {
        kind: 'data',
        name: 'behind_ssh',
        engine: 'postgresql',
        // The database as the SSH server sees it: on its own loopback.
        options: { name: pg.pathname.slice(1), user: decodeURIComponent(pg.username), host: '127.0.0.1', port: Number(pg.port), sslmode: 'disable', tunnel: { host: tunnel.BACKPLANE_TEST_SSH_TUNNEL_HOST, port: sshPort, user: tunnel.BACKPLANE_TEST_SSH_TUNNEL_USER } },
        secrets: { password: decodeURIComponent(pg.password), 'tunnel/password': tunnel.BACKPLANE_TEST_SSH_TUNNEL_PASSWORD! },
      })
      expect(await ctx.server.rpc('ssh.knownHosts')).toEqual([])

      const app = await BackplaneApp.open(await ctx.open(), ctx.server)
      const editor = await (await SettingsPage.open(app)).edit('data', 'behind_ssh')
      const first = await editor.test()
      const prompt = first.getByLabel('Unknown SSH server')
      await prompt.waitFor()
      const fingerprint = (await prompt.locator('code, pre').first().textContent())?.trim() ?? ''
      expect(fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/)
      // Nothing is pinned until the user says so.
      expect(await ctx.server.rpc('ssh.knownHosts')).toEqual([])

      await prompt.getByRole('button', { name: 'Trust this server' }).click()
      await prompt.getByText('Trusted').waitFor()
      expect(await ctx.server.rpc('ssh.knownHosts')).toMatchObject([{ host: '127.0.0.1', port: sshPort, fingerprint }])

      const second = await editor.test()
      await expect.poll(async () => (await second.textContent()) ?? '', { timeout: 15_000 }).toMatch(/healthy/i)
      const report = (await ctx.server.rpc<{ state: string; version?: string }[]>('health.check', { kind: 'data', alias: 'behind_ssh' }))[0]
      expect(report).toMatchObject({ state: 'ok', version: expect.stringMatching(/^PostgreSQL/) })
    })
  })
})
