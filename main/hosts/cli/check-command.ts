import { App } from '../../api/app'
import { resolveDataDir } from '../../core/data-dir'
import { BackplaneError } from '../../core/errors'
import type { HealthReport } from '../../core/schemas/health'
import { escapeLogText } from '../../core/log'
import { redactDeep } from '../../core/redact'
import { runningAppClient } from './running-app-client'

/**
 * `backplane check [--json]`: every alias's health check; exit 0 only if all pass. For users' own CI.
 * Checked by the app running on this data directory when there is one (its in-process engines are
 * only there), else — or with `--local` — in this process.
 */
export async function checkCommand(json: boolean, { local = false }: { local?: boolean } = {}): Promise<number> {
  const reports = await healthReports(local)
  if (json) process.stdout.write(JSON.stringify(redactDeep(reports), null, 2) + '\n')
  else process.stdout.write(formatReports(reports))
  return reports.every((r) => r.state === 'ok') ? 0 : 1
}

async function healthReports(local: boolean): Promise<HealthReport[]> {
  const dataDir = resolveDataDir()
  const remote = local ? undefined : await runningAppClient(dataDir)
  if (remote) {
    const answer = await remote('health.check', {})
    if (!answer.ok) throw BackplaneError.fromEngine(answer.error.code, answer.error.message, answer.error.hint === undefined ? {} : { hint: answer.error.hint })
    return answer.result as HealthReport[]
  }
  const app = await App.open({ host: 'cli', dataDir })
  try {
    return await app.health.checkAll()
  } finally {
    await app.close()
  }
}

/**
 * The reports as terminal text. What servers and engines wrote (a greeting, an error) has its control
 * characters escaped: an SMTP greeting once set the terminal's title and colours through `backplane check`.
 */
function formatReports(reports: HealthReport[]): string {
  const lines = reports.map((raw) => {
    const r = redactDeep(escapeDeep(raw))
    const mark = r.state === 'ok' ? 'ok  ' : 'FAIL'
    const latency = r.latencyMs === null ? '' : ` ${r.latencyMs.toFixed(1)} ms`
    const head = `${mark} ${r.kind}/${r.alias} (${r.engine})${latency}${r.version ? ` — ${r.version}` : ''}`
    if (!r.error) return head
    return `${head}\n     ${r.error.code}: ${r.error.message}${r.error.hint ? `\n     hint: ${r.error.hint}` : ''}`
  })
  const failed = reports.filter((r) => r.state !== 'ok').length
  return `${lines.join('\n')}\n${reports.length - failed} passed, ${failed} failed\n`
}

function escapeDeep<T>(value: T): T {
  if (typeof value === 'string') return escapeLogText(value) as T
  if (Array.isArray(value)) return value.map(escapeDeep) as T
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, escapeDeep(v)])) as T
  return value
}
