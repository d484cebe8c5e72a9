import type { Locator, Page } from 'playwright-core'
import type { BackplaneApp } from './backplane-app'

interface UploadFile {
  name: string
  mimeType: string
  buffer: Buffer
}

/** The Files section: the listing (a listbox of entries), its toolbar, the side panel and the transfers panel. */
export class FilesPage {
  constructor(readonly app: BackplaneApp) {}

  static async open(app: BackplaneApp): Promise<FilesPage> {
    await app.goTo('Files')
    return new FilesPage(app)
  }

  get page(): Page {
    return this.app.page
  }

  /** The listing, in list or grid view. */
  get list(): Locator {
    return this.page.getByRole('listbox', { name: /^Files in / })
  }

  entry(name: string): Locator {
    return this.list.getByRole('option', { name, exact: true })
  }

  selectedNames(): Promise<string[]> {
    return this.list.locator('[role="option"][aria-selected="true"]').evaluateAll((options) => options.map((o) => o.getAttribute('aria-label') ?? ''))
  }

  /** The hidden file picker, as the Upload menu's "Files…" opens it. */
  async upload(files: UploadFile[]): Promise<void> {
    await this.page.locator('input[type="file"][aria-label="Upload files"]').setInputFiles(files)
  }

  /** The folder picker (webkitdirectory): a local directory, uploaded with its tree. */
  async uploadFolder(directory: string): Promise<void> {
    await this.page.locator('input[type="file"][aria-label="Upload a folder"]').setInputFiles(directory)
  }

  get transfers(): Locator {
    return this.page.getByRole('region', { name: 'Transfers' })
  }

  /** Kept for the older stories: the uploads are in the transfers panel now. */
  get uploads(): Locator {
    return this.transfers
  }

  transfer(label: string | RegExp): Locator {
    return this.transfers.getByRole('listitem').filter({ hasText: label })
  }

  get preview(): Locator {
    return this.page.getByRole('region', { name: 'File preview' })
  }

  get breadcrumbs(): Locator {
    return this.page.getByRole('navigation', { name: 'Folder' })
  }

  get filter(): Locator {
    return this.page.getByRole('textbox', { name: 'Filter by name' })
  }

  async openMenu(name: string): Promise<Locator> {
    await this.entry(name).click({ button: 'right' })
    const menu = this.page.getByRole('menu')
    await menu.waitFor()
    return menu
  }

  async deletePreviewed(): Promise<void> {
    await this.preview.getByRole('button', { name: 'Delete' }).click()
    await this.page.getByRole('dialog').getByRole('button', { name: /^Delete \d/ }).click()
  }

  async chooseView(view: 'List view' | 'Grid view'): Promise<void> {
    await this.page.getByRole('radiogroup', { name: 'View' }).getByLabel(view).click()
  }
}

/** What the page computed for an element (the e2e project has no DOM types: the browser's objects are reached through ownerDocument). */
export function colourOf(locator: Locator, of: 'color' | 'background-color' = 'color'): Promise<string> {
  return locator.evaluate((el, property) => el.ownerDocument.defaultView?.getComputedStyle(el).getPropertyValue(property) ?? '', of)
}

/** The width an <img> decoded to: 0 until the image loaded (or when it failed). */
export function naturalWidthOf(image: Locator): Promise<number> {
  return image.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)
}

/** Where a text input's selection starts and ends. */
export function selectionOf(input: Locator): Promise<[number | null, number | null]> {
  return input.evaluate((el) => {
    const field = el as unknown as { selectionStart: number | null; selectionEnd: number | null }
    return [field.selectionStart, field.selectionEnd]
  })
}
