import { Badge, Button, Group, Loader, Stack, Text, TextInput, Title } from '@mantine/core'
import { useDebouncedValue } from '@mantine/hooks'
import { IconKey, IconSearch, IconUserPlus } from '@tabler/icons-react'
import { useState } from 'react'
import type { MethodOutput } from '../../../main/api/contract'
import { useApiPagedQuery, useLoadMore } from '../../api/hooks'
import { EmptyMessage } from '../../components/empty-message'
import { ErrorAlert } from '../../components/error-alert'
import { VirtualTable } from '../../components/virtual-table/virtual-table'
import { CreateUserDialog } from './create-user-dialog'
import { SetPasswordDialog } from './set-password-dialog'
import { countOf } from '../../../main/api/contract'

type User = MethodOutput<'auth.users'>['users'][number]

const PAGE = 100

function flags(user: User) {
  return (
    <Group gap={4} wrap="nowrap">
      {!user.isActive && <Badge color="gray">inactive</Badge>}
      {user.isStaff && <Badge color="indigo">staff</Badge>}
      {user.isSuperuser && <Badge color="grape">superuser</Badge>}
    </Group>
  )
}

/** Users of an alias that owns them (Django's model backend), searched and paged by the backend. */
export function UserList({ alias }: { alias: string }) {
  const [search, setSearch] = useState('')
  const [debounced] = useDebouncedValue(search.trim(), 300)
  const [selected, setSelected] = useState<User | null>(null)
  const [dialog, setDialog] = useState<'create' | 'password' | null>(null)
  const users = useApiPagedQuery(
    'auth.users',
    { alias, search: debounced },
    {
      firstPage: 0,
      inputFor: (offset) => ({ alias, search: debounced, offset, limit: PAGE }),
      nextPage: (last, all) => {
        const loaded = all.reduce((sum, page) => sum + page.users.length, 0)
        return loaded < last.total && last.users.length > 0 ? loaded : undefined
      },
    },
  )
  const rows = users.data?.pages.flatMap((page) => page.users) ?? []
  const total = users.data?.pages.at(-1)?.total ?? 0
  const loadMore = useLoadMore(users)

  return (
    <Stack gap={6}>
      <Group justify="space-between">
        <Title order={2}>Users</Title>
        <Group gap="xs">
          <Button variant="default" leftSection={<IconKey size={14} />} disabled={!selected} onClick={() => setDialog('password')}>
            Set password{selected ? ` of ${selected.username}` : ''}
          </Button>
          <Button leftSection={<IconUserPlus size={14} />} onClick={() => setDialog('create')}>
            New user
          </Button>
        </Group>
      </Group>
      <Group gap="xs">
        <TextInput style={{ flex: 1 }} aria-label="Search users" placeholder="Search username, email or name" leftSection={<IconSearch size={14} />} value={search} onChange={(e) => setSearch(e.currentTarget.value)} />
        {users.isFetching && <Loader size={14} aria-label="Loading users" />}
      </Group>
      {users.isError && <ErrorAlert error={users.error} title="Could not list the users" />}
      {users.isSuccess && rows.length === 0 && (
        <EmptyMessage title={debounced ? 'No user matches' : 'No users yet'}>{debounced ? 'Try another search.' : 'Create the first one with “New user”.'}</EmptyMessage>
      )}
      {rows.length > 0 && (
        <>
          <VirtualTable
            aria-label="Users"
            maxHeight="calc(100vh - 280px)"
            rows={rows}
            rowKey={(user) => user.id}
            selectedKey={selected?.id ?? null}
            onRowClick={setSelected}
            onEndReached={loadMore}
            columns={[
              { id: 'username', header: 'Username', width: 110, monospace: true, render: (u) => u.username },
              { id: 'email', header: 'Email', width: 170, grow: true, render: (u) => u.email ?? '' },
              { id: 'name', header: 'Name', width: 110, render: (u) => [u.firstName, u.lastName].filter(Boolean).join(' ') },
              { id: 'flags', header: '', width: 140, render: flags },
              { id: 'login', header: 'Last login', width: 120, render: (u) => (u.lastLogin ? new Date(u.lastLogin).toLocaleDateString() : 'never') },
            ]}
          />
          <Text size="xs" c="dimmed">
            {rows.length} of {countOf(total, 'user')}
          </Text>
        </>
      )}
      {dialog === 'create' && <CreateUserDialog alias={alias} onClose={() => setDialog(null)} />}
      {dialog === 'password' && selected && <SetPasswordDialog alias={alias} username={selected.username} onClose={() => setDialog(null)} />}
    </Stack>
  )
}
