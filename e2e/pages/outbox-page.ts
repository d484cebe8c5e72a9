import type { Locator } from 'playwright-core'
import type { BackplaneApp } from './backplane-app'

/** Mail → Outbox: the captured messages, one open on the right, and the capture settings tab. */
export class OutboxPage {
  constructor(readonly app: BackplaneApp) {}

  static async open(app: BackplaneApp): Promise<OutboxPage> {
    await app.goTo('Mail')
    const page = new OutboxPage(app)
    await page.app.page.getByRole('tab', { name: 'Outbox', selected: true }).waitFor()
    await page.searchBox.waitFor()
    return page
  }

  get list(): Locator {
    return this.app.page.getByRole('table', { name: 'Messages' })
  }

  /** The message rows (not the header row), newest first. */
  get rows(): Locator {
    return this.list.locator('[role="rowgroup"] [role="row"]')
  }

  row(subject: string): Locator {
    return this.rows.filter({ hasText: subject })
  }

  /** The subjects the list shows, top to bottom (the rows in view). */
  async subjects(): Promise<string[]> {
    const cells = await this.rows.locator('[role="cell"]:nth-child(4)').allTextContents()
    return cells.map((text) => text.trim())
  }

  /** The subject of the row the keyboard selection is on. */
  async selectedSubject(): Promise<string | null> {
    const selected = this.list.locator('[role="row"][aria-selected="true"] [role="cell"]:nth-child(4)')
    return (await selected.count()) === 0 ? null : ((await selected.textContent()) ?? '').trim()
  }

  isUnread(subject: string): Promise<boolean> {
    return this.row(subject)
      .getByRole('img', { name: 'unread' })
      .count()
      .then((n) => n > 0)
  }

  get searchBox(): Locator {
    return this.app.page.getByRole('textbox', { name: 'Search messages' })
  }

  async search(query: string): Promise<void> {
    await this.searchBox.fill(query)
  }

  get emptyState(): Locator {
    return this.app.page.getByText('No mail yet', { exact: true })
  }

  get captureUrl(): Locator {
    return this.app.page.getByLabel('Capture server URL')
  }

  get noResults(): Locator {
    return this.app.page.getByText('No messages match', { exact: true })
  }

  /** The open message (header, actions, tabs). */
  get message(): Locator {
    return this.app.page.getByRole('article', { name: 'Message' })
  }

  async openedSubject(): Promise<string> {
    return ((await this.message.getByRole('heading', { level: 2 }).textContent()) ?? '').trim()
  }

  async showTab(name: 'HTML' | 'Text' | 'Headers' | 'Raw' | 'Attachments' | 'Links'): Promise<void> {
    await this.message.getByRole('tab', { name: new RegExp(`^${name}`) }).click()
  }

  get htmlFrame(): Locator {
    return this.message.locator('iframe[title="Message HTML"]')
  }

  /** The document inside the sandboxed iframe (Playwright reaches into it; the page cannot). */
  get htmlContent() {
    return this.app.page.frameLocator('iframe[title="Message HTML"]')
  }

  async previewWidth(label: 'Phone 375' | 'Tablet 768' | 'Desktop'): Promise<void> {
    await this.message.getByText(label, { exact: true }).click()
  }

  async frameWidth(): Promise<number> {
    const box = await this.htmlFrame.boundingBox()
    if (!box) throw new Error('The message HTML frame is not visible.')
    return box.width
  }

  get rawSource(): Locator {
    return this.message.getByLabel('Raw message')
  }

  get attachments(): Locator {
    return this.message.getByRole('table', { name: 'Attachments' })
  }

  get links(): Locator {
    return this.message.getByRole('table', { name: 'Links' })
  }

  get dialog(): Locator {
    return this.app.page.getByRole('dialog')
  }

  /** Answers the open confirmation with its red button. */
  async confirm(label: string | RegExp): Promise<void> {
    await this.dialog.getByRole('button', { name: label }).click()
    await this.dialog.waitFor({ state: 'detached' })
  }

  async deleteAll(): Promise<string> {
    await this.app.page.getByRole('button', { name: 'Delete all', exact: true }).click()
    const title = (await this.dialog.locator('.mantine-Modal-title').textContent()) ?? ''
    await this.confirm(/^Delete \d+ messages?$/)
    return title
  }

  async openCaptureSettings(): Promise<Locator> {
    await this.app.page.getByRole('tab', { name: 'Capture settings' }).click()
    const form = this.app.page.getByRole('form', { name: 'Capture settings' })
    await form.waitFor()
    return form
  }
}
