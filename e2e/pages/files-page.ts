import type { Locator } from 'playwright-core'
import type { BackplaneApp } from './backplane-app'

export class FilesPage {
  constructor(readonly app: BackplaneApp) {}

  static async open(app: BackplaneApp): Promise<FilesPage> {
    await app.goTo('Files')
    return new FilesPage(app)
  }

  entry(name: string): Locator {
    return this.app.page.getByRole('table', { name: 'Files' }).getByRole('row').filter({ hasText: name })
  }

  async upload(files: { name: string; mimeType: string; buffer: Buffer }[]): Promise<void> {
    const chooser = this.app.page.waitForEvent('filechooser')
    await this.app.page.getByRole('button', { name: 'Upload files' }).click()
    await (await chooser).setFiles(files)
  }

  get uploads(): Locator {
    return this.app.page.getByRole('region', { name: 'Uploads' })
  }

  get preview(): Locator {
    return this.app.page.getByRole('region', { name: 'File preview' })
  }

  async deletePreviewed(): Promise<void> {
    await this.preview.getByRole('button', { name: 'Delete' }).click()
    await this.app.page.getByRole('dialog').getByRole('button', { name: 'Delete file' }).click()
  }
}
