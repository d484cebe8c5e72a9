import { Button, Group, Modal, PasswordInput, Stack, Switch, TextInput } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useQueryClient } from '@tanstack/react-query'
import { useState, type ChangeEvent, type FormEvent } from 'react'
import { useApiMutation } from '../../api/hooks'
import { ErrorAlert } from '../../components/error-alert'

/** A new user; the password is hashed by the backend with Django's preferred hasher, never here. */
export function CreateUserDialog({ alias, onClose }: { alias: string; onClose: () => void }) {
  const queryClient = useQueryClient()
  const [form, setForm] = useState({ username: '', password: '', email: '', firstName: '', lastName: '', isStaff: false, isSuperuser: false })
  const create = useApiMutation('auth.createUser', {
    onSuccess: (user) => {
      notifications.show({ color: 'teal', title: 'User created', message: `“${user.username}” in auth alias “${alias}”.` })
      void queryClient.invalidateQueries({ queryKey: ['auth.users'] })
      onClose()
    },
  })
  const usernameIssue = create.error?.issues.find((issue) => issue.path[0] === 'username')?.message
  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (form.username === '') return
    create.mutate({ alias, ...form, password: form.password === '' ? undefined : form.password })
  }
  const text = (field: 'username' | 'password' | 'email' | 'firstName' | 'lastName') => ({
    value: form[field],
    onChange: (event: ChangeEvent<HTMLInputElement>) => setForm({ ...form, [field]: event.currentTarget.value }),
  })
  return (
    <Modal opened onClose={onClose} title={`New user in “${alias}”`} size="md">
      <form onSubmit={submit} noValidate>
        <Stack gap="xs">
          <TextInput label="Username" withAsterisk data-autofocus error={usernameIssue} {...text('username')} />
          <PasswordInput label="Password" description="Leave empty for an unusable password (the user cannot log in until one is set)." autoComplete="new-password" {...text('password')} />
          <TextInput label="Email" type="email" {...text('email')} />
          <Group grow>
            <TextInput label="First name" {...text('firstName')} />
            <TextInput label="Last name" {...text('lastName')} />
          </Group>
          <Switch label="Staff (may log in to the Django admin)" checked={form.isStaff} onChange={(e) => setForm({ ...form, isStaff: e.currentTarget.checked })} />
          <Switch label="Superuser (has every permission)" checked={form.isSuperuser} onChange={(e) => setForm({ ...form, isSuperuser: e.currentTarget.checked })} />
          {create.isError && !usernameIssue && <ErrorAlert error={create.error} title="Not created" />}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending} disabled={form.username === ''}>
              Create user
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  )
}
