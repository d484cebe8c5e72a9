import { MultiSelect } from '@mantine/core'
import { useMemo } from 'react'
import { ApiError } from '../../../api/api-error'
import { groupByApp, matchWords } from './permission-options'
import { usePermissions } from './use-permissions'

interface PermissionPickerProps {
  alias: string
  label: string
  description?: string
  value: string[]
  onChange: (perms: string[]) => void
  error?: string | undefined
}

/** Picks permissions (`app_label.codename`) from the alias's auth_permission table, searchable, grouped by app. */
export function PermissionPicker({ alias, label, description, value, onChange, error }: PermissionPickerProps) {
  const permissions = usePermissions(alias)
  const data = useMemo(() => groupByApp(permissions.data?.permissions ?? []), [permissions.data])
  // A permission held but no longer in auth_permission still shows (and can be removed).
  const known = new Set(permissions.data?.permissions.map((p) => p.perm))
  const orphans = value.filter((perm) => !known.has(perm))
  const options = orphans.length && permissions.isSuccess ? [...data, { group: 'Not in auth_permission', items: orphans.map((perm) => ({ value: perm, label: perm })) }] : data
  const loadError = permissions.isError ? `${ApiError.from(permissions.error).message} ${ApiError.from(permissions.error).hint ?? ''}`.trim() : undefined
  return (
    <MultiSelect
      label={label}
      description={description}
      placeholder={value.length ? undefined : 'Search permissions: “add user”, “auth.”'}
      data={permissions.isSuccess ? options : value.map((perm) => ({ value: perm, label: perm }))}
      value={value}
      onChange={onChange}
      searchable
      clearable
      filter={matchWords}
      limit={200}
      maxDropdownHeight={280}
      nothingFoundMessage={permissions.isPending ? 'Loading the permissions…' : 'No permission matches'}
      error={error ?? loadError}
      comboboxProps={{ withinPortal: true }}
    />
  )
}
