import { Badge, Group } from '@mantine/core'
import type { AuthUser } from '../types'

/** Only what differs from an ordinary active user: inactive, staff, superuser. */
export function UserFlags({ user }: { user: AuthUser }) {
  return (
    <Group gap={4} wrap="nowrap">
      {!user.isActive && (
        <Badge size="sm" color="gray">
          inactive
        </Badge>
      )}
      {user.isStaff && (
        <Badge size="sm" color="indigo">
          staff
        </Badge>
      )}
      {user.isSuperuser && (
        <Badge size="sm" color="grape">
          superuser
        </Badge>
      )}
    </Group>
  )
}
