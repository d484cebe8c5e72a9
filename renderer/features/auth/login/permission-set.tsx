import { Badge, Group, Stack, Text, TextInput } from '@mantine/core'
import { IconSearch } from '@tabler/icons-react'
import { useState } from 'react'
import { countOf } from '../../../../main/api/contract'
import { VirtualTable } from '../../../components/virtual-table/virtual-table'

/** A permission set (get_all_permissions()), searchable, grouped visually by app label. */
export function PermissionSet({ permissions, superuser }: { permissions: readonly string[]; superuser: boolean }) {
  const [search, setSearch] = useState('')
  const words = search.toLowerCase().split(/\s+/).filter(Boolean)
  const shown = [...permissions].sort().filter((perm) => words.every((word) => perm.toLowerCase().includes(word)))
  return (
    <Stack gap={6} aria-label="Permission set" role="region">
      <Group justify="space-between">
        <Text size="sm" fw={600}>
          Permissions{' '}
          <Text span size="xs" c="dimmed" fw={400}>
            {countOf(permissions.length, 'permission')}
          </Text>
        </Text>
        {superuser && (
          <Badge color="grape" variant="light" style={{ textTransform: 'none' }}>
            a superuser: has_perm() is true for every permission
          </Badge>
        )}
      </Group>
      {permissions.length === 0 ? (
        <Text size="sm" c="dimmed">
          None: neither the user nor their groups have been given any.
        </Text>
      ) : (
        <>
          <TextInput size="xs" aria-label="Search the permissions" placeholder="Search: auth.change" leftSection={<IconSearch size={12} />} value={search} onChange={(event) => setSearch(event.currentTarget.value)} />
          <VirtualTable
            aria-label="Permissions"
            maxHeight={260}
            rows={shown}
            rowKey={(perm) => perm}
            columns={[
              { id: 'app', header: 'App', width: 120, monospace: true, render: (perm) => perm.slice(0, perm.indexOf('.')) },
              { id: 'perm', header: 'Permission', width: 200, grow: true, monospace: true, render: (perm) => perm.slice(perm.indexOf('.') + 1), title: (perm) => perm },
            ]}
          />
        </>
      )}
    </Stack>
  )
}
