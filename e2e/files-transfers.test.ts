import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { BackplaneApp } from './pages/backplane-app'
import { FilesPage } from './pages/files-page'
import { describeE2E, type E2EContext } from './support/e2e-suite'
import { onDisk, plant } from './support/default-files'

// Bytes over the storage routes, from the GUI: a folder upload through the webkitdirectory picker, a
// zip download, a copy to another alias, and cancels, all watched in the transfers panel.

/** A local folder to pick: album/cover.txt, album/big.bin (4 MiB) and album/disc 2/track.txt. */
function localAlbum(): string {
  const root = mkdtempSync(join(tmpdir(), 'backplane-e2e-album-'))
  const album = join(root, 'album')
  mkdirSync(join(album, 'disc 2'), { recursive: true })
  writeFileSync(join(album, 'cover.txt'), 'the cover')
  writeFileSync(join(album, 'big.bin'), Buffer.alloc(4 * 1024 * 1024, 7))
  writeFileSync(join(album, 'disc 2', 'track.txt'), 'track two')
  return album
}

async function openFiles(ctx: E2EContext): Promise<FilesPage> {
  return FilesPage.open(await BackplaneApp.open(await ctx.open(), ctx.server))
}

describeE2E('Files: uploads, downloads and transfers', (ctx) => {
  it('uploads a whole folder from the folder picker and shows each file reach done in the transfers panel', async () => {
    const files = await openFiles(ctx)
    await files.uploadFolder(localAlbum())
    for (const name of ['cover.txt', 'big.bin', 'track.txt']) {
      await files.transfer(name).and(files.page.locator('[data-state="done"]')).waitFor({ timeout: 20_000 })
    }
    // The big one says how much went: all of its 4 MiB.
    await files.transfer('big.bin').getByText('4.0 MiB of 4.0 MiB').waitFor()
    await files.transfers.getByLabel('Transfers summary').filter({ hasText: 'all finished' }).waitFor()
    // The listing refreshed by itself, and the tree is on disk under the folder's own name.
    await files.entry('album').waitFor()
    expect(readFileSync(onDisk(ctx, 'album/disc 2/track.txt'), 'utf8')).toBe('track two')
    expect(readFileSync(onDisk(ctx, 'album/big.bin')).length).toBe(4 * 1024 * 1024)
    await files.transfers.getByRole('button', { name: 'Clear finished' }).click()
    await files.transfers.waitFor({ state: 'detached' })
  })

  it('uploads a file twice and says under which name the second was stored', async () => {
    const files = await openFiles(ctx)
    const note = { name: 'twice.txt', mimeType: 'text/plain', buffer: Buffer.from('first line\nsecond line\n') }
    await files.upload([note])
    await files.transfer('twice.txt').and(files.page.locator('[data-state="done"]')).waitFor()
    await files.upload([note])
    await files.transfers.getByText(/The name was taken; stored as twice_[A-Za-z0-9]{7}\.txt/).waitFor()
  })

  it('downloads a folder and a file together as one zip', async () => {
    plant(ctx, { 'zipme/docs/a.txt': 'A', 'zipme/docs/sub/b.txt': 'B', 'zipme/top.txt': 'T' })
    const files = await openFiles(ctx)
    await files.entry('zipme').dblclick()
    await files.entry('docs').click()
    await files.entry('top.txt').click({ modifiers: ['Shift'] })
    const menu = await files.openMenu('top.txt')
    const [download] = await Promise.all([files.page.waitForEvent('download'), menu.getByRole('menuitem', { name: 'Download as zip' }).click()])
    expect(download.suggestedFilename()).toBe('zipme.zip')
    const saved = join(mkdtempSync(join(tmpdir(), 'backplane-e2e-zip-')), 'zipme.zip')
    await download.saveAs(saved)
    const listing = spawnSync('/usr/bin/python3', ['-m', 'zipfile', '-l', saved], { encoding: 'utf8' })
    expect(listing.status).toBe(0)
    const entries = listing.stdout.split('\n').slice(1).map((line) => line.split(/\s{2,}/)[0]?.trim()).filter(Boolean).sort()
    // Folders have entries of their own ("docs/"), so an empty one would survive the round trip.
    expect(entries).toEqual(['docs/', 'docs/a.txt', 'docs/sub/', 'docs/sub/b.txt', 'top.txt'])
    // The zip went through the queue too.
    await files.transfer('zipme.zip').and(files.page.locator('[data-state="done"]')).waitFor()
  })

  it('copies a folder to another storage alias as a transfer, and lists it there', async () => {
    await ctx.server.rpc('settings.saveAlias', { kind: 'storage', name: 'scratch', engine: 'memory', options: {} })
    plant(ctx, { 'outgoing/photos/1.txt': 'one', 'outgoing/photos/2.txt': 'two' })
    const files = await openFiles(ctx)
    await files.entry('outgoing').dblclick()
    const menu = await files.openMenu('photos')
    await menu.getByRole('menuitem', { name: 'Copy to…' }).click()
    const dialog = files.page.getByRole('dialog', { name: 'Copy “photos” to…' })
    await dialog.getByRole('combobox', { name: 'Storage alias' }).click()
    await files.page.getByRole('option', { name: /^scratch/ }).click()
    await dialog.getByRole('button', { name: 'Copy here' }).click()
    await dialog.waitFor({ state: 'hidden' })
    await files.transfer('photos → scratch:').and(files.page.locator('[data-state="done"]')).waitFor({ timeout: 20_000 })
    const copied = await ctx.server.rpc<{ entries: { name: string }[] }>('storage.list', { alias: 'scratch', path: 'photos' })
    expect(copied.entries.map((entry) => entry.name).sort()).toEqual(['photos/1.txt', 'photos/2.txt'])
    // The original stays: a copy, not a move.
    expect(existsSync(onDisk(ctx, 'outgoing/photos/1.txt'))).toBe(true)
  })

  it('cancels an upload while it is sent and one still waiting its turn, leaving neither file behind', async () => {
    const page = await ctx.open()
    // Hold every upload for a while before it reaches the server, so there is time to cancel.
    await page.route('**/api/v1/storage/**', async (route) => {
      if (route.request().method() === 'PUT') await new Promise((resolve) => setTimeout(resolve, 1500))
      await route.continue().catch(() => undefined)
    })
    const files = await FilesPage.open(await BackplaneApp.open(page, ctx.server))
    const batch = ['c1', 'c2', 'c3', 'c4'].map((name) => ({ name: `${name}.txt`, mimeType: 'text/plain', buffer: Buffer.from(name) }))
    await files.upload(batch)
    // Three at a time: the fourth waits.
    await files.transfer('c4.txt').and(page.locator('[data-state="queued"]')).waitFor()
    await files.transfer('c4.txt').getByRole('button', { name: /^Cancel/ }).click()
    await files.transfer('c1.txt').getByRole('button', { name: /^Cancel/ }).click()
    await files.transfer('c4.txt').and(page.locator('[data-state="cancelled"]')).waitFor()
    await files.transfer('c1.txt').and(page.locator('[data-state="cancelled"]')).waitFor()
    await files.transfer('c2.txt').and(page.locator('[data-state="done"]')).waitFor({ timeout: 20_000 })
    expect(existsSync(onDisk(ctx, 'c2.txt'))).toBe(true)
    expect(existsSync(onDisk(ctx, 'c1.txt'))).toBe(false)
    expect(existsSync(onDisk(ctx, 'c4.txt'))).toBe(false)
  })

  it('shows an empty folder as a place to drop files, and an alias that cannot be listed as its error with the hint', async () => {
    mkdirSync(onDisk(ctx, 'really-empty'), { recursive: true })
    // An SFTP server where nothing listens: refused at once, with what to check.
    await ctx.server.rpc('settings.saveAlias', { kind: 'storage', name: 'gone', engine: 'sftp', options: { host: '127.0.0.1', port: 1, user: 'nobody', connectTimeoutSeconds: 2 }, secrets: { password: 'not-used' } })
    const files = await openFiles(ctx)
    await files.entry('really-empty').dblclick()
    await files.page.getByText('This folder is empty').waitFor()
    await files.page.getByText('Drop files or folders here, or Upload.').waitFor()
    await files.page.getByRole('combobox', { name: 'Storage alias' }).click()
    await files.page.getByRole('option', { name: /^gone/ }).click()
    const alert = files.page.getByRole('alert').filter({ hasText: 'Could not list gone:/' })
    await alert.waitFor()
    // The code to look up, the message, and what to do about it.
    expect(await alert.locator('code').first().textContent()).toBe('E_CONNECTION_REFUSED')
    expect(await alert.locator('p').count()).toBeGreaterThanOrEqual(2)
  })

  it('uploads files dropped on the listing into the folder shown', async () => {
    await ctx.server.rpc('settings.saveAlias', { kind: 'storage', name: 'inbox', engine: 'memory', options: {} })
    await ctx.server.rpc('storage.makeFolder', { alias: 'inbox', name: 'drops' })
    const files = await openFiles(ctx)
    await files.page.getByRole('combobox', { name: 'Storage alias' }).click()
    await files.page.getByRole('option', { name: /^inbox ·/ }).click()
    await files.entry('drops').dblclick()
    await files.page.getByText('This folder is empty').waitFor()
    // What a drag from the desktop delivers: a DataTransfer with files (a synthetic one has no entries, so no folders).
    // (A string: this project has no DOM types; the browser runs it.)
    const dataTransfer = await files.page.evaluateHandle(`(() => {
      const data = new DataTransfer()
      data.items.add(new File(['dropped one'], 'one.txt', { type: 'text/plain' }))
      data.items.add(new File(['dropped two'], 'two.txt', { type: 'text/plain' }))
      return data
    })()`)
    const zone = files.page.getByLabel('Drop files here to upload')
    await zone.dispatchEvent('dragenter', { dataTransfer })
    await files.page.getByText('Drop to upload here').waitFor()
    await zone.dispatchEvent('drop', { dataTransfer })
    await files.transfer('two.txt').and(files.page.locator('[data-state="done"]')).waitFor()
    await files.entry('one.txt').waitFor()
    const listed = await ctx.server.rpc<{ entries: { name: string }[] }>('storage.list', { alias: 'inbox', path: 'drops' })
    expect(listed.entries.map((entry) => entry.name)).toEqual(['drops/one.txt', 'drops/two.txt'])
  })

  it('moves a file into another folder of the same alias from the folder picker', async () => {
    plant(ctx, { 'shelf/book.txt': 'b', 'shelf/archive/old.txt': 'o' })
    const files = await openFiles(ctx)
    await files.entry('shelf').dblclick()
    const menu = await files.openMenu('book.txt')
    await menu.getByRole('menuitem', { name: 'Move to…' }).click()
    const dialog = files.page.getByRole('dialog', { name: 'Move “book.txt” to…' })
    // Where it is now: moving there would change nothing.
    expect(await dialog.getByRole('button', { name: 'Move here' }).isDisabled()).toBe(true)
    await dialog.getByRole('button', { name: 'archive' }).click()
    await dialog.getByText('Into default:/shelf/archive').waitFor()
    await dialog.getByRole('button', { name: 'Move here' }).click()
    await files.transfer('book.txt').and(files.page.locator('[data-state="done"]')).waitFor({ timeout: 20_000 })
    await files.entry('book.txt').waitFor({ state: 'detached' })
    expect(readFileSync(onDisk(ctx, 'shelf/archive/book.txt'), 'utf8')).toBe('b')
    expect(existsSync(onDisk(ctx, 'shelf/book.txt'))).toBe(false)
  })
})
