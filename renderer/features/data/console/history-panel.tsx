import { ActionIcon, Group, Loader, Stack, Text, TextInput, Tooltip } from '@mantine/core'
import { useDebouncedValue } from '@mantine/hooks'
import { useQueryClient } from '@tanstack/react-query'
import { IconSearch, IconTrash } from '@tabler/icons-react'
import { useMemo, useState } from 'react'
import type { MethodOutput } from '../../../../main/api/contract'
import { useApiClient, useApiPagedQuery, useLoadMore } from '../../../api/hooks'
import { ConfirmDialog } from '../../../components/confirm-dialog'
import { ErrorAlert } from '../../../components/error-alert'
import { formatMs } from '../../../components/format'
import { describeRelative } from '../../../components/relative-time'
import classes from './console.module.css'
import { VirtualTable, type VirtualColumn } from '../../../components/virtual-table/virtual-table'

type Entry = MethodOutput<'dataConsole.history'>['entries'][number]

const PAGE = 100
const OUTCOME_COLOR: Record<Entry['outcome'], string> = { ok: 'var(--mantine-color-teal-6)', failed: 'var(--mantine-color-red-6)', cancelled: 'var(--mantine-color-orange-6)' }

function describe(entry: Entry): string {
  const what = entry.outcome === 'ok' ? `${entry.rowCount.toLocaleString('en')} rows` : entry.outcome === 'failed' ? `failed: ${entry.error ?? ''}` : 'cancelled'
  return `${new Date(entry.ranAt).toLocaleString()} · ${what} · ${formatMs(entry.durationMs)}\n\n${entry.sql}${entry.sqlTruncated ? '\n…' : ''}`
}

/** The alias's runs, newest first, searched by their text; a click puts one back into the editor. */
export function HistoryPanel({ alias, onLoad }: { alias: string; onLoad: (sql: string) => void }) {
  const client = useApiClient()
  const queryClient = useQueryClient()
  const [search, setSearch] = useState('')
  const [debounced] = useDebouncedValue(search, 200)
  const [confirmClear, setConfirmClear] = useState(false)
  const history = useApiPagedQuery(
    'dataConsole.history',
    { alias, search: debounced },
    {
      firstPage: 0,
      inputFor: (offset: number) => ({ alias, search: debounced, offset, limit: PAGE }),
      nextPage: (last, all) => {
        const loaded = all.reduce((n, page) => n + page.entries.length, 0)
        return loaded < last.total && last.entries.length > 0 ? loaded : undefined
      },
      keepPrevious: true,
    },
  )
  const entries = useMemo(() => history.data?.pages.flatMap((page) => page.entries) ?? [], [history.data])
  const total = history.data?.pages[0]?.total ?? 0
  const loadMore = useLoadMore(history)
  // Times read relative to when the list was fetched (it is fetched again after every run).
  const now = history.dataUpdatedAt
  const columns: VirtualColumn<Entry>[] = [
    {
      id: 'outcome',
      header: '',
      width: 28,
      render: (e) => <span aria-label={e.outcome} style={{ display: 'inline-block', width: 8, height: 8, borderRadius: 4, background: OUTCOME_COLOR[e.outcome] }} />,
    },
    { id: 'sql', header: 'SQL', width: 160, grow: true, monospace: true, render: (e) => e.sql.replace(/\s+/g, ' ').slice(0, 300), title: describe },
    { id: 'when', header: 'When', width: 70, render: (e) => <Text span fz="xs" c="dimmed">{describeRelative(e.ranAt, now, 'narrow')}</Text>, title: (e) => new Date(e.ranAt).toLocaleString() },
  ]
  return (
    <Stack gap={6} className={classes.fill}>
      <Group gap={6} wrap="nowrap">
        <TextInput size="xs" flex={1} placeholder="Search the history" aria-label="Search the history" leftSection={<IconSearch size={12} />} value={search} onChange={(event) => setSearch(event.currentTarget.value)} />
        {history.isFetching && <Loader size={12} aria-label="Loading the history" />}
        <Tooltip label="Clear the history" withArrow>
          <ActionIcon variant="subtle" color="red" aria-label="Clear the history" onClick={() => setConfirmClear(true)} disabled={total === 0 && debounced === ''}>
            <IconTrash size={14} />
          </ActionIcon>
        </Tooltip>
      </Group>
      {history.isError && <ErrorAlert error={history.error} title="Could not read the history" />}
      {history.isSuccess && entries.length === 0 && (
        <Text size="xs" c="dimmed">
          {debounced ? 'No run matches.' : 'Each run is kept here (the last 1,000), newest first.'}
        </Text>
      )}
      {entries.length > 0 && <VirtualTable aria-label="History" rows={entries} columns={columns} rowKey={(e) => e.id} onRowClick={(e) => onLoad(e.sql)} onEndReached={loadMore} fill />}
      <ConfirmDialog
        opened={confirmClear}
        onClose={() => setConfirmClear(false)}
        title={`Clear the SQL history of “${alias}”?`}
        message="Every run of this alias is forgotten. Saved queries stay."
        confirmLabel="Clear history"
        onConfirm={async () => {
          await client.call('dataConsole.clearHistory', { alias })
          await queryClient.invalidateQueries({ queryKey: ['dataConsole.history'] })
        }}
      />
    </Stack>
  )
}
