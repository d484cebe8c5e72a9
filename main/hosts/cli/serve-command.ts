import { join } from 'node:path'
import { App } from '../../api/app'
import { BackplaneError, ErrorCode } from '../../core/errors'
import { resolveDataDir } from '../../core/data-dir'
import { createLogger } from '../../core/log'
import { logUnhandledRejections } from '../../core/process-guards'
import { outboxRoutes } from '../http/outbox-routes'
import { isLoopback } from '../../core/loopback'
import { ServeSessions } from '../http/serve-session'
import { startHttpServer, type RunningServer } from '../http/server'
import { announceInstance } from '../running-instance'
import { openBrowser } from './open-browser'
import { findRendererDir } from './renderer-dir'
import { serveToken } from '../serve-token-file'

export interface ServeOptions {
  host: string
  port: number | undefined
  smtpPort: number | undefined
  allowRemote: boolean
  open: boolean
  /** Replace the token kept in the data directory (signs every browser out). */
  newToken: boolean
}

const DEFAULT_PORT = 4025

/** `backplane serve`: the GUI and API on loopback, until SIGINT or SIGTERM. */
export async function serveCommand(options: ServeOptions): Promise<void> {
  if (!isLoopback(options.host) && !options.allowRemote) {
    throw new BackplaneError(ErrorCode.E_FORBIDDEN, `Refusing to listen on ${options.host}: only loopback is allowed by default.`, {
      hint: 'Add --allow-remote if you really want other machines to reach Backplane (anyone with the token then controls your backends).',
    })
  }
  if (!isLoopback(options.host)) {
    process.stderr.write(`WARNING: listening on ${options.host}, reachable from other machines; anyone holding the token controls your backends.\n`)
  }
  const dataDir = resolveDataDir()
  const { token, source } = await serveToken(dataDir, { renew: options.newToken })
  if (options.newToken && source === 'environment') process.stderr.write('--new-token has no effect while BACKPLANE_TOKEN is set: that token is used as it is.\n')
  const log = createLogger()
  logUnhandledRejections(log)
  const app = await App.open({ host: 'serve', dataDir, background: true, log, ...(options.smtpPort === undefined ? {} : { smtpPort: options.smtpPort }) })
  const staticDir = findRendererDir()
  if (!staticDir) process.stderr.write('The GUI is not built (no out/renderer); serving the API only. Run "npm run build" for the GUI.\n')
  let server: RunningServer
  try {
    server = await listenWithFallback(app, options, token, staticDir, new ServeSessions(token, join(dataDir, 'serve-sessions.json')))
  } catch (err) {
    await app.close()
    throw err
  }
  const url = `${server.url}?token=${token}`
  const forget = await announceInstance(dataDir, { url: server.url, host: 'serve' })
  process.stdout.write(`Backplane is serving on ${url}\n`)
  // The capture server logged where it listens, or why it could not; only "off" is left to say.
  const capture = app.capture.status()
  if (capture.state !== 'running' && !capture.error) process.stderr.write('SMTP capture server not running: disabled in settings\n')
  if (options.open && staticDir && !openBrowser(url)) process.stderr.write('No browser to open here; open the URL above yourself.\n')

  let closing = false
  const shutdown = async () => {
    if (closing) return
    closing = true
    await forget()
    await server.close()
    await app.close()
    process.exit(0)
  }
  process.on('SIGINT', () => void shutdown())
  process.on('SIGTERM', () => void shutdown())
}

/** The default port falls back to a free one when taken; a port the user chose does not. */
async function listenWithFallback(app: App, options: ServeOptions, token: string, staticDir: string | undefined, sessions: ServeSessions): Promise<RunningServer> {
  const base = { host: options.host, token, sessions, ...(staticDir ? { staticDir } : {}) }
  const routes = [outboxRoutes(app)]
  try {
    return await startHttpServer(app, { ...base, port: options.port ?? DEFAULT_PORT }, routes)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err
    if (options.port !== undefined) {
      throw new BackplaneError(ErrorCode.E_ADDRESS_IN_USE, `Port ${options.port} is already in use.`, { hint: 'Stop the program using it, or pick another with --port (0 picks a free one).' })
    }
    process.stderr.write(`Port ${DEFAULT_PORT} is taken; using a free port instead.\n`)
    return startHttpServer(app, { ...base, port: 0 }, routes)
  }
}
