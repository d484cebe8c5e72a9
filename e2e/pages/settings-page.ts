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

  /** The read-only list of custom engine modules trusted to run. */
  get trustedModules(): Locator {
    return this.app.page.getByRole('region', { name: 'Trusted engine modules' })
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

  /**
   * A text, number or password box by its accessible name (the label without the key badge and
   * asterisk, both aria-hidden), in the whole form or in one group of it.
   */
  field(label: string, within: Locator = this.root): Locator {
    return within.getByRole('textbox', { name: label, exact: true })
  }

  async fill(label: string, value: string): Promise<void> {
    await this.field(label).fill(value)
  }

  /** A group of fields by its label: a nested object ("Credentials") or a list item ("Server 2"). */
  group(name: string, within: Locator = this.root): Locator {
    return within.getByRole('group', { name, exact: true })
  }

  /** Picks an engine from the select by its label ("SMTP server (smtp)", or a custom module's spec). */
  async chooseEngine(option: string): Promise<void> {
    await this.root.getByLabel('Engine').click()
    await this.app.page.getByRole('option', { name: option, exact: true }).click()
  }

  /** "Custom module…", then the module typed as an alias names it. */
  async typeCustomModule(spec: string): Promise<void> {
    await this.chooseEngine('Custom module…')
    await this.fill('Module', spec)
  }

  /** Loads a multi-line secret's value from a file, as "Load from file…" does (through its file input). */
  async loadSecretFile(label: string, file: { name: string; text: string }): Promise<void> {
    await this.root.getByLabel(`${label} file`, { exact: true }).setInputFiles({ name: file.name, mimeType: 'text/plain', buffer: Buffer.from(file.text) })
  }

  /** Shown when the engine is a custom module that is not trusted yet. */
  get trustAlert(): Locator {
    return this.root.getByRole('alert', { name: 'This engine module is not trusted' })
  }

  /** The inline error under a field (through aria-describedby, as a screen reader finds it), or null. */
  async errorOf(label: string | Locator): Promise<string | null> {
    const field = typeof label === 'string' ? this.field(label) : label
    const describedBy = (await field.getAttribute('aria-describedby')) ?? ''
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
