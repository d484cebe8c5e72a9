import { existsSync, readFileSync } from 'node:fs'
import { expect, it } from 'vitest'
import { colourOf, naturalWidthOf, selectionOf } from './pages/files-page'
import { describeE2E } from './support/e2e-suite'
import { onDisk, openFolder, plant } from './support/default-files'

// The Files section on the default alias: the filesystem storage at <data dir>/files. Each story puts
// its files in a folder of its own there, straight on disk, and checks the disk after acting in the GUI.

/** A 2×2 PNG: four red pixels. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEklEQVR4nGP4z8AARAwQCgQAwB4H/Uw0GrkAAAAASUVORK5CYII=', 'base64')

/** A one-page PDF that says "Hello PDF" (the cross-reference table counts bytes, so it is built, not typed). */
function helloPdf(): Buffer {
  const text = 'BT /F1 24 Tf 40 70 Td (Hello PDF) Tj ET'
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 144] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${text.length} >>\nstream\n${text}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ]
  let pdf = '%PDF-1.4\n'
  const offsets = objects.map((body, i) => {
    const at = pdf.length
    pdf += `${i + 1} 0 obj\n${body}\nendobj\n`
    return at
  })
  const xref = pdf.length
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`
  return Buffer.from(pdf, 'latin1')
}

describeE2E('Files: browsing, previews and file operations', (ctx) => {
  it('previews an image, and a Python file highlighted in its language', async () => {
    plant(ctx, { 'preview/dot.png': PNG, 'preview/hello.py': 'def greet(name):\n    return f"hello {name}"  # says hello\n' })
    const files = await openFolder(ctx, 'preview')
    await files.entry('dot.png').click()
    const image = files.preview.getByRole('img', { name: 'Preview of dot.png' })
    await image.waitFor()
    await expect.poll(() => naturalWidthOf(image)).toBe(2)
    // The details come from storage.stat: the size in bytes, the local path on this engine.
    await files.preview.getByRole('table', { name: 'Details' }).getByText(`${PNG.length} bytes`, { exact: false }).waitFor()

    await files.entry('hello.py').click()
    const text = files.preview.getByRole('region', { name: 'Text preview' })
    await expect.poll(() => text.getAttribute('data-language')).toBe('Python')
    await text.getByText('says hello', { exact: false }).waitFor()
    // Highlighted: the keyword is a token of its own with a colour unlike the plain text's.
    const keyword = text.locator('.cm-line span', { hasText: /^def$/ })
    await keyword.waitFor()
    expect(await colourOf(keyword)).not.toBe(await colourOf(text.locator('.cm-line').first()))
  })

  it('offers a download instead of previewing a text file over the 10 MiB cap, and the download is the file', async () => {
    plant(ctx, { 'huge/big.log': Buffer.alloc(11 * 1024 * 1024, 'x'), 'huge/small.log': 'small log\n' })
    const files = await openFolder(ctx, 'huge')
    await files.entry('big.log').click()
    await files.preview.getByText('is more than a preview shows (10 MiB)', { exact: false }).waitFor()
    expect(await files.preview.getByRole('region', { name: 'Text preview' }).count()).toBe(0)
    await files.entry('small.log').click()
    const [download] = await Promise.all([files.page.waitForEvent('download'), files.preview.getByRole('button', { name: 'Download' }).first().click()])
    expect(download.suggestedFilename()).toBe('small.log')
    const saved = await download.path()
    expect(readFileSync(saved, 'utf8')).toBe('small log\n')
  })

  it('previews a PDF in a frame from the inline URL', async () => {
    plant(ctx, { 'pdf/hello.pdf': helloPdf() })
    const files = await openFolder(ctx, 'pdf')
    const [response] = await Promise.all([
      files.page.waitForResponse((r) => r.url().includes('/api/v1/storage/default/pdf/hello.pdf?inline=1')),
      files.entry('hello.pdf').click(),
    ])
    await files.preview.locator('iframe[title="Preview of hello.pdf"]').waitFor()
    expect(response.status()).toBe(200)
    expect(response.headers()['content-type']).toBe('application/pdf')
    expect(response.headers()['content-disposition']).toMatch(/^inline/)
  })

  it('renames with F2, keeping the extension selected out, and refuses a taken name with its hint', async () => {
    plant(ctx, { 'rename/draft.txt': 'draft', 'rename/taken.txt': 'taken' })
    const files = await openFolder(ctx, 'rename')
    await files.entry('draft.txt').click()
    await files.page.keyboard.press('F2')
    const dialog = files.page.getByRole('dialog', { name: 'Rename “draft.txt”' })
    const input = dialog.getByRole('textbox', { name: 'New name' })
    // Typing replaces the stem only: the selection stops before ".txt".
    await expect.poll(() => selectionOf(input)).toEqual([0, 5])
    await files.page.keyboard.type('taken')
    await files.page.keyboard.press('Enter')
    await dialog.getByRole('alert').filter({ hasText: 'E_EXISTS' }).waitFor()
    await input.fill('final.txt')
    await files.page.keyboard.press('Enter')
    await dialog.waitFor({ state: 'hidden' })
    await files.entry('final.txt').waitFor()
    expect(readFileSync(onDisk(ctx, 'rename/final.txt'), 'utf8')).toBe('draft')
    expect(existsSync(onDisk(ctx, 'rename/draft.txt'))).toBe(false)
    // The renamed file is the one selected.
    expect(await files.selectedNames()).toEqual(['final.txt'])
  })

  it('drags a selection onto a folder to move it, onto a breadcrumb to move it back up, and with Alt to copy', async () => {
    plant(ctx, { 'drag/a.txt': 'a', 'drag/b.txt': 'b', 'drag/stays.txt': 's', 'drag/into/keep.txt': 'k' })
    const files = await openFolder(ctx, 'drag')
    await files.entry('a.txt').click()
    await files.entry('b.txt').click({ modifiers: ['ControlOrMeta'] })
    // Dragging one of the selected takes the whole selection.
    await files.entry('a.txt').dragTo(files.entry('into'))
    await files.entry('a.txt').waitFor({ state: 'detached' })
    await files.entry('b.txt').waitFor({ state: 'detached' })
    expect(readFileSync(onDisk(ctx, 'drag/into/a.txt'), 'utf8')).toBe('a')
    expect(readFileSync(onDisk(ctx, 'drag/into/b.txt'), 'utf8')).toBe('b')
    expect(existsSync(onDisk(ctx, 'drag/a.txt'))).toBe(false)
    expect(existsSync(onDisk(ctx, 'drag/stays.txt'))).toBe(true)
    // A folder never takes a drop into itself: nothing moves.
    await files.entry('into').dragTo(files.entry('into'))
    expect(existsSync(onDisk(ctx, 'drag/into/keep.txt'))).toBe(true)

    await files.entry('into').dblclick()
    await files.breadcrumbs.getByText('into', { exact: true }).waitFor()
    await files.entry('a.txt').click()
    await files.entry('a.txt').dragTo(files.breadcrumbs.getByRole('button', { name: 'drag', exact: true }))
    await files.entry('a.txt').waitFor({ state: 'detached' })
    expect(readFileSync(onDisk(ctx, 'drag/a.txt'), 'utf8')).toBe('a')

    // Alt held at the drop copies: the file stays where it was too.
    await files.page.keyboard.down('Alt')
    await files.entry('b.txt').dragTo(files.breadcrumbs.getByRole('button', { name: 'drag', exact: true }))
    await files.page.keyboard.up('Alt')
    await expect.poll(() => existsSync(onDisk(ctx, 'drag/b.txt')), { timeout: 10_000 }).toBe(true)
    expect(readFileSync(onDisk(ctx, 'drag/into/b.txt'), 'utf8')).toBe('b')
  })

  it('deletes a selection after a confirmation that counts the files in its folders', async () => {
    plant(ctx, { 'trash/old/a.txt': 'a', 'trash/old/b.txt': 'b', 'trash/old/deeper/c.txt': 'c', 'trash/loose.txt': 'l', 'trash/keep.txt': 'k' })
    const files = await openFolder(ctx, 'trash')
    await files.entry('old').click()
    await files.entry('loose.txt').click({ modifiers: ['ControlOrMeta'] })
    expect((await files.selectedNames()).sort()).toEqual(['loose.txt', 'old'])
    await files.page.keyboard.press('Delete')
    const dialog = files.page.getByRole('dialog', { name: 'Delete 2 items?' })
    // Three files inside "old" (one in a folder below it) and the loose one; folders "old" and "deeper".
    const confirm = dialog.getByRole('button', { name: 'Delete 4 files and 2 folders' })
    await confirm.waitFor()
    await dialog.getByLabel('What will be deleted').filter({ hasText: '4 files in 2 folders' }).waitFor()
    await confirm.click()
    await dialog.waitFor({ state: 'hidden' })
    await files.entry('old').waitFor({ state: 'detached' })
    expect(existsSync(onDisk(ctx, 'trash/old'))).toBe(false)
    expect(existsSync(onDisk(ctx, 'trash/loose.txt'))).toBe(false)
    expect(existsSync(onDisk(ctx, 'trash/keep.txt'))).toBe(true)
  })

  it('moves through folders with the keyboard: arrows, Enter, Backspace, Shift to extend, Ctrl+A, / to filter', async () => {
    plant(ctx, { 'keys/alpha/inside.txt': 'x', 'keys/beta/inside.txt': 'y', 'keys/one.txt': '1', 'keys/two.txt': '2', 'keys/three.txt': '3' })
    const files = await openFolder(ctx, 'keys')
    await files.list.focus()
    // Folders first, then files by name: alpha, beta, one.txt, three.txt, two.txt.
    await files.page.keyboard.press('ArrowDown')
    await files.page.keyboard.press('ArrowDown')
    expect(await files.selectedNames()).toEqual(['beta'])
    await files.page.keyboard.press('Enter')
    await files.breadcrumbs.getByText('beta', { exact: true }).waitFor()
    await files.entry('inside.txt').waitFor()
    await files.page.keyboard.press('Backspace')
    await files.entry('one.txt').waitFor()
    // Back up, the folder just left is selected, so the arrows carry on from it.
    expect(await files.selectedNames()).toEqual(['beta'])
    await files.page.keyboard.press('Shift+ArrowDown')
    await files.page.keyboard.press('Shift+ArrowDown')
    expect(await files.selectedNames()).toEqual(['beta', 'one.txt', 'three.txt'])
    await files.page.keyboard.press('ControlOrMeta+a')
    expect(await files.selectedNames()).toHaveLength(5)
    await files.page.getByLabel('Entry count').filter({ hasText: '5 selected' }).waitFor()
    await files.page.keyboard.press('/')
    await files.page.keyboard.type('t')
    // beta, one.txt, three.txt and two.txt contain a t; alpha does not.
    await files.entry('alpha').waitFor({ state: 'detached' })
    expect(await files.list.getByRole('option').evaluateAll((o) => o.map((e) => e.getAttribute('aria-label')))).toEqual(['beta', 'one.txt', 'three.txt', 'two.txt'])
    // From the filter, ArrowDown goes into the list; Enter on a file opens its preview.
    await files.page.keyboard.press('ArrowDown')
    await files.page.keyboard.press('End')
    await files.page.keyboard.press('Enter')
    const preview = files.page.getByRole('dialog', { name: 'two.txt' })
    await preview.locator('.cm-content').getByText('2', { exact: true }).waitFor()
    await files.page.keyboard.press('Escape')
    await preview.waitFor({ state: 'hidden' })
    // Alt+↑ goes up too.
    await files.list.focus()
    await files.page.keyboard.press('Alt+ArrowUp')
    await files.entry('keys').waitFor()
  })

  it('offers every action from the context menu, and makes a new folder from the empty space', async () => {
    plant(ctx, { 'menu/report.txt': 'r' })
    const files = await openFolder(ctx, 'menu')
    const menu = await files.openMenu('report.txt')
    for (const item of ['Preview', 'Download', 'Rename…', 'Copy to…', 'Move to…', 'Copy URL', 'Delete…']) await menu.getByRole('menuitem', { name: item }).waitFor()
    await files.page.keyboard.press('Escape')
    await files.page.getByRole('button', { name: 'New folder' }).click()
    const dialog = files.page.getByRole('dialog', { name: /New folder/ })
    await dialog.getByRole('textbox', { name: 'Folder name' }).fill('made here')
    await dialog.getByRole('button', { name: 'Create folder' }).click()
    await files.entry('made here').waitFor()
    expect(existsSync(onDisk(ctx, 'menu/made here'))).toBe(true)
  })

  it('shows images as thumbnails in the grid view', async () => {
    plant(ctx, { 'grid/dot.png': PNG, 'grid/notes.txt': 'n' })
    const files = await openFolder(ctx, 'grid')
    await files.chooseView('Grid view')
    const thumb = files.entry('dot.png').locator('img')
    await thumb.waitFor()
    await expect.poll(() => naturalWidthOf(thumb)).toBe(2)
    expect(await files.entry('notes.txt').locator('img').count()).toBe(0)
    await files.chooseView('List view')
  })

  it('renders in dark mode: the listing on a dark background with light text', async () => {
    plant(ctx, { 'dark/readme.md': '# dark' })
    const files = await openFolder(ctx, 'dark')
    await files.app.chooseColorScheme('Dark')
    expect(await files.app.colorScheme()).toBe('dark')
    await files.entry('readme.md').click()
    const luminance = (rgb: string) => {
      const [r = 0, g = 0, b = 0] = (rgb.match(/\d+(\.\d+)?/g) ?? []).map(Number)
      return 0.2126 * r + 0.7152 * g + 0.0722 * b
    }
    expect(luminance(await colourOf(files.page.locator('body'), 'background-color'))).toBeLessThan(60)
    expect(luminance(await colourOf(files.entry('readme.md')))).toBeGreaterThan(150)
    await files.preview.getByRole('region', { name: 'Text preview' }).getByText('# dark').waitFor()
    await files.app.chooseColorScheme('Light')
  })

  it('filters a big folder by name on the server, finding names in pages not loaded yet', async () => {
    plant(ctx, Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`haystack/f${String(i).padStart(5, '0')}.txt`, ''])))
    const files = await openFolder(ctx, 'haystack')
    const count = files.page.getByLabel('Entry count')
    await count.filter({ hasText: /^1,000 entries loaded so far/ }).waitFor()
    await files.list.focus()
    await files.page.keyboard.press('/')
    // In the third page, which the listing has not loaded; the case does not matter.
    await files.page.keyboard.type('F02999')
    await files.entry('f02999.txt').waitFor()
    await count.filter({ hasText: /^1 match$/ }).waitFor()
    expect(await files.list.getByRole('option').count()).toBe(1)
    await files.filter.fill('no such name')
    await files.page.getByText('No matches').waitFor()
    await files.page.getByRole('button', { name: 'Clear the filter' }).click()
    await count.filter({ hasText: /^1,000 entries loaded so far/ }).waitFor()
  })

  it('pages a big folder in as it scrolls, keeping only the visible rows in the page', async () => {
    const many = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`many/f${String(i).padStart(5, '0')}.txt`, '']))
    plant(ctx, many)
    const files = await openFolder(ctx, 'many')
    const count = files.page.getByLabel('Entry count')
    await count.filter({ hasText: /^1,000 entries loaded so far/ }).waitFor()
    // A screenful of rows and a few more, not a thousand.
    expect(await files.list.getByRole('option').count()).toBeLessThan(80)
    // Scrolling to the end asks for the next page, until there is none.
    for (let page = 2; page <= 5; page++) {
      await files.list.evaluate((el) => el.scrollTo({ top: el.scrollHeight }))
      await count.filter({ hasText: new RegExp(`^${(page * 1000).toLocaleString('en')} entries`) }).waitFor()
    }
    await count.filter({ hasText: /^5,000 entries$/ }).waitFor()
    await files.list.evaluate((el) => el.scrollTo({ top: el.scrollHeight }))
    await files.entry('f04999.txt').waitFor()
    expect(await files.list.getByRole('option').count()).toBeLessThan(80)
    // End from the top selects the last entry and brings it into view.
    await files.list.evaluate((el) => el.scrollTo({ top: 0 }))
    await files.entry('f00000.txt').click()
    await files.page.keyboard.press('End')
    expect(await files.selectedNames()).toEqual(['f04999.txt'])
  })
})
