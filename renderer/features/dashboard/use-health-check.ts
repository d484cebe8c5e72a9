import { useQueryClient } from '@tanstack/react-query'
import type { HealthReport } from '../../../main/api/contract'
import { useApiMutation } from '../../api/hooks'

/** `health.check` that writes its fresh reports into the health.list cache (events may arrive later, or not at all). */
export function useHealthCheck() {
  const queryClient = useQueryClient()
  return useApiMutation('health.check', {
    onSuccess: (fresh) => {
      queryClient.setQueriesData<HealthReport[]>({ queryKey: ['health.list'] }, (reports) => {
        if (!reports) return fresh
        const next = [...reports]
        for (const report of fresh) {
          const index = next.findIndex((r) => r.kind === report.kind && r.alias === report.alias)
          if (index === -1) next.push(report)
          else next[index] = report
        }
        return next
      })
    },
  })
}
