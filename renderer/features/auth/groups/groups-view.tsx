import { Button, Center, Grid, Group, Loader, Stack, Text } from '@mantine/core'
import { IconUsersPlus } from '@tabler/icons-react'
import { useState } from 'react'
import { countOf } from '../../../../main/api/contract'
import { useApiQuery } from '../../../api/hooks'
import { EmptyMessage } from '../../../components/empty-message'
import { ErrorAlert } from '../../../components/error-alert'
import { VirtualTable } from '../../../components/virtual-table/virtual-table'
import { GroupEditor } from './group-editor'

/** Django's groups: the list with member counts on the left, the opened (or a new) group on the right. */
export function GroupsView({ alias }: { alias: string }) {
  const groups = useApiQuery('auth.groups', { alias })
  // null: nothing open; 'new': the form for a new group; otherwise a group's id.
  const [opened, setOpened] = useState<string | null>(null)
  const list = groups.data?.groups ?? []
  const group = list.find((g) => g.id === opened)

  return (
    <Grid gap="md">
      <Grid.Col span={{ base: 12, md: 6 }}>
        <Stack gap="xs">
          <Group justify="space-between">
            <Text size="xs" c="dimmed" aria-label="Group count">
              {groups.isSuccess ? countOf(list.length, 'group') : ''}
            </Text>
            <Button leftSection={<IconUsersPlus size={14} />} onClick={() => setOpened('new')}>
              New group
            </Button>
          </Group>
          {groups.isPending && (
            <Center py="lg">
              <Loader size="sm" aria-label="Loading the groups" />
            </Center>
          )}
          {groups.isError && <ErrorAlert error={groups.error} title="Could not list the groups" />}
          {groups.isSuccess && list.length === 0 && (
            <EmptyMessage title="No groups yet">Make one with “New group”, give it permissions, then add users to it in their editor.</EmptyMessage>
          )}
          {list.length > 0 && (
            <VirtualTable
              aria-label="Groups"
              maxHeight="calc(100vh - 300px)"
              rows={list}
              rowKey={(g) => g.id}
              selectedKey={opened}
              onRowClick={(g) => setOpened(g.id)}
              columns={[
                { id: 'name', header: 'Name', width: 200, grow: true, render: (g) => g.name, title: (g) => g.name },
                { id: 'members', header: 'Members', width: 90, align: 'right', render: (g) => g.userCount },
                { id: 'perms', header: 'Permissions', width: 100, align: 'right', render: (g) => g.permissions.length },
              ]}
            />
          )}
        </Stack>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 6 }}>
        {opened === 'new' && <GroupEditor key="new" alias={alias} group={null} onSaved={(saved) => setOpened(saved.id)} onDeleted={() => setOpened(null)} />}
        {group && <GroupEditor key={group.id} alias={alias} group={group} onSaved={(saved) => setOpened(saved.id)} onDeleted={() => setOpened(null)} />}
        {opened === null && list.length > 0 && (
          <Text size="sm" c="dimmed" p="md">
            Open a group to rename it or change its permissions.
          </Text>
        )}
      </Grid.Col>
    </Grid>
  )
}
