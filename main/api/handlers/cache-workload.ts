import { isCache } from '../../backends/cache'
import { WorkloadRuns } from '../../services/cache-workload'
import type { AppServices } from '../app-services'
import type { HandlerGroup } from '../router'
import { backendOf } from './backend-of'

// The runs of each app, kept beside it rather than on AppServices: nothing but these two handlers needs them.
const runsByApp = new WeakMap<AppServices, WorkloadRuns>()

function runsOf(app: AppServices): WorkloadRuns {
  let runs = runsByApp.get(app)
  if (!runs) runsByApp.set(app, (runs = new WorkloadRuns(app.log.child('cache-workload'))))
  return runs
}

export const cacheWorkloadHandlers: HandlerGroup<'cache.workload' | 'cache.workloadCancel'> = {
  'cache.workload': ({ alias, runId, ...spec }, { app }) =>
    runsOf(app).run(
      runId,
      spec,
      () => backendOf(app, 'cache', alias, isCache),
      (progress) => app.events.emit('cache.workloadProgress', { runId, alias, durationSeconds: spec.durationSeconds, ...progress }),
    ),
  'cache.workloadCancel': ({ runId }, { app }) => ({ cancelled: runsOf(app).cancel(runId) }),
}
