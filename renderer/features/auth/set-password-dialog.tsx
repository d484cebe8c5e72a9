import { Button, Group, Modal, PasswordInput, Stack } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useState, type FormEvent } from 'react'
import { useApiMutation } from '../../api/hooks'
import { ErrorAlert } from '../../components/error-alert'

export function SetPasswordDialog({ alias, username, onClose }: { alias: string; username: string; onClose: () => void }) {
  const [password, setPassword] = useState('')
  const [repeat, setRepeat] = useState('')
  const mismatch = repeat !== '' && repeat !== password
  const save = useApiMutation('auth.setPassword', {
    onSuccess: () => {
      notifications.show({ color: 'teal', title: 'Password set', message: `for “${username}”.` })
      onClose()
    },
  })
  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (password !== '' && !mismatch) save.mutate({ alias, username, password })
  }
  return (
    <Modal opened onClose={onClose} title={`Set the password of “${username}”`} size="sm">
      <form onSubmit={submit} noValidate>
        <Stack gap="xs">
          <PasswordInput label="New password" autoComplete="new-password" data-autofocus value={password} onChange={(e) => setPassword(e.currentTarget.value)} />
          <PasswordInput label="Repeat it" autoComplete="new-password" value={repeat} error={mismatch ? 'The two passwords differ.' : undefined} onChange={(e) => setRepeat(e.currentTarget.value)} />
          {save.isError && <ErrorAlert error={save.error} title="Not set" />}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={save.isPending} disabled={password === '' || repeat !== password}>
              Set password
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  )
}
