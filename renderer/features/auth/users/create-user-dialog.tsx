import { Button, Group, Modal, Stack, Switch, TextInput } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useQueryClient } from '@tanstack/react-query'
import { useState, type ChangeEvent, type FormEvent } from 'react'
import { ErrorAlert } from '../../../components/error-alert'
import { fieldErrors, isShownByFields } from '../field-errors'
import { NewPasswordFields } from '../passwords/new-password-fields'
import type { AuthUser } from '../types'
import { useSecretCall } from '../use-secret-call'
import { refreshUserLists } from './use-users'

const FIELDS = ['username', 'password', 'email', 'firstName', 'lastName'] as const

/** A new user; the password is hashed by the backend with Django's preferred hasher, never here. */
export function CreateUserDialog({ alias, onClose, onCreated }: { alias: string; onClose: () => void; onCreated: (user: AuthUser) => void }) {
  const queryClient = useQueryClient()
  const [form, setForm] = useState({ username: '', email: '', firstName: '', lastName: '', isStaff: false, isSuperuser: false })
  const [password, setPassword] = useState('')
  const [skipValidation, setSkipValidation] = useState(false)
  const create = useSecretCall('auth.createUser')
  const errors = fieldErrors(create.error, 'username')

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    if (form.username === '') return
    const user = await create.run({ alias, ...form, password: password === '' ? undefined : password, skipValidation })
    if (!user) return
    notifications.show({ color: 'teal', title: 'User created', message: `“${user.username}” in auth alias “${alias}”${password === '' ? ', with an unusable password' : ''}.` })
    refreshUserLists(queryClient)
    onCreated(user)
    onClose()
  }
  const text = (field: (typeof FIELDS)[number] & keyof typeof form) => ({
    value: form[field],
    error: errors[field],
    onChange: (event: ChangeEvent<HTMLInputElement>) => setForm({ ...form, [field]: event.currentTarget.value }),
  })
  return (
    <Modal opened onClose={onClose} title={`New user in “${alias}”`} size="md">
      <form onSubmit={(event) => void submit(event)} noValidate aria-label="New user">
        <Stack gap="xs">
          <TextInput label="Username" withAsterisk data-autofocus autoComplete="off" {...text('username')} />
          <NewPasswordFields
            password={password}
            onPassword={setPassword}
            skipValidation={skipValidation}
            onSkipValidation={setSkipValidation}
            user={form}
            description="Leave empty for an unusable password (the user cannot log in until one is set)."
            error={errors.password}
          />
          <TextInput label="Email" type="email" {...text('email')} />
          <Group grow>
            <TextInput label="First name" {...text('firstName')} />
            <TextInput label="Last name" {...text('lastName')} />
          </Group>
          <Switch label="Staff (may log in to the Django admin)" checked={form.isStaff} onChange={(e) => setForm({ ...form, isStaff: e.currentTarget.checked })} />
          <Switch label="Superuser (has every permission)" checked={form.isSuperuser} onChange={(e) => setForm({ ...form, isSuperuser: e.currentTarget.checked })} />
          {create.error && !isShownByFields(create.error, FIELDS, 'username') && <ErrorAlert error={create.error} title="Not created" />}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={create.pending} disabled={form.username === ''}>
              Create user
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  )
}
