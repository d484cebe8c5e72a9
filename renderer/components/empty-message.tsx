import { EmptyState } from '@mantine/core'
import type { ReactNode } from 'react'

interface EmptyMessageProps {
  icon?: ReactNode
  title: string
  /** Says what to do next, not only that there is nothing. */
  children?: ReactNode
  actions?: ReactNode
}

export function EmptyMessage({ icon, title, children, actions }: EmptyMessageProps) {
  return (
    <EmptyState size="sm" py="lg" icon={icon} title={title} description={children}>
      {actions && <EmptyState.Actions>{actions}</EmptyState.Actions>}
    </EmptyState>
  )
}
