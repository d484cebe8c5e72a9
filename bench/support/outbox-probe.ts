// Runs in its own process against a seeded data directory: the API's timings on a big outbox, the
// same queries on the raw driver beside them, and the process's memory afterwards.
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { App } from '../../main/api/app'
import { createLogger } from '../../main/core/log'
import { latencyStats } from './stats'

const home = process.env.BENCH_HOME!
const QUERIES = ['invoice', 'from:accounts3', 'subject:refund', '"password reset"', 'termz1', 'has:attachment shipment', 'to:user42@customers.test', 'is:unread deploy', 'warehouse -subject:order', 'sched', 'sched*', 'after:2020-01-01 backup']
const RUNS = 20

async function time(run: () => unknown, times: number): Promise<number[]> {
  const samples: number[] = []
  for (let i = 0; i < times; i++) {
    const t0 = performance.now()
    await run()
    samples.push(performance.now() - t0)
  }
  return samples
}

const opening = performance.now()
const app = await App.open({ host: 'serve', dataDir: home, log: createLogger('bench', { level: 'error' }) })
const openMs = performance.now() - opening
const total = app.outbox.list({ limit: 1 }).total
const firstPageCold = (await time(() => app.call('outbox.list', { limit: 50 }), 1))[0]!
const firstPage = await time(() => app.call('outbox.list', { limit: 50 }), 50)
const search: number[] = []
const perQuery: Record<string, { p50Ms: number; hits: number }> = {}
for (const query of QUERIES) {
  const samples = await time(() => app.call('outbox.list', { query, limit: 50 }), RUNS)
  search.push(...samples)
  perQuery[query] = { p50Ms: latencyStats(samples).p50Ms, hits: (await app.call('outbox.list', { query, limit: 1 })).total }
}
const ids = Array.from({ length: 100 }, (_, i) => Math.max(1, Math.floor(((i + 1) / 101) * total)))
let n = 0
const open = await time(() => app.call('outbox.get', { id: ids[n++ % ids.length]!, markRead: false }), 100)
const rssMB = Math.round(process.memoryUsage().rss / 2 ** 20)

const raw = new Database(join(home, 'outbox.sqlite3'), { readonly: true })
const rawPage = await time(() => raw.prepare('SELECT * FROM messages ORDER BY id DESC LIMIT 50').all(), 50)
const rawSearch = await time(() => raw.prepare("SELECT rowid FROM messages_fts WHERE messages_fts MATCH 'invoice' ORDER BY rowid DESC LIMIT 50").all(), 50)
raw.close()
await app.close()
process.stdout.write(
  `RESULT ${JSON.stringify({
    messages: total,
    appOpenMs: Math.round(openMs),
    firstPageColdMs: Math.round(firstPageCold * 100) / 100,
    firstPage: latencyStats(firstPage),
    search: { ...latencyStats(search), p95Ms: Math.round(search.sort((a, b) => a - b)[Math.floor(search.length * 0.95)]! * 100) / 100, perQuery },
    openMessage: { ...latencyStats(open), p95Ms: Math.round(open.sort((a, b) => a - b)[95]! * 100) / 100 },
    mainProcessRssMB: rssMB,
    reference: { rawDriverPage: latencyStats(rawPage), rawDriverFtsMatch: latencyStats(rawSearch) },
  })}\n`,
)
