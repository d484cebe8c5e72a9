import { ActionIcon, Group, Stack, Text, TextInput } from '@mantine/core'
import { useQueryClient } from '@tanstack/react-query'
import { IconPencil, IconSearch, IconTrash } from '@tabler/icons-react'
import { useState } from 'react'
import { useApiClient, useApiQuery } from '../../../api/hooks'
import { ConfirmDialog } from '../../../components/confirm-dialog'
import { ErrorAlert } from '../../../components/error-alert'
import { MOD_KEY_LABEL } from '../../../components/mod-key'
import classes from './console.module.css'
import { VirtualTable, type VirtualColumn } from '../../../components/virtual-table/virtual-table'
import type { SavedQuery, SaveRequest } from './save-query-dialog'

interface SavedQueriesPanelProps {
  alias: string
  openedId: string | null
  onOpen: (saved: SavedQuery) => void
  onRename: (request: SaveRequest) => void
  onDeleted: (id: string) => void
}

/** The alias's saved queries by name: open one into the editor, rename or delete it. */
export function SavedQueriesPanel({ alias, openedId, onOpen, onRename, onDeleted }: SavedQueriesPanelProps) {
  const client = useApiClient()
  const queryClient = useQueryClient()
  const saved = useApiQuery('dataConsole.saved', { alias })
  const [filter, setFilter] = useState('')
  const [deleting, setDeleting] = useState<SavedQuery | null>(null)
  const shown = (saved.data ?? []).filter((s) => s.name.toLowerCase().includes(filter.toLowerCase()))
  const columns: VirtualColumn<SavedQuery>[] = [
    { id: 'name', header: 'Name', width: 160, grow: true, render: (s) => s.name, title: (s) => s.sql.slice(0, 2000) },
    {
      id: 'actions',
      header: '',
      width: 60,
      render: (s) => (
        <Group gap={2} wrap="nowrap" onClick={(event) => event.stopPropagation()} onKeyDown={(event) => event.stopPropagation()}>
          <ActionIcon size="sm" variant="subtle" aria-label={`Rename ${s.name}`} onClick={() => onRename({ id: s.id, name: s.name, sql: s.sql })}>
            <IconPencil size={12} />
          </ActionIcon>
          <ActionIcon size="sm" variant="subtle" color="red" aria-label={`Delete ${s.name}`} onClick={() => setDeleting(s)}>
            <IconTrash size={12} />
          </ActionIcon>
        </Group>
      ),
    },
  ]
  return (
    <Stack gap={6} className={classes.fill}>
      <TextInput size="xs" placeholder="Filter saved queries" aria-label="Filter saved queries" leftSection={<IconSearch size={12} />} value={filter} onChange={(event) => setFilter(event.currentTarget.value)} />
      {saved.isError && <ErrorAlert error={saved.error} title="Could not read the saved queries" />}
      {saved.isSuccess && shown.length === 0 && (
        <Text size="xs" c="dimmed">
          {filter ? 'No saved query matches.' : `Nothing saved yet. Save the editor’s SQL with Save or ${MOD_KEY_LABEL}+S.`}
        </Text>
      )}
      {shown.length > 0 && (
        <VirtualTable aria-label="Saved queries" rows={shown} columns={columns} rowKey={(s) => s.id} selectedKey={openedId} onRowClick={onOpen} fill />
      )}
      <ConfirmDialog
        opened={deleting !== null}
        onClose={() => setDeleting(null)}
        title={`Delete the saved query “${deleting?.name ?? ''}”?`}
        message="Its SQL is gone for good (the history keeps the runs)."
        confirmLabel="Delete"
        onConfirm={async () => {
          if (!deleting) return
          await client.call('dataConsole.deleteSaved', { alias, id: deleting.id })
          onDeleted(deleting.id)
          await queryClient.invalidateQueries({ queryKey: ['dataConsole.saved'] })
        }}
      />
    </Stack>
  )
}
