import type { HealthReport, HealthStep } from './schemas/health'
import type { Kind } from './schemas/kinds'
import { toBackplaneError } from './errors'

/**
 * Builds a HealthReport from named steps, so that every engine reports the same way:
 * each step timed, the first failure stops the check and carries its hint.
 */
export class HealthProbe {
  private readonly steps: HealthStep[] = []
  private readonly started = performance.now()
  private failed: HealthStep | undefined
  version: string | undefined
  summary: string | undefined

  constructor(
    private readonly kind: Kind,
    private readonly alias: string,
    private readonly engine: string,
  ) {}

  /** Runs one step unless an earlier one failed; returns its value, or undefined after a failure. */
  async step<T>(name: string, run: () => Promise<T> | T, describe?: (value: T) => string | undefined): Promise<T | undefined> {
    if (this.failed) return undefined
    const t0 = performance.now()
    try {
      const value = await run()
      const step: HealthStep = { name, ok: true, ms: round(performance.now() - t0) }
      const detail = describe?.(value)
      if (detail) step.detail = detail
      this.steps.push(step)
      return value
    } catch (err) {
      const error = toBackplaneError(err).toPayload()
      const step: HealthStep = { name, ok: false, ms: round(performance.now() - t0), error }
      this.steps.push(step)
      this.failed = step
      return undefined
    }
  }

  get ok(): boolean {
    return this.failed === undefined
  }

  report(): HealthReport {
    const report: HealthReport = {
      kind: this.kind,
      alias: this.alias,
      engine: this.engine,
      state: this.failed ? 'down' : 'ok',
      latencyMs: this.failed ? null : round(performance.now() - this.started),
      steps: this.steps,
      checkedAt: new Date().toISOString(),
    }
    if (this.version) report.version = this.version
    if (this.summary) report.summary = this.summary
    if (this.failed?.error) report.error = this.failed.error
    return report
  }
}

/** A report for an alias that could not even be built (bad options, engine failed to load). */
export function failedReport(kind: Kind, alias: string, engine: string, err: unknown): HealthReport {
  const error = toBackplaneError(err).toPayload()
  return {
    kind,
    alias,
    engine,
    state: 'down',
    latencyMs: null,
    steps: [{ name: 'create', ok: false, ms: 0, error }],
    error,
    checkedAt: new Date().toISOString(),
  }
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100
}
