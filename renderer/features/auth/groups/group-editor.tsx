import { Button, Group, Stack, TextInput } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { countOf } from '../../../../main/api/contract'
import { useApiClient, useApiMutation } from '../../../api/hooks'
import { ConfirmButton } from '../../../components/confirm-button'
import { ErrorAlert } from '../../../components/error-alert'
import { ItemPanel } from '../../../components/item-panel'
import { fieldErrors, isShownByFields } from '../field-errors'
import { PermissionPicker } from '../permissions/permission-picker'
import type { AuthGroup } from '../types'

interface GroupEditorProps {
  alias: string
  /** null: a new group. */
  group: AuthGroup | null
  onSaved: (group: AuthGroup) => void
  onDeleted: () => void
}

/** A group's name and permissions (auth.saveGroup replaces both); delete asks first, naming the members who lose it. */
export function GroupEditor({ alias, group, onSaved, onDeleted }: GroupEditorProps) {
  const client = useApiClient()
  const queryClient = useQueryClient()
  const [name, setName] = useState(group?.name ?? '')
  const [permissions, setPermissions] = useState(() => [...(group?.permissions ?? [])].sort())
  const dirty = group === null || name !== group.name || JSON.stringify(permissions) !== JSON.stringify([...group.permissions].sort())
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: ['auth.groups'] })
    // Members' permissions and the group filter of the user list follow the group.
    void queryClient.invalidateQueries({ queryKey: ['auth.users'] })
    void queryClient.invalidateQueries({ queryKey: ['auth.user'] })
  }
  const save = useApiMutation('auth.saveGroup', {
    onSuccess: (saved) => {
      notifications.show({ color: 'teal', title: group ? 'Group saved' : 'Group created', message: `“${saved.name}”, ${countOf(saved.permissions.length, 'permission')}.` })
      refresh()
      onSaved(saved)
    },
  })
  const errors = fieldErrors(save.error, 'name')
  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (name.trim() !== '' && dirty) save.mutate({ alias, ...(group ? { id: group.id } : {}), name: name.trim(), permissions })
  }
  const remove = async () => {
    if (!group) return
    await client.call('auth.deleteGroup', { alias, id: group.id })
    notifications.show({ color: 'teal', title: 'Group deleted', message: `“${group.name}”.` })
    refresh()
    onDeleted()
  }
  return (
    <ItemPanel
      label={group ? 'Selected group' : 'New group'}
      name={group ? group.name : 'New group'}
      meta={group ? `${countOf(group.userCount, 'member')} · ${countOf(group.permissions.length, 'permission')}` : 'Name it and give it permissions.'}
      actions={
        group && (
          <ConfirmButton
            size="xs"
            title={`Delete the group “${group.name}”?`}
            message={group.userCount > 0 ? `Its ${countOf(group.userCount, 'member')} stay, without it and the permissions it gave them.` : 'It has no members.'}
            confirmLabel="Delete group"
            onConfirm={remove}
          >
            Delete group
          </ConfirmButton>
        )
      }
    >
      <form onSubmit={submit} noValidate aria-label={group ? 'Edit the group' : 'Create a group'}>
        <Stack gap="xs">
          <TextInput label="Name" withAsterisk data-autofocus value={name} error={errors.name} onChange={(event) => setName(event.currentTarget.value)} />
          <PermissionPicker alias={alias} label="Permissions" description="Every member has these." value={permissions} onChange={(next) => setPermissions([...next].sort())} error={errors.permissions} />
          {save.isError && !isShownByFields(save.error, ['name', 'permissions'], 'name') && <ErrorAlert error={save.error} title="Not saved" />}
          <Group justify="flex-end">
            <Button type="submit" loading={save.isPending} disabled={name.trim() === '' || !dirty}>
              {group ? 'Save group' : 'Create group'}
            </Button>
          </Group>
        </Stack>
      </form>
    </ItemPanel>
  )
}
