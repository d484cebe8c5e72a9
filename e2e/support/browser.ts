import { accessSync, constants, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core'

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const SCREENSHOT_DIR = join(import.meta.dirname, '..', '..', 'test-results', 'e2e')

/** Quiet, headless, no network side trips: the tests talk only to the loopback server. */
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']

export function chromiumInstalled(): boolean {
  try {
    accessSync(CHROMIUM_PATH, constants.X_OK)
    return true
  } catch {
    return false
  }
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS })
}

export async function newPage(browser: Browser, options: BrowserContextOptions = {}): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...options })
  const page = await context.newPage()
  page.setDefaultTimeout(10_000)
  return page
}

/** test-results/e2e/<test name>.png, for looking at what the page showed when a test failed. */
export async function screenshotOnFailure(page: Page, testName: string): Promise<string | undefined> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true })
  const file = join(SCREENSHOT_DIR, `${testName.replace(/[^\w.-]+/g, '_').slice(0, 120)}.png`)
  try {
    await page.screenshot({ path: file, fullPage: true })
    return file
  } catch {
    return undefined
  }
}
