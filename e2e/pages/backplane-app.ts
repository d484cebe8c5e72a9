import type { Locator, Page } from 'playwright-core'
import type { RunningBackplane } from '../support/server'

/** The shell every page shares: sidebar, headings, colour scheme, keyboard shortcuts. */
export class BackplaneApp {
  constructor(
    readonly page: Page,
    readonly server: RunningBackplane,
  ) {}

  /** Opens the URL `backplane serve` printed (token included), at a route of the GUI. */
  static async open(page: Page, server: RunningBackplane, route = '/'): Promise<BackplaneApp> {
    await page.goto(`${server.url}#${route}`)
    const app = new BackplaneApp(page, server)
    await app.sidebar.waitFor()
    return app
  }

  get sidebar(): Locator {
    return this.page.getByRole('navigation', { name: 'Sections' })
  }

  sectionLink(label: string): Locator {
    return this.sidebar.getByRole('link', { name: label })
  }

  /** The page's title (each page has one h1). */
  get heading(): Locator {
    return this.page.getByRole('heading', { level: 1 })
  }

  async goTo(section: string): Promise<void> {
    await this.sectionLink(section).click()
    await this.waitForHeading(section)
  }

  async waitForHeading(text: string): Promise<void> {
    await this.page.getByRole('heading', { level: 1, name: text, exact: true }).waitFor()
  }

  /** Ctrl+N (Meta on macOS): the sidebar shortcuts. */
  async pressSectionShortcut(n: number): Promise<void> {
    await this.page.keyboard.press(`${process.platform === 'darwin' ? 'Meta' : 'Control'}+${n}`)
  }

  colorScheme(): Promise<string | null> {
    return this.page.locator('html').getAttribute('data-mantine-color-scheme')
  }

  /** The sidebar's Auto / Light / Dark switch (its radios are visually hidden; their control is what is clicked). */
  async chooseColorScheme(name: 'Follow the system' | 'Light' | 'Dark'): Promise<void> {
    await this.page.getByRole('radio', { name, exact: true }).locator('..').click()
  }

  /** A toast ("Saved", "Stored"…) with this text. */
  notification(text: string | RegExp): Locator {
    return this.page.locator('.mantine-Notification-root').filter({ hasText: text })
  }
}
