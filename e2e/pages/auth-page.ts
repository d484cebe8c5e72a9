import type { Locator } from 'playwright-core'
import type { BackplaneApp } from './backplane-app'

export class AuthPage {
  constructor(readonly app: BackplaneApp) {}

  static async open(app: BackplaneApp): Promise<AuthPage> {
    await app.goTo('Auth')
    return new AuthPage(app)
  }

  user(username: string): Locator {
    return this.app.page.getByRole('table', { name: 'Users' }).getByRole('row').filter({ hasText: username })
  }

  async createUser(username: string, password: string): Promise<void> {
    await this.app.page.getByRole('button', { name: 'New user' }).click()
    const dialog = this.app.page.getByRole('dialog')
    await dialog.getByRole('textbox', { name: 'Username' }).fill(username)
    await dialog.getByLabel('Password', { exact: true }).fill(password)
    await dialog.getByRole('button', { name: 'Create user' }).click()
    await dialog.waitFor({ state: 'hidden' })
  }

  /** Tries a login and returns the result block (which alias said what). */
  async tryLogin(username: string, password: string): Promise<Locator> {
    const form = this.app.page.getByRole('form', { name: 'Test a login' })
    await form.getByRole('textbox', { name: 'Username' }).fill(username)
    await form.getByLabel('Password', { exact: true }).fill(password)
    await form.getByRole('button', { name: 'Try it' }).click()
    const result = form.getByLabel('Login result')
    await result.waitFor()
    return result
  }
}
