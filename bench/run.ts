// `npm run bench [name…]`: runs the benchmarks, prints one JSON document, and keeps a copy in
// bench/results/. Each benchmark measures a reference in the same run, so figures compare like with like.
import { mkdirSync, writeFileSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import { join } from 'node:path'
import { apiRoundTrip } from './api-roundtrip'
import { smtpIngest } from './smtp-ingest'
import { outboxMillion } from './outbox-million'
import { engineKit } from './engine-kit'
import { dataBench } from './data'
import { cacheBench } from './cache'
import { authBench } from './auth'
import { storageBench } from './storage'

const BENCHMARKS: Record<string, () => Promise<unknown>> = {
  'api-round-trip': apiRoundTrip,
  'smtp-ingest': smtpIngest,
  'outbox-million': outboxMillion,
  'engine-kit': engineKit,
  data: dataBench,
  cache: cacheBench,
  auth: authBench,
  storage: storageBench,
}

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'))
const unknown = wanted.filter((w) => !(w in BENCHMARKS))
if (unknown.length) {
  process.stderr.write(`unknown benchmark ${unknown.join(', ')}; known: ${Object.keys(BENCHMARKS).join(', ')}\n`)
  process.exit(2)
}
const results: unknown[] = []
for (const [name, run] of Object.entries(BENCHMARKS)) {
  if (wanted.length && !wanted.includes(name)) continue
  process.stderr.write(`bench: ${name}…\n`)
  results.push(await run())
}
const report = {
  at: new Date().toISOString(),
  machine: { cpus: cpus().length, cpu: cpus()[0]?.model, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version },
  results,
}
const text = JSON.stringify(report, null, 2)
process.stdout.write(text + '\n')
mkdirSync(join(import.meta.dirname, 'results'), { recursive: true })
writeFileSync(join(import.meta.dirname, 'results', `bench-${report.at.replace(/[:.]/g, '-')}.json`), text)
