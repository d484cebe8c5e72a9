import { createWriteStream } from 'node:fs'
import { once } from 'node:events'
import { exportRows } from '../main/services/data-export'
import { BENCH_ENGINES, TABLE, type BenchEngine } from './support/data-engines'
import { latencyStats, round } from './support/stats'

const ROWS = Number(process.env.BENCH_DATA_ROWS ?? 1_000_000)
const PAGE = 200
const PAGE_SAMPLES = 60
const TARGETS = { exportRssGrowthMB: 100, streamRatio: 0.8, cancelAnswerMs: 1000 }

/**
 * The data kind on a table of a million rows, on every engine whose server is there, each figure beside
 * the raw driver doing the same in the same run: the table view's first page and a keyset page from
 * its middle, a streamed read of every row (db.stream against the driver's own streaming), an export of
 * every row as CSV to /dev/null with the growth of this process's RSS, and the time from cancel to the
 * answer of a statement that would run 30 s.
 */
export async function dataBench(): Promise<unknown> {
  const engines: unknown[] = []
  for (const [name, open] of Object.entries(BENCH_ENGINES)) {
    process.stderr.write(`bench: data on ${name}…\n`)
    let opened: BenchEngine | string
    try {
      opened = await open()
    } catch (err) {
      opened = `could not connect: ${(err as Error).message}`
    }
    if (typeof opened === 'string') {
      engines.push({ engine: name, skipped: opened })
      continue
    }
    try {
      engines.push(await measure(opened))
    } finally {
      await opened.close()
    }
  }
  return { name: 'data', rows: ROWS, targets: TARGETS, engines }
}

async function measure(e: BenchEngine) {
  const seed = await e.seed(ROWS)
  const firstPage = await pages(e, undefined)
  const nextPage = await pages(e, [Math.floor(ROWS / 2)])
  const stream = await streamed(e)
  const exported = await exportToDevNull(e)
  const cancel = await cancelTime(e)
  return {
    engine: e.engine,
    seed,
    firstPage,
    nextPage,
    stream,
    export: exported,
    cancel,
    met: {
      exportRssGrowth: exported.rssGrowthMB < TARGETS.exportRssGrowthMB,
      streamRatio: stream.ratio >= TARGETS.streamRatio,
      cancelAnswer: cancel.answerMs < TARGETS.cancelAnswerMs,
    },
  }
}

/** db.page (limit 200, by the key) against the driver running the SQL the page built, with its parameters. */
async function pages(e: BenchEngine, after: unknown[] | undefined) {
  const request = { table: { name: TABLE }, limit: PAGE, ...(after ? { after } : {}) }
  const probe = await e.db.page!(request)
  if (probe.rows.length !== PAGE) throw new Error(`${e.engine}: a page of ${probe.rows.length} rows, not ${PAGE}`)
  const ours: number[] = []
  const driver: number[] = []
  for (let i = 0; i < PAGE_SAMPLES + 5; i++) {
    let t0 = performance.now()
    await e.db.page!(request)
    if (i >= 5) ours.push(performance.now() - t0)
    t0 = performance.now()
    await e.raw.all(probe.sql, probe.params)
    if (i >= 5) driver.push(performance.now() - t0)
  }
  // What a page costs besides its SELECT: the base describes the table on every call.
  const described: number[] = []
  for (let i = 0; i < PAGE_SAMPLES; i++) {
    const t0 = performance.now()
    await e.db.describe!(request.table)
    described.push(performance.now() - t0)
  }
  const b = latencyStats(ours)
  const d = latencyStats(driver)
  return { sql: probe.sql, paging: probe.paging, backplane: b, driver: d, p50Ratio: round(b.p50Ms / d.p50Ms, 2), describeP50Ms: latencyStats(described).p50Ms }
}

/**
 * Every row through db.stream (cells made, nothing kept) against the driver's own streaming, in turns,
 * twice each: the best of each side, so that a neighbour's burst of CPU does not decide the ratio.
 */
async function streamed(e: BenchEngine) {
  const sql = `SELECT * FROM ${TABLE}`
  const timed = async (read: () => Promise<number>) => {
    const t0 = performance.now()
    const rows = await read()
    if (rows !== ROWS) throw new Error(`${e.engine}: streamed ${rows} rows, not ${ROWS}`)
    return ROWS / ((performance.now() - t0) / 1000)
  }
  const ours = () => {
    let rows = 0
    return e.db.stream!(sql, [], { columns: () => undefined, rows: (batch) => void (rows += batch.length) }).then(() => rows)
  }
  const driver: number[] = []
  const backplane: number[] = []
  for (let round = 0; round < 2; round++) {
    driver.push(await timed(() => e.raw.stream(sql)))
    backplane.push(await timed(ours))
  }
  const best = (xs: number[]) => Math.max(...xs)
  return { backplaneRowsPerSecond: Math.round(best(backplane)), driverRowsPerSecond: Math.round(best(driver)), ratio: round(best(backplane) / best(driver), 2) }
}

/** Every row as CSV into /dev/null, with this process's RSS sampled every 10 ms (peak minus the start). */
async function exportToDevNull(e: BenchEngine) {
  const out = createWriteStream('/dev/null')
  await once(out, 'open')
  const baseline = process.memoryUsage.rss()
  let peak = baseline
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 10)
  const t0 = performance.now()
  let summary
  try {
    summary = await exportRows({ db: e.db, source: { table: { name: TABLE } }, format: 'csv', out })
  } finally {
    clearInterval(sampler)
  }
  const ms = performance.now() - t0
  out.end()
  await once(out, 'close')
  return {
    format: 'csv',
    rows: summary.rows,
    megabytes: round(summary.bytes / 1e6, 1),
    ms: Math.round(ms),
    rowsPerSecond: Math.round(summary.rows / (ms / 1000)),
    rssBaselineMB: round(baseline / 2 ** 20, 1),
    rssGrowthMB: round((peak - baseline) / 2 ** 20, 1),
  }
}

/** A 30 s statement, cancelled after 300 ms: how long until its call answers. */
async function cancelTime(e: BenchEngine) {
  const queryId = `bench-cancel-${process.pid}`
  const running = e.db.query(e.slowSql, [], { queryId }).then(
    () => 'finished',
    (err: { code?: string }) => err.code ?? 'error',
  )
  await new Promise((r) => setTimeout(r, 300))
  const t0 = performance.now()
  const found = await e.db.cancel!(queryId)
  const outcome = await running
  const answerMs = performance.now() - t0
  // Whether the work stopped too, not only the call: CPU this process spends in the next second (SQLite runs here).
  const cpu0 = process.cpuUsage()
  await new Promise((r) => setTimeout(r, 1000))
  const cpu = process.cpuUsage(cpu0)
  return { found, outcome, answerMs: round(answerMs, 1), cpuMsInTheSecondAfter: Math.round((cpu.user + cpu.system) / 1000) }
}
