import { App } from '../../api/app'
import type { HealthReport } from '../../core/schemas/health'

/** `backplane check [--json]`: every alias's health check; exit 0 only if all pass. For users' own CI. */
export async function checkCommand(json: boolean): Promise<number> {
  const app = await App.open({ host: 'cli' })
  try {
    const reports = await app.health.checkAll()
    if (json) process.stdout.write(JSON.stringify(reports, null, 2) + '\n')
    else process.stdout.write(formatReports(reports))
    return reports.every((r) => r.state === 'ok') ? 0 : 1
  } finally {
    await app.close()
  }
}

function formatReports(reports: HealthReport[]): string {
  const lines = reports.map((r) => {
    const mark = r.state === 'ok' ? 'ok  ' : 'FAIL'
    const latency = r.latencyMs === null ? '' : ` ${r.latencyMs.toFixed(1)} ms`
    const head = `${mark} ${r.kind}/${r.alias} (${r.engine})${latency}${r.version ? ` — ${r.version}` : ''}`
    if (!r.error) return head
    return `${head}\n     ${r.error.code}: ${r.error.message}${r.error.hint ? `\n     hint: ${r.error.hint}` : ''}`
  })
  const failed = reports.filter((r) => r.state !== 'ok').length
  return `${lines.join('\n')}\n${reports.length - failed} passed, ${failed} failed\n`
}
