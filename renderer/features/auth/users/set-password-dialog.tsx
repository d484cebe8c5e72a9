import { Button, Group, Modal, PasswordInput, SegmentedControl, Stack, Text } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { ErrorAlert } from '../../../components/error-alert'
import { fieldErrors, isShownByFields } from '../field-errors'
import { NewPasswordFields } from '../passwords/new-password-fields'
import type { AuthUser } from '../types'
import { useSecretCall } from '../use-secret-call'

/** Django's set_password() or set_unusable_password(), for one user. */
export function SetPasswordDialog({ alias, user, onClose }: { alias: string; user: AuthUser; onClose: () => void }) {
  const queryClient = useQueryClient()
  const [mode, setMode] = useState<'password' | 'unusable'>('password')
  const [password, setPassword] = useState('')
  const [repeat, setRepeat] = useState('')
  const [skipValidation, setSkipValidation] = useState(false)
  const save = useSecretCall('auth.setPassword')
  const errors = fieldErrors(save.error)
  const mismatch = repeat !== '' && repeat !== password
  const ready = mode === 'unusable' || (password !== '' && repeat === password)

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    if (!ready) return
    const done = await save.run(mode === 'unusable' ? { alias, username: user.username, unusable: true } : { alias, username: user.username, password, skipValidation })
    if (!done) return
    notifications.show({ color: 'teal', title: mode === 'unusable' ? 'Password made unusable' : 'Password set', message: `for “${user.username}”.` })
    void queryClient.invalidateQueries({ queryKey: ['auth.user', { alias, id: user.id }] })
    onClose()
  }
  return (
    <Modal opened onClose={onClose} title={`Password of “${user.username}”`} size="md">
      <form onSubmit={(event) => void submit(event)} noValidate aria-label="Set the password">
        <Stack gap="xs">
          <SegmentedControl
            value={mode}
            onChange={(value) => setMode(value as 'password' | 'unusable')}
            aria-label="Password kind"
            data={[
              { value: 'password', label: 'New password' },
              { value: 'unusable', label: 'Unusable password' },
            ]}
          />
          {mode === 'unusable' ? (
            <Text size="sm">The user can no longer log in with a password (Django's set_unusable_password); other backends, such as LDAP, still may let them in.</Text>
          ) : (
            <>
              <NewPasswordFields password={password} onPassword={setPassword} skipValidation={skipValidation} onSkipValidation={setSkipValidation} user={user} error={errors.password} autoFocus />
              <PasswordInput label="Repeat it" autoComplete="new-password" value={repeat} error={mismatch ? 'The two passwords differ.' : undefined} onChange={(e) => setRepeat(e.currentTarget.value)} />
            </>
          )}
          {save.error && !isShownByFields(save.error, ['password']) && <ErrorAlert error={save.error} title="Not set" />}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={save.pending} disabled={!ready}>
              {mode === 'unusable' ? 'Make unusable' : 'Set password'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  )
}
