import { Badge, Group, Loader, Stack, Text, TextInput } from '@mantine/core'
import { IconSearch } from '@tabler/icons-react'
import { useState } from 'react'
import type { MethodOutput } from '../../../main/api/contract'
import { useApiQuery } from '../../api/hooks'
import { ErrorAlert } from '../../components/error-alert'
import { VirtualTable } from '../../components/virtual-table/virtual-table'

type TableInfo = MethodOutput<'data.tables'>[number]

const keyOf = (table: TableInfo) => `${table.schema ?? ''}.${table.name}`

/** The tables and views of the database; choosing one shows its first rows. */
export function TableList({ alias, onOpen }: { alias: string; onOpen: (table: TableInfo) => void }) {
  const tables = useApiQuery('data.tables', { alias })
  const [filter, setFilter] = useState('')
  const [selected, setSelected] = useState<string | null>(null)
  const shown = (tables.data ?? []).filter((table) => table.name.toLowerCase().includes(filter.toLowerCase()))
  return (
    <Stack gap={6}>
      <Group justify="space-between">
        <Text fw={600} size="sm">
          Tables
        </Text>
        {tables.isFetching && <Loader size={12} aria-label="Loading tables" />}
      </Group>
      <TextInput placeholder="Filter" aria-label="Filter tables" leftSection={<IconSearch size={14} />} value={filter} onChange={(event) => setFilter(event.currentTarget.value)} />
      {tables.isError && <ErrorAlert error={tables.error} title="Could not list the tables" />}
      {tables.data?.length === 0 && (
        <Text size="xs" c="dimmed">
          No tables yet. Create one with a CREATE TABLE statement on the right.
        </Text>
      )}
      {shown.length > 0 && (
        <VirtualTable
          aria-label="Tables"
          maxHeight="calc(100vh - 250px)"
          rows={shown}
          rowKey={keyOf}
          selectedKey={selected}
          onRowClick={(table) => {
            setSelected(keyOf(table))
            onOpen(table)
          }}
          columns={[
            { id: 'name', header: 'Name', width: 140, grow: true, monospace: true, render: (t) => (t.schema ? `${t.schema}.${t.name}` : t.name), title: (t) => t.name },
            { id: 'type', header: 'Type', width: 64, render: (t) => <Badge size="xs" tt="none" color={t.type === 'view' ? 'grape' : 'gray'}>{t.type}</Badge> },
          ]}
        />
      )}
    </Stack>
  )
}
