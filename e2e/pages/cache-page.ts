import type { Locator } from 'playwright-core'
import type { BackplaneApp } from './backplane-app'

export class CachePage {
  constructor(readonly app: BackplaneApp) {}

  static async open(app: BackplaneApp): Promise<CachePage> {
    await app.goTo('Cache')
    return new CachePage(app)
  }

  key(name: string): Locator {
    return this.app.page.getByRole('table', { name: 'Cache keys' }).getByRole('row').filter({ hasText: name })
  }

  async store(key: string, json: string, timeout?: number): Promise<void> {
    const form = this.app.page.getByRole('form', { name: 'Store a key' })
    await form.getByRole('textbox', { name: 'Key', exact: true }).fill(key)
    await form.getByRole('textbox', { name: 'Value (JSON)' }).fill(json)
    if (timeout !== undefined) await form.getByRole('textbox', { name: 'Timeout (seconds)' }).fill(String(timeout))
    await form.getByRole('button', { name: 'Store' }).click()
  }

  get selected(): Locator {
    return this.app.page.getByRole('region', { name: 'Selected key' })
  }

  /** Deletes the selected key, answering the confirmation. */
  async deleteSelected(): Promise<void> {
    await this.selected.getByRole('button', { name: 'Delete' }).click()
    await this.app.page.getByRole('dialog').getByRole('button', { name: 'Delete key' }).click()
  }
}
