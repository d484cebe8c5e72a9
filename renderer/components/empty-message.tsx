import { EmptyState } from '@mantine/core'
import type { ReactNode } from 'react'

interface EmptyMessageProps {
  icon?: ReactNode
  title: string
  /** Says what to do next, not only that there is nothing. */
  children?: ReactNode
  actions?: ReactNode
  /** Block content under the description (instructions, code): the description itself is a paragraph. */
  details?: ReactNode
}

export function EmptyMessage({ icon, title, children, actions, details }: EmptyMessageProps) {
  return (
    <EmptyState size="sm" py="lg" icon={icon} title={title} description={children}>
      {details}
      {actions && <EmptyState.Actions>{actions}</EmptyState.Actions>}
    </EmptyState>
  )
}
