import { Alert, Badge, Code, Group, Paper, Stack, Text } from '@mantine/core'
import { IconArrowUp } from '@tabler/icons-react'
import type { LoginResult as Result } from '../types'
import { UserFlags } from '../users/user-flags'
import { ChainTable } from './chain-table'
import { PermissionSet } from './permission-set'

/** What authenticate() answered: who, through which alias, what each backend said, and what the user may do. */
export function LoginResult({ result }: { result: Result }) {
  const { user } = result
  return (
    <Stack gap="sm" aria-label="Login result" role="region">
      {user ? (
        <Text size="sm">
          <Badge color="teal">accepted</Badge> as <b>{user.username}</b> by alias <Code>{result.alias}</Code>
        </Text>
      ) : (
        <Text size="sm">
          <Badge color="red">refused</Badge> {result.attempts.some((a) => a.outcome === 'denied') ? `: alias ${result.alias ?? ''} denied it, which stops the chain` : 'by every alias'}
        </Text>
      )}
      <ChainTable attempts={result.attempts} />
      {result.upgraded && (
        <Alert color="blue" variant="light" icon={<IconArrowUp size={16} />} title="Password hash upgraded">
          The stored hash was weaker than the preferred hasher's, so this login re-hashed the password and stored the new hash, as Django's check_password() does.
        </Alert>
      )}
      {user && (
        <Paper withBorder p="sm">
          <Stack gap="xs">
            <Group gap="xs">
              <Text fw={600} ff="monospace">
                {user.username}
              </Text>
              <UserFlags user={user} />
              {user.email && (
                <Text size="sm" c="dimmed">
                  {user.email}
                </Text>
              )}
            </Group>
            {user.groups && user.groups.length > 0 && (
              <Text size="xs" c="dimmed">
                Groups: {user.groups.join(', ')}
              </Text>
            )}
            <PermissionSet permissions={result.permissions} superuser={user.isSuperuser && user.isActive} />
          </Stack>
        </Paper>
      )}
    </Stack>
  )
}
