import type { Locator, Page } from 'playwright-core'
import { expect, it } from 'vitest'
import { BackplaneApp } from './pages/backplane-app'
import { describeE2E } from './support/e2e-suite'
import type { RunningBackplane } from './support/server'

// The Cache section's Keys view on the default alias (locmem, empty prefix, version 1), seeded over the API.

async function seed(server: RunningBackplane, entries: Record<string, unknown>, timeout: number | null = 600): Promise<void> {
  await Promise.all(Object.entries(entries).map(([key, value]) => server.rpc('cache.set', { alias: 'default', key, value, timeout })))
}

async function openKeys(page: Page, server: RunningBackplane): Promise<BackplaneApp> {
  const app = await BackplaneApp.open(page, server, '/cache')
  await app.waitForHeading('Cache')
  return app
}

const keyTable = (page: Page) => page.getByRole('table', { name: 'Cache keys' })
const keyRow = (page: Page, name: string) => keyTable(page).getByRole('row').filter({ has: page.getByRole('cell', { name, exact: true }) })
const panel = (page: Page) => page.getByRole('region', { name: 'Selected key' })

async function search(page: Page, pattern: string): Promise<void> {
  await page.getByRole('textbox', { name: 'Pattern' }).fill(pattern)
}

async function keyNames(table: Locator): Promise<string[]> {
  return (await table.getByRole('row').locator('[role=cell]:first-child').allTextContents()).sort()
}

describeE2E('Cache: the key browser', (ctx) => {
  it("lists the keys a pattern matches as the application wrote them, shows the prefix once, and groups them in a tree on ':'", async () => {
    await seed(ctx.server, { 'session:1': 'a', 'session:2': 'b', 'session:3:cart': [1], 'user:1': { name: 'Ada' }, plain: 7 })
    const { page } = await openKeys(await ctx.open(), ctx.server)

    await search(page, 'session:*')
    await expect.poll(() => keyNames(keyTable(page))).toEqual(['session:1', 'session:2', 'session:3:cart'])
    // Stored as ":1:session:1": the empty prefix is named in the header, the version in its column.
    expect(await keyTable(page).getByRole('columnheader').first().textContent()).toMatch(/prefix\s*\(empty\)/)
    expect(await keyRow(page, 'session:1').getByRole('cell').nth(1).textContent()).toBe('1')
    expect(await keyRow(page, 'session:1').getByRole('cell').nth(3).textContent()).toMatch(/^(9|10) min$/)

    // The keyboard: the arrow keys move down the list, Enter opens the key.
    const rows = keyTable(page).getByRole('row').filter({ has: page.getByRole('cell') })
    const second = await rows.nth(1).getByRole('cell').first().textContent()
    await rows.first().focus()
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('Enter')
    await panel(page).getByRole('heading', { name: second!, exact: true }).waitFor()

    await search(page, 'nothing:*')
    await page.getByText('No keys match nothing:*').waitFor()

    // "/" comes back to the pattern box from anywhere; the stored-key toggle matches ":1:…".
    await page.getByRole('tab', { name: 'Keys' }).focus()
    await page.keyboard.press('/')
    await page.keyboard.type(':1:user:*')
    await page.getByText('No keys match :1:user:*').waitFor()
    await page.getByRole('switch', { name: 'Match stored keys' }).click()
    await expect.poll(() => keyNames(keyTable(page))).toEqual([':1:user:1'])
    await page.getByRole('switch', { name: 'Match stored keys' }).click()
    await search(page, '')

    await page.getByRole('radio', { name: 'Tree' }).locator('..').click()
    const tree = page.getByRole('tree', { name: 'Cache key tree' })
    await tree.getByRole('treeitem', { name: 'user: 1 key' }).waitFor()
    await tree.getByRole('treeitem', { name: 'session: 3 keys' }).click()
    // Folders first: session, then its folder 3, then its keys 1 and 2.
    await tree.getByRole('treeitem', { name: 'session:2' }).waitFor()
    expect(await tree.getByRole('treeitem').evaluateAll((items) => items.map((item) => item.getAttribute('aria-label')))).toEqual(['session: 3 keys', '3: 1 key', 'session:1', 'session:2', 'user: 1 key', 'plain'])
    // The keyboard: down to folder 3, Right opens it, down to its key, Enter opens that.
    for (const key of ['ArrowDown', 'ArrowRight', 'ArrowDown', 'Enter']) await page.keyboard.press(key)
    await panel(page).getByRole('heading', { name: 'session:3:cart' }).waitFor()
    expect(await panel(page).getByLabel('Value', { exact: true }).textContent()).toContain('1')
  })

  it('shows a value beside its bytes, saves an edit with a new TTL, and deletes the key after asking: the dialog closes and the key is gone', async () => {
    await seed(ctx.server, { 'profile:ada': { name: 'Ada', born: 1815 } }, 600)
    const { page } = await openKeys(await ctx.open(), ctx.server)
    await search(page, 'profile:*')
    await keyRow(page, 'profile:ada').click()
    await panel(page).getByLabel('Value', { exact: true }).filter({ hasText: '"born": 1815' }).waitFor()
    expect(await panel(page).getByLabel('Raw bytes').textContent()).toMatch(/^00000000: /)
    expect(await panel(page).getByLabel('TTL').textContent()).toMatch(/(9|10) min/)

    await panel(page).getByRole('button', { name: 'Edit' }).click()
    const editor = panel(page).getByRole('form', { name: 'Edit the value' })
    await editor.getByRole('textbox', { name: 'Value (JSON)' }).fill('{"name": "Ada Lovelace", "born": 1815}')
    await editor.getByRole('textbox', { name: 'TTL (seconds)' }).fill('90')
    await editor.getByRole('button', { name: 'Save' }).click()
    await panel(page).getByLabel('Value', { exact: true }).filter({ hasText: 'Ada Lovelace' }).waitFor()
    expect(await panel(page).getByLabel('TTL').textContent()).toMatch(/TTL (8\d|9[01]) s/)
    expect(await ctx.server.rpc('cache.get', { alias: 'default', key: 'profile:ada' })).toEqual({ found: true, value: { name: 'Ada Lovelace', born: 1815 } })

    // Delete from the list with the keyboard: the row has the focus, Delete asks.
    await keyRow(page, 'profile:ada').focus()
    await page.keyboard.press('Delete')
    const dialog = page.getByRole('dialog', { name: 'Delete the key “profile:ada”?' })
    await dialog.getByRole('button', { name: 'Delete key' }).click()
    await dialog.waitFor({ state: 'detached' })
    await keyRow(page, 'profile:ada').waitFor({ state: 'detached' })
    await panel(page).waitFor({ state: 'detached' })
    await page.getByText('No keys match profile:*').waitFor()
    expect(await ctx.server.rpc('cache.get', { alias: 'default', key: 'profile:ada' })).toEqual({ found: false })
  })

  it('deletes by pattern after a dry run that counts the keys and shows the first of them', async () => {
    await seed(ctx.server, { ...Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`tmp:${i}`, i])), 'keep:1': 1, 'keep:2': 2 })
    const { page } = await openKeys(await ctx.open(), ctx.server)
    await search(page, 'tmp:*')
    // The footer counts what the virtualized table does not all draw.
    await page.getByText('30 keys', { exact: true }).waitFor()
    await page.getByRole('button', { name: 'Delete matching…' }).click()
    const dialog = page.getByRole('dialog', { name: 'Delete the keys that match tmp:*?' })
    await dialog.getByText('30 keys match.').waitFor()
    expect(await dialog.getByLabel('Keys that match').getByRole('listitem').count()).toBe(20)
    expect(await dialog.getByLabel('Keys that match').textContent()).toContain('…and 10 more keys.')
    await dialog.getByRole('button', { name: 'Delete 30 keys' }).click()
    await dialog.waitFor({ state: 'detached' })
    await page.getByText('No keys match tmp:*').waitFor()
    const left = await ctx.server.rpc<{ entries: { userKey?: string }[] }>('cache.scan', { alias: 'default', pattern: 'keep:*' })
    expect(left.entries.map((e) => e.userKey).sort()).toEqual(['keep:1', 'keep:2'])
  })
})
