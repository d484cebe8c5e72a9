import { BackplaneError, ErrorCode } from '../core/errors'
import type { EventBus } from '../core/events'
import { failedReport } from '../core/health-probe'
import type { HealthReport } from '../core/schemas/health'
import type { Kind } from '../core/schemas/kinds'
import type { SettingsStore } from '../core/settings/settings-store'
import type { BackendPool } from './backend-pool'
import { withTimeout } from '../core/timeout'

export interface HealthMonitorOptions {
  intervalMs: number
  /** A check that takes longer is reported down, so one hung server cannot stall the dashboard. */
  timeoutMs: number
}

/** Runs every alias's health check on an interval and on demand, keeps the last report of each, announces changes. */
export class HealthMonitor {
  private readonly reports = new Map<string, HealthReport>()
  private readonly running = new Map<string, Promise<HealthReport>>()
  private timer: NodeJS.Timeout | undefined

  constructor(
    private readonly pool: BackendPool,
    private readonly settings: SettingsStore,
    private readonly events: EventBus,
    private readonly options: HealthMonitorOptions,
  ) {}

  start(): void {
    void this.checkAll()
    this.timer = setInterval(() => void this.checkAll(), this.options.intervalMs)
    this.timer.unref()
  }

  stop(): void {
    clearInterval(this.timer)
  }

  /** The last report of every configured alias; one never checked yet is "unknown". */
  list(): HealthReport[] {
    return this.settings.snapshot.aliases.map(
      (a) =>
        this.reports.get(`${a.kind}:${a.name}`) ?? {
          kind: a.kind,
          alias: a.name,
          engine: a.entry.engine,
          state: 'unknown',
          latencyMs: null,
          steps: [],
          checkedAt: new Date(0).toISOString(),
        },
    )
  }

  checkAll(): Promise<HealthReport[]> {
    return Promise.all(this.settings.snapshot.aliases.map((a) => this.check(a.kind, a.name)))
  }

  check(kind: Kind, alias: string): Promise<HealthReport> {
    const key = `${kind}:${alias}`
    const inFlight = this.running.get(key)
    if (inFlight) return inFlight
    const run = this.run(kind, alias).finally(() => this.running.delete(key))
    this.running.set(key, run)
    return run
  }

  /** Forgets reports of aliases that no longer exist (after a rename or delete). */
  prune(): void {
    const live = new Set(this.settings.snapshot.aliases.map((a) => `${a.kind}:${a.name}`))
    for (const key of this.reports.keys()) if (!live.has(key)) this.reports.delete(key)
  }

  private async run(kind: Kind, alias: string): Promise<HealthReport> {
    const loaded = this.settings.alias(kind, alias)
    const engine = loaded?.entry.engine ?? '?'
    let report: HealthReport
    if (loaded && !loaded.valid) {
      const issue = this.settings.snapshot.issues.find((i) => i.kind === kind && i.alias === alias)
      report = failedReport(kind, alias, engine, new BackplaneError(ErrorCode.E_ALIAS_INVALID, issue ? `${issue.pointer}: ${issue.message}` : 'The alias has invalid settings.', { hint: 'Open it in Settings and fix the highlighted fields.' }))
    } else {
      try {
        // Building the backend is part of the check: a server that never answers a connect must not hang it either.
        const checking = this.pool.get(kind, alias).then((backend) => backend.check())
        report = await withTimeout(checking, this.options.timeoutMs, `The health check of ${kind} alias "${alias}"`)
      } catch (err) {
        report = failedReport(kind, alias, engine, err)
      }
    }
    if (this.settings.alias(kind, alias)) {
      this.reports.set(`${kind}:${alias}`, report)
      this.events.emit('health.changed', report)
    }
    return report
  }
}
