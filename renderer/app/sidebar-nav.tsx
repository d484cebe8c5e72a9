import { Stack } from '@mantine/core'
import type { HealthState, Kind } from '../../main/api/contract'
import { useApiQuery } from '../api/hooks'
import { worstState } from '../components/health-state'
import { SECTIONS } from './sections'
import { SidebarLink } from './sidebar-link'

/** The sections, each backend kind with its worst alias health, Mail with its unread count. */
export function SidebarNav() {
  const health = useApiQuery('health.list', {})
  const counts = useApiQuery('outbox.counts', {})
  const stateOf = (kind: Kind): HealthState | undefined =>
    health.data ? worstState(health.data.filter((report) => report.kind === kind)) : undefined
  return (
    <Stack gap={2} component="nav" aria-label="Sections">
      {SECTIONS.map((section, index) => (
        <SidebarLink
          key={section.path}
          section={section}
          shortcut={index + 1}
          health={section.kind && stateOf(section.kind)}
          unread={section.kind === 'mail' ? counts.data?.unread : undefined}
        />
      ))}
    </Stack>
  )
}
