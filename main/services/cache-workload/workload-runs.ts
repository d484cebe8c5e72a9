import type { Cache } from '../../backends/cache'
import { BackplaneError, ErrorCode } from '../../core/errors'
import type { Logger } from '../../core/log'
import { runWorkload, type WorkloadProgress, type WorkloadResult, type WorkloadSpec } from './run-workload'

/** Each run keeps its workers busy (and a remote server); more than a few at once measure each other. */
export const MAX_RUNNING_WORKLOADS = 4

/** The workloads running in one app, by runId, so that cancel finds them and a runId is not used twice at once. */
export class WorkloadRuns {
  private readonly running = new Map<string, AbortController>()

  constructor(private readonly log?: Logger) {}

  /**
   * Runs a workload once its backend is there. The runId is taken before `cache` is awaited, so two calls
   * with the same runId cannot both start, and it is given back however the run ends.
   */
  async run(runId: string, spec: WorkloadSpec, cache: () => Promise<Cache>, onProgress?: (progress: WorkloadProgress) => void): Promise<WorkloadResult> {
    if (this.running.has(runId)) {
      throw new BackplaneError(ErrorCode.E_CONFLICT, `A workload with runId "${runId}" is already running.`, { hint: 'Give each run its own id, or cancel the running one first.' })
    }
    if (this.running.size >= MAX_RUNNING_WORKLOADS) {
      throw new BackplaneError(ErrorCode.E_CONFLICT, `${MAX_RUNNING_WORKLOADS} workloads are running already.`, {
        hint: 'Wait for one to finish or cancel one: more at once would measure each other rather than the caches.',
      })
    }
    const controller = new AbortController()
    this.running.set(runId, controller)
    try {
      return await runWorkload({ cache: await cache(), runId, spec, signal: controller.signal, ...(onProgress ? { onProgress } : {}), ...(this.log ? { log: this.log } : {}) })
    } finally {
      this.running.delete(runId)
    }
  }

  /** Stops a run; it answers its own call with what it measured. False when no run has that id. */
  cancel(runId: string): boolean {
    const controller = this.running.get(runId)
    controller?.abort()
    return controller !== undefined
  }

  /** Stops every run (the app is closing). */
  cancelAll(): void {
    for (const controller of this.running.values()) controller.abort()
  }
}
