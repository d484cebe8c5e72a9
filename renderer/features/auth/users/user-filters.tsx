import { Group, Kbd, Loader, Select, TextInput } from '@mantine/core'
import { IconSearch } from '@tabler/icons-react'
import type { RefObject } from 'react'
import { useApiQuery } from '../../../api/hooks'
import type { UserFlagFilter } from './use-users'

type Flag = 'isActive' | 'isStaff' | 'isSuperuser'

const FLAGS: { flag: Flag; label: string; yes: string; no: string }[] = [
  { flag: 'isActive', label: 'Active', yes: 'Active', no: 'Inactive' },
  { flag: 'isStaff', label: 'Staff', yes: 'Staff', no: 'Not staff' },
  { flag: 'isSuperuser', label: 'Superuser', yes: 'Superuser', no: 'Not superuser' },
]

const toChoice = (value: boolean | undefined) => (value === undefined ? 'any' : value ? 'yes' : 'no')
const fromChoice = (choice: string | null) => (choice === 'yes' ? true : choice === 'no' ? false : undefined)

interface UserFiltersProps {
  alias: string
  search: string
  onSearch: (search: string) => void
  filter: UserFlagFilter
  onFilter: (filter: UserFlagFilter) => void
  searchInput: RefObject<HTMLInputElement | null>
  loading: boolean
  onArrowDown: () => void
}

/** Django admin's changelist filters: a search over username, email and name, the three flags, a group. */
export function UserFilters({ alias, search, onSearch, filter, onFilter, searchInput, loading, onArrowDown }: UserFiltersProps) {
  const groups = useApiQuery('auth.groups', { alias })
  return (
    <Group gap="xs" align="flex-end">
      <TextInput
        ref={searchInput}
        style={{ flex: 1, minWidth: 200 }}
        aria-label="Search users"
        placeholder="Search username, email or name"
        leftSection={<IconSearch size={14} />}
        rightSection={loading ? <Loader size={14} aria-label="Loading users" /> : <Kbd size="xs">/</Kbd>}
        value={search}
        onChange={(event) => onSearch(event.currentTarget.value)}
        onKeyDown={(event) => {
          if (event.key === 'Escape') onSearch('')
          if (event.key === 'ArrowDown') {
            event.preventDefault()
            onArrowDown()
          }
        }}
      />
      {FLAGS.map(({ flag, label, yes, no }) => (
        <Select
          key={flag}
          w={130}
          aria-label={`Filter: ${label.toLowerCase()}`}
          value={toChoice(filter[flag])}
          onChange={(choice) => onFilter({ ...filter, [flag]: fromChoice(choice) })}
          data={[
            { value: 'any', label: `${label}: any` },
            { value: 'yes', label: yes },
            { value: 'no', label: no },
          ]}
          allowDeselect={false}
        />
      ))}
      <Select
        w={160}
        aria-label="Filter: group"
        placeholder="Any group"
        clearable
        searchable
        value={filter.group ?? null}
        onChange={(group) => onFilter({ ...filter, group: group ?? undefined })}
        data={(groups.data?.groups ?? []).map((group) => group.name)}
        nothingFoundMessage={groups.isError ? 'Could not list the groups' : 'No group'}
      />
    </Group>
  )
}
