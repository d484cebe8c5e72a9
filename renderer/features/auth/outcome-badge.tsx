import { Badge } from '@mantine/core'
import { OUTCOMES, type Outcome } from './outcome'

export function OutcomeBadge({ outcome }: { outcome: Outcome }) {
  const { label, color } = OUTCOMES[outcome]
  return (
    <Badge color={color} variant="light" style={{ textTransform: 'none' }}>
      {label}
    </Badge>
  )
}
