import { randomUUID } from 'node:crypto'
import { createServer, connect, type Server, type Socket } from 'node:net'
import Redis from 'ioredis'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { describeService } from '../test/support/services'
import { BackplaneApp } from './pages/backplane-app'
import { describeE2E } from './support/e2e-suite'

// The testbed's Redis, database 5 (the GUI's own), under a prefix of this run: nothing here flushes it.
describeService('redis', 'Cache GUI on Redis', (env) => {
  const prefix = `bp-gui-${randomUUID().slice(0, 8)}`
  const url = env.BACKPLANE_TEST_REDIS_URL!.replace(/\/\d*$/, '/5')
  let raw: Redis

  beforeAll(async () => {
    raw = new Redis(url)
    // A hash where the application's keys live (prefix:version:key), as a Redis that is more than a cache holds.
    await raw.hset(`${prefix}:1:profile:ada`, { name: 'Ada', born: '1815' })
  })
  afterAll(async () => {
    for await (const keys of raw.scanStream({ match: `${prefix}*`, count: 1000 })) if ((keys as string[]).length) await raw.unlink(...(keys as string[]))
    raw.disconnect()
  })

  describeE2E('Cache: the key browser on Redis', (ctx) => {
    it("shows a hash's fields as a table with their count, and a Django entry as the pickle it is", async () => {
      await ctx.server.rpc('settings.saveAlias', { kind: 'cache', name: 'redis5', engine: 'redis', options: { location: url, keyPrefix: prefix } })
      await ctx.server.rpc('cache.set', { alias: 'redis5', key: 'profile:greeting', value: 'hello', timeout: 600 })
      const page = await ctx.open()
      // The alias the Cache page opens on, as choosing it in its picker would remember it (per tab).
      await page.addInitScript("sessionStorage.setItem('backplane.alias.cache', 'redis5')")
      await BackplaneApp.open(page, ctx.server, '/cache')
      await page.getByRole('textbox', { name: 'Pattern' }).fill('profile:*')
      const table = page.getByRole('table', { name: 'Cache keys' })
      const row = (name: string) => table.getByRole('row').filter({ has: page.getByRole('cell', { name, exact: true }) })
      expect(await row('profile:ada').getByRole('cell').nth(2).textContent()).toBe('hash')

      await row('profile:ada').click()
      const panel = page.getByRole('region', { name: 'Selected key' })
      expect(await panel.getByLabel('Item count').textContent()).toBe('2 fields')
      const items = panel.getByRole('table', { name: 'Items' })
      const fields = await items.getByRole('row').evaluateAll((rows) => rows.slice(1).map((r) => [...r.querySelectorAll('[role=cell]')].map((c) => c.textContent)))
      expect(fields.sort()).toEqual([
        ['born', '1815'],
        ['name', 'Ada'],
      ])

      await row('profile:greeting').click()
      await panel.getByLabel('Value', { exact: true }).filter({ hasText: '"hello"' }).waitFor()
      expect(await panel.getByLabel('Encoding').textContent()).toBe('pickle')
      // Django's pickles start with the PROTO opcode.
      expect(await panel.getByLabel('Raw bytes').textContent()).toMatch(/^00000000: 80/)

      // A pickle cut short (written behind Backplane's back) is shown as its bytes, with why it cannot be read.
      await raw.set(`${prefix}:1:profile:broken`, Buffer.from([0x80, 0x05, 0x95, 0x10, 0x00]))
      await page.getByRole('textbox', { name: 'Pattern' }).fill('profile:b*')
      await row('profile:broken').click()
      const problem = panel.getByRole('alert').filter({ hasText: 'This entry cannot be read' })
      await problem.waitFor()
      expect(await problem.textContent()).toMatch(/cut short|ends/i)
      expect(await panel.getByLabel('Encoding').textContent()).toBe('bytes')
    })

    it('keeps the keys it listed when the server goes away mid-browse, says why, and lists again on Retry', async () => {
      // The alias reaches Redis through a proxy this test can cut, as a server that goes down would.
      const target = new URL(url)
      const sockets = new Set<Socket>()
      const proxy = (port = 0): Promise<Server> =>
        new Promise((resolve) => {
          const server = createServer((client) => {
            const upstream = connect(Number(target.port), target.hostname)
            for (const socket of [client, upstream]) {
              sockets.add(socket)
              socket.on('close', () => sockets.delete(socket))
              socket.on('error', () => undefined)
            }
            client.pipe(upstream).pipe(client)
          })
          server.listen(port, '127.0.0.1', () => resolve(server))
        })
      let server = await proxy()
      const port = (server.address() as { port: number }).port
      const viaProxy = `redis://${target.username}:${target.password}@127.0.0.1:${port}/5`
      try {
        await ctx.server.rpc('settings.saveAlias', { kind: 'cache', name: 'flaky', engine: 'redis', options: { location: viaProxy, keyPrefix: `${prefix}-flaky`, commandTimeoutSeconds: 1, connectTimeoutSeconds: 1 } })
        await ctx.server.rpc('cache.set', { alias: 'flaky', key: 'job:1', value: 1, timeout: 600 })
        const page = await ctx.open()
        await page.addInitScript("sessionStorage.setItem('backplane.alias.cache', 'flaky')")
        await BackplaneApp.open(page, ctx.server, '/cache')
        const row = page.getByRole('table', { name: 'Cache keys' }).getByRole('row').filter({ hasText: 'job:1' })
        await row.waitFor()

        server.close()
        for (const socket of sockets) socket.destroy()
        await page.getByRole('button', { name: 'Refresh the keys' }).click()
        const alert = page.getByRole('alert').filter({ hasText: 'Could not list the keys' })
        await alert.waitFor({ timeout: 15_000 })
        expect(await row.count()).toBe(1)

        server = await proxy(port)
        // The engine reconnects on its own; once it has, the next key lands and Retry lists it.
        await expect
          .poll(() => ctx.server.post('cache.set', { alias: 'flaky', key: 'job:2', value: 2, timeout: 600 }).then((r) => r.status), { timeout: 20_000, interval: 500 })
          .toBe(200)
        await alert.getByRole('button', { name: 'Retry' }).click()
        await page.getByRole('table', { name: 'Cache keys' }).getByRole('row').filter({ hasText: 'job:2' }).waitFor()
        await alert.waitFor({ state: 'detached' })
      } finally {
        for (const socket of sockets) socket.destroy()
        server.close()
      }
    })
  })
})
