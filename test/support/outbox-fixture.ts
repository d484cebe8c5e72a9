import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { App } from '../../main/api/app'
import { createLogger } from '../../main/core/log'
import { outboxRoutes } from '../../main/hosts/http/outbox-routes'
import { startHttpServer, type RunningServer } from '../../main/hosts/http/server'

export interface OutboxFixture {
  app: App
  home: string
  smtpPort: number
  http: RunningServer
  token: string
  /** GET/DELETE on the REST API with the token. */
  rest(path: string, init?: RequestInit): Promise<Response>
  close(): Promise<void>
}

/**
 * A running Backplane as `serve` runs it — capture server on a free port, REST API, temporary home —
 * for tests that speak SMTP and HTTP to it for real.
 */
export async function startOutbox(outboxSettings: Record<string, unknown> = {}): Promise<OutboxFixture> {
  const home = mkdtempSync(join(tmpdir(), 'backplane-outbox-'))
  if (Object.keys(outboxSettings).length) writeFileSync(join(home, 'settings.json'), JSON.stringify({ services: { outbox: outboxSettings } }))
  const app = await App.open({ host: 'serve', dataDir: home, background: true, smtpPort: 0, log: createLogger('test', { level: 'error' }) })
  const token = 'outbox-test-token'
  const http = await startHttpServer(app, { host: '127.0.0.1', port: 0, token }, [outboxRoutes(app)])
  const status = app.capture.status()
  if (status.state !== 'running' || status.port === null) throw new Error(`capture server did not start: ${JSON.stringify(status.error)}`)
  return {
    app,
    home,
    smtpPort: status.port,
    http,
    token,
    rest: (path, init = {}) => fetch(new URL(path, http.url), { ...init, headers: { authorization: `Bearer ${token}`, ...(init.headers ?? {}) } }),
    close: async () => {
      await http.close()
      await app.close()
      rmSync(home, { recursive: true, force: true })
    },
  }
}
