import { useDebouncedValue } from '@mantine/hooks'
import { useEffect } from 'react'
import type { MethodInput } from '../../../../main/api/contract'
import { useSecretCall } from '../use-secret-call'

export type PasswordUser = NonNullable<MethodInput<'auth.validatePassword'>['user']>

/**
 * Django's validators on the password as it is typed, a moment after the typing stops. `checked`
 * says whether the answer is about the password shown now (not one typed before).
 */
export function usePasswordCheck(password: string, user: PasswordUser) {
  // A string, so a new object of the same fields on every render does not restart the wait.
  const [userKey] = useDebouncedValue(JSON.stringify([user.username ?? '', user.email ?? '', user.firstName ?? '', user.lastName ?? '']), 250)
  const [debounced] = useDebouncedValue(password, 250)
  const { data, error, pending, run, reset } = useSecretCall('auth.validatePassword')
  useEffect(() => {
    const [username, email, firstName, lastName] = JSON.parse(userKey) as string[]
    if (debounced === '') reset()
    else void run({ password: debounced, user: { username, email, firstName, lastName } })
  }, [debounced, userKey, run, reset])
  const checked = data !== undefined && !pending && debounced === password
  return { result: data, error, checked }
}
