import { Box } from '@mantine/core'
import type { HealthState } from '../../main/api/contract'
import { HEALTH_COLOR, HEALTH_LABEL } from './health-state'

/** A small coloured dot with its meaning for screen readers (colour alone says nothing to them). */
export function StatusDot({ state, label }: { state: HealthState; label?: string }) {
  return (
    <Box
      component="span"
      role="img"
      aria-label={label ?? HEALTH_LABEL[state]}
      title={label ?? HEALTH_LABEL[state]}
      style={{ display: 'inline-block', width: 8, height: 8, borderRadius: '50%', flexShrink: 0, background: `var(--mantine-color-${HEALTH_COLOR[state]}-filled)` }}
    />
  )
}
