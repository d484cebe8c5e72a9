import type { Locator, Page } from 'playwright-core'
import type { BackplaneApp } from './backplane-app'

/** The Data section's connection tree and a table's tab, as a user drives them. */
export class DataTablePage {
  constructor(readonly app: BackplaneApp) {}

  static async open(app: BackplaneApp): Promise<DataTablePage> {
    await app.goTo('Data')
    const opened = new DataTablePage(app)
    await opened.tree.waitFor()
    return opened
  }

  get page(): Page {
    return this.app.page
  }

  get tree(): Locator {
    return this.page.getByRole('tree', { name: 'Connection tree' })
  }

  treeItem(kind: 'schema' | 'table' | 'column' | 'djangoRoot' | 'djangoApp' | 'migration', name: string): Locator {
    return this.tree.locator(`[role=treeitem][data-kind="${kind}"][data-name="${name}"]`)
  }

  /** Clicks the table in the tree, which opens (or shows) its tab. */
  async openTable(name: string): Promise<Locator> {
    await this.treeItem('table', name).click()
    const grid = this.grid(name)
    await grid.waitFor()
    return grid
  }

  grid(table: string): Locator {
    return this.page.getByRole('grid', { name: `Rows of ${table}` })
  }

  /** Row n (1-based, as the gutter numbers them) of the loaded rows. */
  row(table: string, n: number): Locator {
    return this.grid(table).locator(`[role=row][aria-rowindex="${n + 1}"]`)
  }

  cell(table: string, n: number, column: string): Locator {
    return this.row(table, n).locator(`[role=gridcell][data-column="${column}"]`)
  }

  header(table: string, column: string): Locator {
    return this.grid(table).locator(`[role=columnheader][data-column="${column}"]`)
  }

  get rowsLoaded(): Locator {
    return this.page.getByLabel('Rows loaded').filter({ visible: true })
  }

  /** Scrolls the grid to its end, where the next page loads. */
  async scrollToEnd(table: string): Promise<void> {
    await this.grid(table).evaluate((element) => element.scrollTo({ top: element.scrollHeight }))
  }

  async addFilter(column: string, operator: string, value: string): Promise<void> {
    const filters = this.page.getByRole('group', { name: 'Filters' }).filter({ visible: true })
    await filters.getByLabel('Filter column').click()
    await this.page.getByRole('option', { name: column, exact: true }).click()
    await filters.getByLabel('Filter operator').click()
    await this.page.getByRole('option', { name: operator, exact: true }).click()
    const input = filters.getByRole('textbox', { name: 'Filter value' })
    await input.fill(value)
    await input.press('Enter')
  }

  /** Double-clicks a cell, types the value and keeps it with Enter. */
  async editCell(table: string, n: number, column: string, value: string): Promise<void> {
    await this.cell(table, n, column).dblclick()
    const input = this.grid(table).getByRole('textbox', { name: 'Cell value' })
    await input.fill(value)
    await input.press('Enter')
  }

  get reviewDialog(): Locator {
    return this.page.getByRole('dialog', { name: 'Review and commit' })
  }
}
