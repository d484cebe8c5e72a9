import type { Browser, BrowserContextOptions, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, it } from 'vitest'
import { CHROMIUM_PATH, chromiumInstalled, launchChromium, newPage, screenshotOnFailure } from './browser'
import { startBackplane, type RunningBackplane } from './server'

export interface E2EContext {
  /** The server of this file (started once, fresh home); tests may restart it with restart(). */
  readonly server: RunningBackplane
  readonly browser: Browser
  /** A page of its own for the current test (closed after it; screenshotted if it failed). */
  open(options?: BrowserContextOptions): Promise<Page>
  /** Stops the server and starts it again on the same data directory, token and port; `whileDown` runs in between. */
  restart(whileDown?: () => Promise<void>): Promise<RunningBackplane>
}

/**
 * `describe` for GUI stories: one `backplane serve` and one Chromium per file, a page per test. Without
 * Chromium the block is skipped with one line, or, with BACKPLANE_REQUIRE_SERVICES=1 (CI), fails.
 */
export function describeE2E(title: string, body: (ctx: E2EContext) => void): void {
  if (!chromiumInstalled()) {
    if (process.env.BACKPLANE_REQUIRE_SERVICES === '1') {
      describe(title, () => {
        it('needs Chromium', () => {
          throw new Error(`Chromium is required (BACKPLANE_REQUIRE_SERVICES=1) but ${CHROMIUM_PATH} is not there: apt-get install chromium, or set CHROMIUM_PATH`)
        })
      })
      return
    }
    process.stdout.write(`skipped ${title}: no Chromium at ${CHROMIUM_PATH} (apt-get install chromium, or set CHROMIUM_PATH)\n`)
    describe.skip(title, () => body(unavailable()))
    return
  }
  describe(title, () => {
    let server: RunningBackplane | undefined
    let browser: Browser | undefined
    let pages: Page[] = []
    beforeAll(async () => {
      ;[server, browser] = await Promise.all([startBackplane(), launchChromium()])
    })
    afterAll(async () => {
      await Promise.all([server?.stop(), browser?.close()])
    })
    // afterEach already sees the failure (vitest's onTestFailed runs later, after pages are closed).
    afterEach(async ({ task }) => {
      if (task.result?.state === 'fail') {
        for (const page of pages) {
          const file = await screenshotOnFailure(page, task.name)
          if (file) process.stdout.write(`screenshot of the failed test: ${file}\n`)
        }
      }
      await Promise.all(pages.map((page) => page.context().close()))
      pages = []
    })
    body({
      get server() {
        if (!server) throw new Error('The server is not running (beforeAll failed?).')
        return server
      },
      get browser() {
        if (!browser) throw new Error('Chromium did not start.')
        return browser
      },
      async open(options) {
        if (!browser) throw new Error('Chromium did not start.')
        const page = await newPage(browser, options)
        pages.push(page)
        return page
      },
      async restart(whileDown) {
        if (!server) throw new Error('The server is not running.')
        await server.stop()
        await whileDown?.()
        server = await startBackplane({ home: server.home, token: server.token, port: Number(new URL(server.baseUrl).port) })
        return server
      },
    })
  })
}

function unavailable(): E2EContext {
  const fail = (): never => {
    throw new Error('skipped')
  }
  return { get server() { return fail() }, get browser() { return fail() }, open: fail, restart: fail }
}
