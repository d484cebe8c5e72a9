import { Badge } from '@mantine/core'
import type { HealthState } from '../../main/api/contract'
import { HEALTH_COLOR, HEALTH_LABEL } from './health-state'

export function HealthStateBadge({ state }: { state: HealthState }) {
  return (
    <Badge color={HEALTH_COLOR[state]} variant="light">
      {HEALTH_LABEL[state]}
    </Badge>
  )
}
