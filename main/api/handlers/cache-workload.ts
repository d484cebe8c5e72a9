import { isCache } from '../../backends/cache'
import type { HandlerGroup } from '../router'
import { backendOf } from './backend-of'

export const cacheWorkloadHandlers: HandlerGroup<'cache.workload' | 'cache.workloadCancel'> = {
  'cache.workload': ({ alias, runId, ...spec }, { app }) =>
    app.workloads.run(
      runId,
      spec,
      () => backendOf(app, 'cache', alias, isCache),
      (progress) => app.events.emit('cache.workloadProgress', { runId, alias, durationSeconds: spec.durationSeconds, ...progress }),
    ),
  'cache.workloadCancel': ({ runId }, { app }) => ({ cancelled: app.workloads.cancel(runId) }),
}
