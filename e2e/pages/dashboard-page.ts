import type { Locator } from 'playwright-core'
import type { BackplaneApp } from './backplane-app'

export class DashboardPage {
  constructor(readonly app: BackplaneApp) {}

  static async open(app: BackplaneApp): Promise<DashboardPage> {
    await app.goTo('Dashboard')
    return new DashboardPage(app)
  }

  /** One alias's row: state badge, engine, latency, check-now button. */
  alias(kind: string, name: string): Locator {
    return this.app.page.getByRole('group', { name: `${kind} alias ${name}` })
  }

  /** The state the row's badge shows ("healthy", "down"…). */
  async stateOf(kind: string, name: string): Promise<string> {
    const badge = this.alias(kind, name).locator('.mantine-Badge-root').first()
    return ((await badge.textContent()) ?? '').trim().toLowerCase()
  }

  async checkNow(): Promise<void> {
    const button = this.app.page.getByRole('button', { name: 'Check now' })
    await button.click()
    // The button shows a spinner (and is disabled) until every check has answered.
    // A locator, not waitForFunction("…"): Playwright evaluates a string with eval, which the page's CSP refuses.
    await this.app.page.locator('button[data-loading]').first().waitFor({ state: 'detached' })
  }

  get captureServer(): Locator {
    return this.app.page.getByRole('region', { name: 'SMTP capture server' })
  }
}
