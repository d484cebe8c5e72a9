import { Tabs } from '@mantine/core'
import { IconChartLine, IconGauge, IconKey } from '@tabler/icons-react'
import { useSearchParams } from 'react-router'
import { KeysView } from './keys/keys-view'
import { StatsPanel } from './stats/stats-panel'
import { WorkloadView } from './workload/workload-view'

const VIEWS = ['keys', 'stats', 'workload'] as const
type View = (typeof VIEWS)[number]

/**
 * The Cache section of one alias: its keys, its live statistics, and a workload tester. The view is in
 * the address (`#/cache?view=stats`) so a reload keeps it; views not shown are unmounted, so the
 * statistics stop polling when their tab is left.
 */
export function CacheWorkspace({ alias }: { alias: string }) {
  const [params, setParams] = useSearchParams()
  const requested = params.get('view')
  const view: View = VIEWS.find((v) => v === requested) ?? 'keys'
  const choose = (next: string | null) => setParams(next && next !== 'keys' ? { view: next } : {}, { replace: true })
  return (
    <Tabs value={view} onChange={choose} keepMounted={false}>
      <Tabs.List mb="sm">
        <Tabs.Tab value="keys" leftSection={<IconKey size={14} />}>
          Keys
        </Tabs.Tab>
        <Tabs.Tab value="stats" leftSection={<IconChartLine size={14} />}>
          Stats
        </Tabs.Tab>
        <Tabs.Tab value="workload" leftSection={<IconGauge size={14} />}>
          Workload
        </Tabs.Tab>
      </Tabs.List>
      <Tabs.Panel value="keys">
        <KeysView alias={alias} />
      </Tabs.Panel>
      <Tabs.Panel value="stats">
        <StatsPanel alias={alias} />
      </Tabs.Panel>
      <Tabs.Panel value="workload">
        <WorkloadView alias={alias} />
      </Tabs.Panel>
    </Tabs>
  )
}
