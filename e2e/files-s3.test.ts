import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { startS3Server, type S3TestServer } from '../test/support/s3-server'
import { BackplaneApp } from './pages/backplane-app'
import { FilesPage } from './pages/files-page'
import { describeE2E, type E2EContext } from './support/e2e-suite'

// The file browser on an S3 bucket (s3rver, started here, so this never skips): a local folder copied
// into the bucket as a cross-alias transfer, an upload, its ETag, and a presigned URL that works without Backplane.

let s3: S3TestServer | undefined
beforeAll(async () => {
  s3 = await startS3Server()
})
afterAll(async () => {
  await s3?.stop()
})

async function addBucket(ctx: E2EContext): Promise<void> {
  if (!s3) throw new Error('s3rver did not start')
  await ctx.server.rpc('settings.saveAlias', {
    kind: 'storage',
    name: 'bucket',
    engine: 's3',
    options: { endpoint: s3.endpoint, region: s3.region, bucket: 'backplane-test', accessKeyId: s3.accessKeyId },
    secrets: { secretAccessKey: s3.secretAccessKey },
  })
}

async function chooseAlias(files: FilesPage, name: string): Promise<void> {
  await files.page.getByRole('combobox', { name: 'Storage alias' }).click()
  await files.page.getByRole('option', { name: new RegExp(`^${name} ·`) }).click()
}

describeE2E('Files: an S3 bucket', (ctx) => {
  it('copies a local folder into the bucket as one transfer, and browses it there', async () => {
    await addBucket(ctx)
    for (const [name, content] of Object.entries({ 'site/index.html': '<h1>hi</h1>', 'site/css/site.css': 'body{}', 'site/img/a.txt': 'a' })) {
      const path = join(ctx.server.home, 'files', name)
      mkdirSync(dirname(path), { recursive: true })
      writeFileSync(path, content)
    }
    const files = await FilesPage.open(await BackplaneApp.open(await ctx.open(), ctx.server))
    const menu = await files.openMenu('site')
    await menu.getByRole('menuitem', { name: 'Copy to…' }).click()
    const dialog = files.page.getByRole('dialog', { name: 'Copy “site” to…' })
    await dialog.getByRole('combobox', { name: 'Storage alias' }).click()
    await files.page.getByRole('option', { name: /^bucket ·/ }).click()
    await dialog.getByRole('button', { name: 'Copy here' }).click()
    const transfer = files.transfer('site → bucket:')
    await transfer.and(files.page.locator('[data-state="done"]')).waitFor({ timeout: 20_000 })
    await transfer.getByText('3 of 3 files', { exact: false }).waitFor()

    await chooseAlias(files, 'bucket')
    // Prefixes are folders: site/, and css/ and img/ inside it.
    await files.entry('site').dblclick()
    await files.entry('css').waitFor()
    await files.entry('img').waitFor()
    await files.entry('index.html').waitFor()
  })

  it('uploads into the bucket, shows the ETag, and copies a presigned URL that serves the file without Backplane', async () => {
    await addBucket(ctx)
    const files = await FilesPage.open(await BackplaneApp.open(await ctx.open(), ctx.server))
    await chooseAlias(files, 'bucket')
    await files.upload([{ name: 'signed.txt', mimeType: 'text/plain', buffer: Buffer.from('presigned content') }])
    await files.transfer('signed.txt').and(files.page.locator('[data-state="done"]')).waitFor({ timeout: 20_000 })
    await files.entry('signed.txt').click()
    await files.preview.getByRole('table', { name: 'Details' }).getByText('ETag').waitFor()
    await files.preview.getByRole('button', { name: 'Copy presigned URL' }).click()
    const shown = files.preview.getByLabel('Presigned URL', { exact: true })
    await shown.waitFor()
    const url = (await shown.locator('code').textContent())?.trim() ?? ''
    expect(url).toContain('X-Amz-Signature=')
    expect(await shown.textContent()).toMatch(/until/)
    // No cookie, no token: the URL alone.
    const response = await fetch(url)
    expect(response.status).toBe(200)
    expect(await response.text()).toBe('presigned content')
  })
})
