import { Button, Group, Paper, PasswordInput, Stack, Text, TextInput } from '@mantine/core'
import { IconLogin } from '@tabler/icons-react'
import { useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { ErrorCode } from '../../../../main/api/contract'
import { ErrorAlert } from '../../../components/error-alert'
import { useSecretCall } from '../use-secret-call'
import { LockoutAlert } from './lockout-alert'
import { LoginResult } from './login-result'

/** The label the audit log shows beside the caller's own source (the throttle counts that source, not this). */
const SOURCE = 'login tester'

/**
 * "Why can't I log in?": the credentials go through every auth alias in order, as Django's
 * authenticate() walks AUTHENTICATION_BACKENDS, and each one's answer is shown. The password is
 * cleared once the answer is in, and never kept with it.
 */
export function LoginTester() {
  const queryClient = useQueryClient()
  const [username, setUsername] = useState('')
  const [password, setPassword] = useState('')
  const attempt = useSecretCall('auth.authenticate')
  const submit = async (event: FormEvent) => {
    event.preventDefault()
    if (username === '') return
    const sent = password
    setPassword('')
    await attempt.run({ username, password: sent, source: SOURCE })
    // The attempt is in the audit log and may have locked someone out; an upgrade changed the hash.
    for (const key of ['auth.audit', 'auth.throttle', 'auth.user', 'auth.users']) void queryClient.invalidateQueries({ queryKey: [key] })
  }
  const throttled = attempt.error?.code === ErrorCode.E_THROTTLED
  return (
    <Stack gap="md">
      <Paper withBorder p="sm" component="form" onSubmit={(event: FormEvent) => void submit(event)} aria-label="Test a login" noValidate data-settled-at={attempt.settledAt}>
        <Text size="sm" c="dimmed" mb="xs">
          Every auth alias is asked in order, as Django's authenticate() asks its backends; the attempt is written to the audit log and counts for the throttle.
        </Text>
        <Group align="flex-end" gap="xs">
          <TextInput style={{ flex: 1 }} label="Username" value={username} onChange={(e) => setUsername(e.currentTarget.value)} autoComplete="off" data-autofocus />
          <PasswordInput style={{ flex: 1 }} label="Password" value={password} onChange={(e) => setPassword(e.currentTarget.value)} autoComplete="off" />
          <Button type="submit" loading={attempt.pending} disabled={username === ''} leftSection={<IconLogin size={14} />}>
            Try it
          </Button>
        </Group>
      </Paper>
      {attempt.error && (throttled ? <LockoutAlert error={attempt.error} since={attempt.settledAt} /> : <ErrorAlert error={attempt.error} title="The attempt could not run" />)}
      {attempt.data && <LoginResult result={attempt.data} />}
    </Stack>
  )
}
