import type { Locator } from 'playwright-core'
import type { BackplaneApp } from './backplane-app'

/** Mail → Send test: compose a test message and send it through an alias. */
export class ComposePage {
  constructor(readonly app: BackplaneApp) {}

  static async open(app: BackplaneApp): Promise<ComposePage> {
    await app.goTo('Mail')
    await app.page.getByRole('tab', { name: 'Send test' }).click()
    const page = new ComposePage(app)
    await page.form.waitFor()
    return page
  }

  get form(): Locator {
    return this.app.page.getByRole('form', { name: 'Compose a message' })
  }

  async addRecipient(field: 'To' | 'Cc' | 'Bcc', address: string): Promise<void> {
    const input = this.form.getByRole('combobox', { name: field, exact: true })
    await input.fill(address)
    await input.press('Enter')
  }

  async write({ to, subject, text }: { to: string[]; subject: string; text: string }): Promise<void> {
    for (const address of to) await this.addRecipient('To', address)
    await this.form.getByRole('textbox', { name: 'Subject', exact: true }).fill(subject)
    await this.form.getByRole('textbox', { name: 'Text', exact: true }).fill(text)
  }

  async attach(files: { name: string; mimeType: string; buffer: Buffer }[]): Promise<void> {
    const chooser = this.app.page.waitForEvent('filechooser')
    await this.form.getByRole('button', { name: 'Attach files' }).click()
    await (await chooser).setFiles(files)
  }

  async send(): Promise<Locator> {
    await this.form.getByRole('button', { name: /^Send through/ }).click()
    const result = this.app.page.getByRole('region', { name: 'Send result' })
    await result.waitFor()
    return result
  }
}
