import { Group, Stack, Title } from '@mantine/core'
import type { HealthReport, Kind } from '../../../main/api/contract'
import { KIND_TITLES } from '../../../main/api/contract'
import { StatusDot } from '../../components/status-dot'
import { worstState } from '../../components/health-state'
import { AliasHealthRow } from './alias-health-row'

export function KindHealthGroup({ kind, reports, checkingAll }: { kind: Kind; reports: readonly HealthReport[]; checkingAll: boolean }) {
  return (
    <Stack gap={6} component="section" aria-label={`${KIND_TITLES[kind]} aliases`}>
      <Group gap={8}>
        <StatusDot state={worstState(reports)} />
        <Title order={2}>{KIND_TITLES[kind]}</Title>
      </Group>
      {reports.map((report) => (
        <AliasHealthRow key={report.alias} report={report} checkingAll={checkingAll} />
      ))}
    </Stack>
  )
}
