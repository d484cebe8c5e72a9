// The real thing: App + serve-mode HTTP/WebSocket host on a throwaway data directory.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { App } from '../../main/api/app'
import { createLogger } from '../../main/core/log'
import { startHttpServer } from '../../main/hosts/http/server'

const app = await App.open({ host: 'serve', dataDir: mkdtempSync(join(tmpdir(), 'backplane-bench-')), log: createLogger('bench', { level: 'error' }) })
const server = await startHttpServer(app, { host: '127.0.0.1', port: 0, token: process.env.BENCH_TOKEN ?? 'bench' })
process.stdout.write(`PORT ${server.port}\n`)
process.on('SIGTERM', () => void server.close().then(() => app.close()).then(() => process.exit(0)))
