import { Badge, Button, Code, Group, Paper, PasswordInput, Stack, Table, Text, TextInput, Title } from '@mantine/core'
import { useState, type FormEvent } from 'react'
import { useApiMutation } from '../../api/hooks'
import { ErrorAlert } from '../../components/error-alert'

/**
 * "Why can't I log in?": tries the credentials against every auth alias in order, as Django's
 * authenticate() walks AUTHENTICATION_BACKENDS, and shows what each one answered.
 */
export function LoginTester() {
  const [username, setUsername] = useState('')
  const [password, setPassword] = useState('')
  const attempt = useApiMutation('auth.authenticate')
  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (username !== '') attempt.mutate({ username, password })
  }
  const result = attempt.data
  return (
    <Paper withBorder p="sm" component="form" onSubmit={submit} aria-label="Test a login" noValidate>
      <Title order={2} mb={6}>
        Test a login
      </Title>
      <Stack gap="xs">
        <TextInput label="Username" value={username} onChange={(e) => setUsername(e.currentTarget.value)} autoComplete="off" />
        <PasswordInput label="Password" value={password} onChange={(e) => setPassword(e.currentTarget.value)} autoComplete="new-password" />
        <Group justify="flex-end">
          <Button type="submit" loading={attempt.isPending} disabled={username === ''}>
            Try it
          </Button>
        </Group>
        {attempt.isError && <ErrorAlert error={attempt.error} title="The attempt could not run" />}
        {result && (
          <Stack gap={6} aria-label="Login result">
            {result.user ? (
              <Text size="sm">
                <Badge color="teal">accepted</Badge> as <b>{result.user.username}</b> by alias <Code>{result.alias}</Code>
              </Text>
            ) : (
              <Text size="sm">
                <Badge color="red">refused</Badge> by every alias
              </Text>
            )}
            <Table aria-label="Attempts">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Alias</Table.Th>
                  <Table.Th>Answer</Table.Th>
                  <Table.Th>Why</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {result.attempts.map((a) => (
                  <Table.Tr key={a.alias}>
                    <Table.Td ff="monospace">{a.alias}</Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      <Text span size="xs" fw={600} ff="monospace" c={a.ok ? 'teal' : a.reason === 'error' ? 'red' : 'orange'}>
                        {a.ok ? 'ok' : (a.reason ?? 'refused')}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      {a.message && <Text size="xs">{a.message}</Text>}
                      {a.error && (
                        <Text size="xs" c="red">
                          <Code fz={10}>{a.error.code}</Code> {a.error.message}
                          {a.error.hint && (
                            <Text span size="xs" c="dimmed" display="block">
                              {a.error.hint}
                            </Text>
                          )}
                        </Text>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Stack>
        )}
      </Stack>
    </Paper>
  )
}
