import { Button, Group, Stack } from '@mantine/core'
import { useDebouncedValue } from '@mantine/hooks'
import { IconUserPlus } from '@tabler/icons-react'
import { useRef, useState } from 'react'
import { EmptyMessage } from '../../../components/empty-message'
import { ErrorAlert } from '../../../components/error-alert'
import { useRowKeys } from '../../../components/use-row-keys'
import { useSlashFocus } from '../../../components/use-slash-focus'
import type { AuthUser } from '../types'
import { CreateUserDialog } from './create-user-dialog'
import { UserEditor } from './user-editor'
import { UserFilters } from './user-filters'
import { UserList } from './user-list'
import { useUsers, type UserFlagFilter } from './use-users'
import { UsersEmpty } from './users-empty'

/** Django admin's users changelist: search, filters, the list, and the editor of the one opened. */
export function UsersView({ alias }: { alias: string }) {
  const [search, setSearch] = useState('')
  const [debounced] = useDebouncedValue(search.trim(), 250)
  const [filter, setFilter] = useState<UserFlagFilter>({})
  const { users, rows, total, loadMore } = useUsers(alias, { ...filter, search: debounced })
  const [activeId, setActiveId] = useState<string | null>(null)
  const [openedId, setOpenedId] = useState<string | null>(null)
  const [creating, setCreating] = useState(false)
  const searchInput = useRef<HTMLInputElement>(null)
  const listBox = useRef<HTMLDivElement>(null)
  useSlashFocus(searchInput)
  const rowKeys = useRowKeys<AuthUser>({ box: listBox, rows, rowKey: (user) => user.id, activeKey: activeId, onActivate: (user) => setActiveId(user.id) })
  const filtered = debounced !== '' || Object.values(filter).some((value) => value !== undefined)

  const open = (user: AuthUser) => {
    setActiveId(user.id)
    setOpenedId(user.id)
  }

  return (
    <Stack gap="xs">
      <Group justify="space-between" align="flex-end">
        <UserFilters
          alias={alias}
          search={search}
          onSearch={setSearch}
          filter={filter}
          onFilter={setFilter}
          searchInput={searchInput}
          loading={users.isFetching}
          onArrowDown={rowKeys.focusFirst}
        />
        <Button leftSection={<IconUserPlus size={14} />} onClick={() => setCreating(true)}>
          New user
        </Button>
      </Group>
      {users.isError && <ErrorAlert error={users.error} title={users.isFetchNextPageError ? 'Could not list more users' : 'Could not list the users'} actions={<Button size="xs" variant="default" onClick={() => void users.refetch()}>Retry</Button>} />}
      {users.isSuccess && rows.length === 0 &&
        (filtered ? (
          <EmptyMessage title="No user matches">Try another search, or set the filters back to “any”.</EmptyMessage>
        ) : (
          <UsersEmpty alias={alias} />
        ))}
      {rows.length > 0 && (
        <UserList rows={rows} total={total} activeId={activeId} onOpen={open} onEndReached={loadMore} hasMore={users.hasNextPage} loadingMore={users.isFetchingNextPage} box={listBox} rowKeys={rowKeys} />
      )}
      {creating && <CreateUserDialog alias={alias} onClose={() => setCreating(false)} onCreated={(user) => setActiveId(user.id)} />}
      {openedId !== null && <UserEditor key={openedId} alias={alias} id={openedId} onClose={() => setOpenedId(null)} />}
    </Stack>
  )
}
