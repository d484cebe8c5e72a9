import { Button, Code, List } from '@mantine/core'
import { IconSettings, IconUserPlus } from '@tabler/icons-react'
import { Link } from 'react-router'
import { EmptyMessage } from '../../../components/empty-message'

/** An alias without users: make the first one here, or point the alias at a Django project's database. */
export function UsersEmpty({ alias }: { alias: string }) {
  return (
    <EmptyMessage
      icon={<IconUserPlus size={20} />}
      title={`No users in “${alias}” yet`}
      details={
        <List size="sm" mt="xs">
          <List.Item>Create the first one with “New user” above, or</List.Item>
          <List.Item>
            point the alias at your Django project's database (its <Code>database</Code> option names a data alias) to test logins against its <Code>auth_user</Code> table.
          </List.Item>
        </List>
      }
      actions={
        <Button variant="default" component={Link} to="/settings?kind=auth" leftSection={<IconSettings size={14} />}>
          Auth settings
        </Button>
      }
    />
  )
}
