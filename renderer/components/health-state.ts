import type { HealthReport, HealthState } from '../../main/api/contract'

export const HEALTH_COLOR: Record<HealthState, string> = { ok: 'teal', degraded: 'yellow', down: 'red', unknown: 'gray' }
export const HEALTH_LABEL: Record<HealthState, string> = { ok: 'healthy', degraded: 'degraded', down: 'down', unknown: 'not checked' }

const SEVERITY: Record<HealthState, number> = { ok: 0, unknown: 1, degraded: 2, down: 3 }

/** The state a group of aliases shows: its worst member's, or unknown when it has none. */
export function worstState(reports: readonly Pick<HealthReport, 'state'>[]): HealthState {
  let worst: HealthState | undefined
  for (const { state } of reports) if (worst === undefined || SEVERITY[state] > SEVERITY[worst]) worst = state
  return worst ?? 'unknown'
}
