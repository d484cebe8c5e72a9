import type { Locator, Page } from 'playwright-core'
import type { BackplaneApp } from './backplane-app'

export type AuthTab = 'Users' | 'Groups' | 'Login tester' | 'Hash inspector' | 'Audit log' | 'Protection'

/** The Auth section: its tabs, the user list and editor, the groups, the login tester, the audit log. */
export class AuthPage {
  constructor(readonly app: BackplaneApp) {}

  static async open(app: BackplaneApp): Promise<AuthPage> {
    await app.goTo('Auth')
    return new AuthPage(app)
  }

  get page(): Page {
    return this.app.page
  }

  async tab(name: AuthTab): Promise<void> {
    await this.page.getByRole('tab', { name, exact: true }).click()
    await this.page.getByRole('tab', { name, exact: true, selected: true }).waitFor()
  }

  get users(): Locator {
    return this.page.getByRole('table', { name: 'Users' })
  }

  user(username: string): Locator {
    return this.users.getByRole('row').filter({ has: this.page.getByRole('cell', { name: username, exact: true }) })
  }

  get newUserDialog(): Locator {
    return this.page.getByRole('dialog', { name: /^New user in/ })
  }

  /** The checks under a new password: each validator's line, with data-ok true or false. */
  passwordCheck(validator: string, within: Locator): Locator {
    return within.getByRole('group', { name: 'Password checks' }).getByLabel(new RegExp(`^${validator}: `))
  }

  async createUser(username: string, password: string): Promise<void> {
    await this.tab('Users')
    await this.page.getByRole('button', { name: 'New user' }).click()
    const dialog = this.newUserDialog
    await dialog.getByRole('textbox', { name: 'Username' }).fill(username)
    await dialog.getByLabel('Password', { exact: true }).fill(password)
    await dialog.getByRole('button', { name: 'Create user' }).click()
    await dialog.waitFor({ state: 'hidden' })
  }

  get editor(): Locator {
    return this.page.getByRole('dialog', { name: /^User “/ })
  }

  async openUser(username: string): Promise<Locator> {
    await this.user(username).click()
    await this.editor.getByRole('form', { name: 'Edit the user' }).waitFor()
    return this.editor
  }

  /** Picks options in a Mantine MultiSelect by typing and choosing each; leaving the field closes its list. */
  async pick(field: Locator, options: string[]): Promise<void> {
    for (const option of options) {
      await field.click()
      await field.fill(option)
      await this.page.getByRole('option', { name: option }).first().click()
    }
    await field.blur()
  }

  get loginForm(): Locator {
    return this.page.getByRole('form', { name: 'Test a login' })
  }

  /** Tries a login in the tester and returns the result block (which alias said what). */
  async tryLogin(username: string, password: string): Promise<Locator> {
    await this.tab('Login tester')
    await this.submitLogin(username, password)
    return this.page.getByRole('region', { name: 'Login result' })
  }

  /** Submits the tester's form with Enter and waits for the answer (a result or an error). */
  async submitLogin(username: string, password: string): Promise<void> {
    const before = await this.loginForm.getAttribute('data-settled-at')
    await this.loginForm.getByRole('textbox', { name: 'Username' }).fill(username)
    await this.loginForm.getByLabel('Password', { exact: true }).fill(password)
    await this.loginForm.getByLabel('Password', { exact: true }).press('Enter')
    // The form stamps each answer with when it came; a new stamp is this attempt's.
    await this.page.locator(`form[aria-label="Test a login"]:not([data-settled-at="${before ?? ''}"])`).waitFor()
  }
}
