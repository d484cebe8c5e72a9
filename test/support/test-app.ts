import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { App, type AppOptions } from '../../main/api/app'
import { createLogger, type LogRecord } from '../../main/core/log'
import { trustModule } from './engine-context'

export interface TestApp {
  app: App
  home: string
  /** What the app logged, for tests that assert on the log. */
  logs: LogRecord[]
  close(): Promise<void>
}

/**
 * An App on a fresh temporary data directory with the file secret store (no keychain is touched), the
 * given custom engine modules trusted first, and a log that records instead of printing.
 */
export async function openTestApp({ trust = [], ...options }: Partial<AppOptions> & { trust?: string[] } = {}): Promise<TestApp> {
  process.env.BACKPLANE_SECRET_STORE = 'file'
  const home = mkdtempSync(join(tmpdir(), 'backplane-app-'))
  for (const spec of trust) await trustModule(home, spec)
  const logs: LogRecord[] = []
  const app = await App.open({ host: 'cli', dataDir: home, log: createLogger('test', { level: 'debug', sink: (r) => logs.push(r) }), ...options })
  return {
    app,
    home,
    logs,
    async close() {
      await app.close()
      rmSync(home, { recursive: true, force: true })
    },
  }
}
