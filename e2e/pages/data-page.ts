import type { Locator } from 'playwright-core'
import type { BackplaneApp } from './backplane-app'

export class DataPage {
  constructor(readonly app: BackplaneApp) {}

  static async open(app: BackplaneApp): Promise<DataPage> {
    await app.goTo('Data')
    return new DataPage(app)
  }

  table(name: string): Locator {
    return this.app.page.getByRole('table', { name: 'Tables' }).getByRole('row').filter({ hasText: name })
  }

  get sql(): Locator {
    return this.app.page.getByRole('textbox', { name: 'SQL statement' })
  }

  /** Types a statement and runs it with Ctrl/Cmd+Enter. */
  async run(statement: string): Promise<void> {
    await this.sql.fill(statement)
    await this.sql.press(`${process.platform === 'darwin' ? 'Meta' : 'Control'}+Enter`)
  }

  get result(): Locator {
    return this.app.page.getByRole('table', { name: 'Query result' })
  }

  get summary(): Locator {
    return this.app.page.getByLabel('Query summary')
  }
}
