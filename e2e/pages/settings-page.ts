import type { Locator } from 'playwright-core'
import type { BackplaneApp } from './backplane-app'

const TAB_OF: Record<string, string> = { mail: 'Mail', data: 'Data', cache: 'Cache', auth: 'Auth', storage: 'Storage' }

export class SettingsPage {
  constructor(readonly app: BackplaneApp) {}

  static async open(app: BackplaneApp): Promise<SettingsPage> {
    await app.goTo('Settings')
    return new SettingsPage(app)
  }

  async showKind(kind: string): Promise<void> {
    await this.app.page.getByRole('tab', { name: TAB_OF[kind] }).click()
    await this.aliases(kind).or(this.app.page.getByText(`No ${kind} alias`)).first().waitFor()
  }

  aliases(kind: string): Locator {
    return this.app.page.getByRole('table', { name: `${TAB_OF[kind]} aliases` })
  }

  aliasRow(kind: string, name: string): Locator {
    return this.aliases(kind).getByRole('row').filter({ has: this.app.page.getByRole('button', { name: `Edit ${name}`, exact: true }) })
  }

  async edit(kind: string, name: string): Promise<AliasEditor> {
    await this.showKind(kind)
    await this.app.page.getByRole('button', { name: `Edit ${TAB_OF[kind]?.toLowerCase()} alias ${name}` }).click()
    return AliasEditor.waitOpen(this.app)
  }

  async duplicate(kind: string, name: string, newName: string): Promise<void> {
    await this.showKind(kind)
    await this.app.page.getByRole('button', { name: `Duplicate ${TAB_OF[kind]?.toLowerCase()} alias ${name}` }).click()
    const dialog = this.app.page.getByRole('dialog', { name: `Duplicate “${name}”` })
    await dialog.getByRole('textbox', { name: 'New name' }).fill(newName)
    await dialog.getByRole('button', { name: 'Duplicate' }).click()
    await dialog.waitFor({ state: 'hidden' })
  }

  /** Deletes an alias, answering the confirmation (which names the alias). */
  async delete(kind: string, name: string): Promise<void> {
    await this.showKind(kind)
    await this.app.page.getByRole('button', { name: `Delete ${TAB_OF[kind]?.toLowerCase()} alias ${name}` }).click()
    const confirm = this.app.page.getByRole('dialog', { name: `Delete the ${TAB_OF[kind]?.toLowerCase()} alias “${name}”?` })
    await confirm.getByRole('button', { name: `Delete “${name}”` }).click()
    await confirm.waitFor({ state: 'hidden' })
  }

  async add(kind: string): Promise<AliasEditor> {
    await this.showKind(kind)
    await this.app.page.getByRole('button', { name: `Add ${TAB_OF[kind]?.toLowerCase()} alias` }).click()
    return AliasEditor.waitOpen(this.app)
  }
}

/** The drawer with the alias's name, engine and generated options form. */
export class AliasEditor {
  constructor(
    readonly app: BackplaneApp,
    readonly root: Locator,
  ) {}

  static async waitOpen(app: BackplaneApp): Promise<AliasEditor> {
    const root = app.page.getByRole('dialog').filter({ has: app.page.getByRole('button', { name: 'Save' }) })
    await root.waitFor()
    return new AliasEditor(app, root)
  }

  /** A text, number or password box by its accessible name (the label without the key badge and asterisk, both aria-hidden). */
  field(label: string): Locator {
    return this.root.getByRole('textbox', { name: label, exact: true })
  }

  async fill(label: string, value: string): Promise<void> {
    await this.field(label).fill(value)
  }

  /** The inline error under a field (through aria-describedby, as a screen reader finds it), or null. */
  async errorOf(label: string): Promise<string | null> {
    const describedBy = (await this.field(label).getAttribute('aria-describedby')) ?? ''
    for (const id of describedBy.split(/\s+/).filter(Boolean)) {
      if (!id.endsWith('-error')) continue
      const error = this.app.page.locator(`[id="${id}"]`)
      if ((await error.count()) > 0) return ((await error.textContent()) ?? '').trim()
    }
    return null
  }

  async save(): Promise<void> {
    await this.root.getByRole('button', { name: 'Save' }).click()
  }

  async saveAndWaitClosed(): Promise<void> {
    await this.save()
    await this.root.waitFor({ state: 'hidden' })
  }

  /** Runs "Test" and waits for its report. */
  async test(): Promise<Locator> {
    await this.root.getByRole('button', { name: 'Test' }).click()
    const result = this.root.getByLabel('Test result')
    await result.waitFor()
    return result
  }

  async cancel(): Promise<void> {
    await this.root.getByRole('button', { name: 'Cancel' }).click()
    await this.root.waitFor({ state: 'hidden' })
  }
}
