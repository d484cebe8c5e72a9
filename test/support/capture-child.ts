// A Backplane capture server in a process of its own, so a test can kill -9 it. Prints "SMTP <port>".
import { App } from '../../main/api/app'
import { createLogger } from '../../main/core/log'

const app = await App.open({ host: 'serve', dataDir: process.env.BACKPLANE_HOME!, background: true, smtpPort: 0, log: createLogger('child', { level: 'error' }) })
process.stdout.write(`SMTP ${app.capture.status().port}\n`)
