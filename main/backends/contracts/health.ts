import assert from 'node:assert/strict'
import { HealthReport } from '../../core/schemas/health'

/** The check every kind shares: a report of the right shape, saying the backend is up, no failed step. */
export function assertHealthy(report: unknown): HealthReport {
  const parsed = HealthReport.safeParse(report)
  assert.ok(parsed.success, `check() returned an invalid report: ${parsed.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`)
  const r = parsed.data
  assert.equal(r.state, 'ok', `check() says ${r.state}: ${r.error ? `${r.error.code}: ${r.error.message}` : 'no error given'}`)
  assert.ok(!r.steps.some((s) => !s.ok), `a step of check() failed: ${r.steps.find((s) => !s.ok)?.name}`)
  return r
}
