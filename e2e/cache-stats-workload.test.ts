import type { Page } from 'playwright-core'
import { expect, it } from 'vitest'
import { BackplaneApp } from './pages/backplane-app'
import { describeE2E } from './support/e2e-suite'
import type { RunningBackplane } from './support/server'

// The Cache section's Stats and Workload views on the default alias (locmem).

async function openView(page: Page, server: RunningBackplane, view: 'stats' | 'workload'): Promise<BackplaneApp> {
  const app = await BackplaneApp.open(page, server, `/cache?view=${view}`)
  await page.getByRole('tab', { name: view === 'stats' ? 'Stats' : 'Workload', selected: true }).waitFor()
  return app
}

describeE2E('Cache: live stats and the workload tester', (ctx) => {
  it('charts the counters locmem keeps and leaves out those it does not report', async () => {
    await Promise.all(['a', 'b', 'c'].map((key) => ctx.server.rpc('cache.set', { alias: 'default', key, value: 1 })))
    const { page } = await openView(await ctx.open(), ctx.server, 'stats')
    const stats = page.getByLabel('Statistics')
    await stats.getByRole('group', { name: 'Keys' }).waitFor()
    expect(await stats.getByLabel('Keys now').textContent()).toBe('3')
    // Reads between two polls give a rate and a hit ratio: 4 hits and 1 miss.
    for (const key of ['a', 'b', 'c', 'a', 'nope']) await ctx.server.rpc('cache.get', { alias: 'default', key })
    await expect.poll(() => stats.getByLabel('Hit ratio now').textContent(), { timeout: 6000 }).toBe('80.0 %')
    expect(await stats.getByRole('img', { name: 'Hits over the last five minutes' }).count()).toBe(1)
    // locmem has no connections and no server uptime: no chart says 0 for them.
    expect(await stats.getByRole('group', { name: 'Connections' }).count()).toBe(0)
  })

  it('runs a workload with progress and a latency histogram, and cancels a long one', async () => {
    const { page } = await openView(await ctx.open(), ctx.server, 'workload')
    await page.getByRole('textbox', { name: 'Duration (seconds)' }).fill('1')
    const first = page.getByRole('region', { name: 'Workload on default' })
    await first.getByRole('button', { name: 'Run' }).click()
    const result = first.getByLabel('Workload result')
    await result.waitFor()
    expect(await result.getByLabel('Throughput').textContent()).toMatch(/^[\d,]+ ops\/s$/)
    expect(await result.getByLabel('p99').textContent()).toMatch(/ms$/)
    expect(await result.getByRole('img', { name: 'Latency histogram' }).locator('rect[data-bucket]').count()).toBeGreaterThan(0)
    expect(await result.getByLabel('Errors').textContent()).toBe('No errors')

    await page.getByRole('textbox', { name: 'Duration (seconds)' }).fill('60')
    await first.getByRole('button', { name: 'Run' }).click()
    await first.getByLabel('Workload progress').getByText(/ops\/s/).waitFor()
    const started = Date.now()
    await first.getByRole('button', { name: 'Cancel' }).click()
    await first.getByLabel('Workload result').getByText(/cancelled after/).waitFor()
    expect(Date.now() - started).toBeLessThan(5000)
  })
})
