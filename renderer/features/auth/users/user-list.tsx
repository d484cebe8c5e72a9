import { Text } from '@mantine/core'
import { countOf } from '../../../../main/api/contract'
import { LoadMoreFooter } from '../../../components/load-more-footer'
import { RelativeTime } from '../../../components/relative-time'
import type { RefObject } from 'react'
import type { useRowKeys } from '../../../components/use-row-keys'
import { VirtualTable } from '../../../components/virtual-table/virtual-table'
import type { AuthUser } from '../types'
import { UserFlags } from './user-flags'

interface UserListProps {
  rows: readonly AuthUser[]
  total: number
  activeId: string | null
  onOpen: (user: AuthUser) => void
  onEndReached: () => void
  hasMore: boolean
  loadingMore: boolean
  /** The box the arrow keys work in, and their handlers. */
  box: RefObject<HTMLDivElement | null>
  rowKeys: ReturnType<typeof useRowKeys<AuthUser>>
}

const fullName = (user: AuthUser) => [user.firstName, user.lastName].filter(Boolean).join(' ')

/** The users as Django admin's changelist shows them, virtualized; arrows move, Enter opens the editor. */
export function UserList({ rows, total, activeId, onOpen, onEndReached, hasMore, loadingMore, box, rowKeys: { onKeyDown, onFocus } }: UserListProps) {
  return (
    <div ref={box} onKeyDown={onKeyDown} onFocus={onFocus}>
      <Text size="xs" c="dimmed" mb={4} aria-label="User count">
        {countOf(total, 'user')}
      </Text>
      <VirtualTable
        aria-label="Users"
        maxHeight="calc(100vh - 300px)"
        rows={rows}
        rowKey={(user) => user.id}
        selectedKey={activeId}
        onRowClick={onOpen}
        onEndReached={onEndReached}
        resizable
        columns={[
          { id: 'username', header: 'Username', width: 150, monospace: true, render: (u) => u.username, title: (u) => u.username },
          { id: 'email', header: 'Email', width: 200, grow: true, render: (u) => u.email ?? '', title: (u) => u.email },
          { id: 'name', header: 'Name', width: 150, render: fullName, title: fullName },
          { id: 'flags', header: 'Status', width: 170, render: (u) => <UserFlags user={u} /> },
          { id: 'groups', header: 'Groups', width: 140, render: (u) => (u.groups ?? []).join(', '), title: (u) => (u.groups ?? []).join(', ') },
          { id: 'login', header: 'Last login', width: 120, render: (u) => (u.lastLogin ? <RelativeTime iso={u.lastLogin} narrow /> : 'never') },
        ]}
      />
      <LoadMoreFooter count={rows.length} noun="user" hasMore={hasMore} loading={loadingMore} onLoadMore={onEndReached} />
    </div>
  )
}
