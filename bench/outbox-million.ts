import { spawn } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { seedOutbox } from './support/seed-outbox'

const COUNT = Number(process.env.BENCH_OUTBOX_MESSAGES ?? 1_000_000)
const HOME = process.env.BENCH_OUTBOX_HOME ?? '/tmp/backplane-bench-outbox'

/**
 * The outbox at a million messages: first list page, full-text search, opening a message and the
 * main process's memory, through the API, beside the raw driver on the same file. The seeded
 * database is kept between runs (BENCH_OUTBOX_HOME) because seeding takes a minute or two.
 */
export async function outboxMillion() {
  mkdirSync(HOME, { recursive: true })
  const seeding = seedOutbox(join(HOME, 'outbox.sqlite3'), COUNT)
  const out = await new Promise<string>((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', resolve(import.meta.dirname, 'support/outbox-probe.ts')], {
      env: { ...process.env, BENCH_HOME: HOME, BACKPLANE_SECRET_STORE: 'file' },
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    let text = ''
    child.stdout.on('data', (d: Buffer) => (text += d.toString()))
    child.on('exit', (code) => (code === 0 ? done(text) : fail(new Error(`outbox probe exited ${code}`))))
  })
  const result = JSON.parse(/RESULT (.*)/.exec(out)![1]!) as {
    firstPage: { p50Ms: number }
    search: { p95Ms: number }
    openMessage: { p95Ms: number }
    mainProcessRssMB: number
  }
  return {
    name: 'outbox-million',
    seeding,
    ...result,
    targets: {
      firstPageMs: { target: 20, met: result.firstPage.p50Ms < 20 },
      searchP95Ms: { target: 50, met: result.search.p95Ms < 50 },
      openMessageMs: { target: 10, met: result.openMessage.p95Ms < 10 },
      rssMB: { target: 400, met: result.mainProcessRssMB < 400 },
    },
  }
}
