import { Badge, Tooltip } from '@mantine/core'
import type { HealthState } from '../../main/api/contract'
import { HEALTH_COLOR, HEALTH_LABEL } from './health-state'

const MEANING: Record<HealthState, string> = {
  ok: 'Reachable: the last health check connected and every step passed.',
  degraded: 'Reachable, but a step of the last health check warned.',
  down: 'Not reachable now: the last health check failed (its settings may still be valid).',
  unknown: 'Not checked yet.',
}

/** Whether the backend answers, from its last health check; not whether its settings are valid. */
export function HealthStateBadge({ state }: { state: HealthState }) {
  return (
    <Tooltip label={MEANING[state]} multiline w={260}>
      <Badge color={HEALTH_COLOR[state]} variant="light">
        {HEALTH_LABEL[state]}
      </Badge>
    </Tooltip>
  )
}
