import { Badge, Button, Divider, Group, MultiSelect, Stack, Switch, Text, TextInput } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { IconKey } from '@tabler/icons-react'
import { useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { useApiClient, useApiMutation, useApiQuery } from '../../../api/hooks'
import { ConfirmButton } from '../../../components/confirm-button'
import { ErrorAlert } from '../../../components/error-alert'
import { RelativeTime } from '../../../components/relative-time'
import { fieldErrors, isShownByFields } from '../field-errors'
import { PermissionPicker } from '../permissions/permission-picker'
import type { AuthUserDetail } from '../types'
import { SetPasswordDialog } from './set-password-dialog'
import { useUserForm, type UserForm as Draft } from './use-user-form'
import { refreshUserLists } from './use-users'

const TEXT_FIELDS: { field: 'username' | 'email' | 'firstName' | 'lastName'; label: string }[] = [
  { field: 'username', label: 'Username' },
  { field: 'email', label: 'Email' },
  { field: 'firstName', label: 'First name' },
  { field: 'lastName', label: 'Last name' },
]
const SWITCHES: { field: 'isActive' | 'isStaff' | 'isSuperuser'; label: string; description: string }[] = [
  { field: 'isActive', label: 'Active', description: 'Unselect this instead of deleting the account (the model backend refuses inactive users).' },
  { field: 'isStaff', label: 'Staff status', description: 'May log in to the Django admin site.' },
  { field: 'isSuperuser', label: 'Superuser status', description: 'Has every permission without being given them.' },
]
const SHOWN = [...TEXT_FIELDS.map((f) => f.field), ...SWITCHES.map((s) => s.field), 'groups', 'permissions']

/** Profile, flags, groups and direct permissions of one user; password and delete at the bottom. */
export function UserForm({ alias, detail, onDeleted }: { alias: string; detail: AuthUserDetail; onDeleted: () => void }) {
  const client = useApiClient()
  const queryClient = useQueryClient()
  const { form, set, changes, dirty, markSaved, reset } = useUserForm(detail)
  const [settingPassword, setSettingPassword] = useState(false)
  const groups = useApiQuery('auth.groups', { alias })
  const { user } = detail
  const save = useApiMutation('auth.updateUser', {
    onSuccess: async (saved) => {
      const fresh = await client.call('auth.user', { alias, id: saved.id })
      queryClient.setQueryData(['auth.user', { alias, id: saved.id }], fresh)
      markSaved(fresh)
      notifications.show({ color: 'teal', title: 'Saved', message: `User “${saved.username}”.` })
      refreshUserLists(queryClient)
    },
  })
  const errors = fieldErrors(save.error, 'username')
  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (dirty) save.mutate({ alias, id: user.id, ...changes })
  }
  const remove = async () => {
    await client.call('auth.deleteUser', { alias, id: user.id })
    notifications.show({ color: 'teal', title: 'User deleted', message: `“${user.username}” is gone from “${alias}”.` })
    queryClient.removeQueries({ queryKey: ['auth.user', { alias, id: user.id }] })
    refreshUserLists(queryClient)
    onDeleted()
  }

  return (
    <Stack gap="sm">
      <Text size="xs" c="dimmed">
        Joined {user.dateJoined ? <RelativeTime iso={user.dateJoined} /> : 'at an unknown date'} · last login {user.lastLogin ? <RelativeTime iso={user.lastLogin} /> : 'never'} · password{' '}
        {detail.password.usable ? <Badge size="xs" variant="light">{detail.password.algorithm ?? 'unknown algorithm'}</Badge> : <Badge size="xs" color="gray">unusable</Badge>}
      </Text>
      <form onSubmit={submit} noValidate aria-label="Edit the user">
        <Stack gap="xs">
          {TEXT_FIELDS.map(({ field, label }) => (
            <TextInput key={field} label={label} value={form[field]} error={errors[field]} onChange={(event) => set(field, event.currentTarget.value)} withAsterisk={field === 'username'} />
          ))}
          {SWITCHES.map(({ field, label, description }) => (
            <Switch key={field} label={label} description={description} checked={form[field]} onChange={(event) => set(field, event.currentTarget.checked)} />
          ))}
          <MultiSelect
            label="Groups"
            description="The user gets every permission of each group."
            data={[...new Set([...(groups.data?.groups ?? []).map((group) => group.name), ...form.groups])]}
            value={form.groups}
            onChange={(next: Draft['groups']) => set('groups', next)}
            searchable
            clearable
            error={errors.groups ?? (groups.isError ? groups.error.message : undefined)}
            nothingFoundMessage="No such group: create it under Groups"
            comboboxProps={{ withinPortal: true }}
          />
          <PermissionPicker alias={alias} label="User permissions" description="Given to this user directly, besides their groups'." value={form.permissions} onChange={(next) => set('permissions', next)} error={errors.permissions} />
          {save.isError && !isShownByFields(save.error, SHOWN, 'username') && <ErrorAlert error={save.error} title="Not saved" />}
          <Group justify="flex-end">
            <Button variant="default" onClick={reset} disabled={!dirty || save.isPending}>
              Undo changes
            </Button>
            <Button type="submit" loading={save.isPending} disabled={!dirty}>
              Save
            </Button>
          </Group>
        </Stack>
      </form>
      <Divider />
      <Group justify="space-between">
        <Button variant="default" leftSection={<IconKey size={14} />} onClick={() => setSettingPassword(true)}>
          Set password…
        </Button>
        <ConfirmButton title={`Delete the user “${user.username}”?`} message={`Their group memberships and permissions go with them, from auth alias “${alias}”. Setting them inactive instead keeps the account.`} confirmLabel="Delete user" onConfirm={remove}>
          Delete user
        </ConfirmButton>
      </Group>
      {settingPassword && <SetPasswordDialog alias={alias} user={user} onClose={() => setSettingPassword(false)} />}
    </Stack>
  )
}
