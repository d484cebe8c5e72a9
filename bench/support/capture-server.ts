// The real capture path in a process of its own: App + SMTP capture server + durable outbox.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { App } from '../../main/api/app'
import { createLogger } from '../../main/core/log'

const home = process.env.BENCH_HOME ?? mkdtempSync(join(tmpdir(), 'backplane-bench-smtp-'))
const app = await App.open({ host: 'serve', dataDir: home, background: true, smtpPort: 0, log: createLogger('bench', { level: 'error' }) })
process.stdout.write(`PORT ${app.capture.status().port}\n`)
// On SIGTERM: report what is stored and how long the body index takes to catch up with the burst.
process.on('SIGTERM', () => {
  const stored = app.outbox.list().total
  const backlog = app.outbox.indexBacklog
  const t0 = performance.now()
  const poll = setInterval(() => {
    if (app.outbox.indexBacklog > 0) return
    clearInterval(poll)
    process.stdout.write(`RESULT ${JSON.stringify({ stored, indexBacklogAtEnd: backlog, indexCatchUpSeconds: Math.round(performance.now() - t0) / 1000 })}\n`)
    void app.close().then(() => process.exit(0))
  }, 20)
})
