import { Button, Center, Group, Loader, Stack, Text } from '@mantine/core'
import { useDebouncedValue } from '@mantine/hooks'
import { IconRefresh } from '@tabler/icons-react'
import { useState } from 'react'
import { countOf } from '../../../../main/api/contract'
import { EmptyMessage } from '../../../components/empty-message'
import { ErrorAlert } from '../../../components/error-alert'
import { formatMs } from '../../../components/format'
import { LoadMoreFooter } from '../../../components/load-more-footer'
import { VirtualTable } from '../../../components/virtual-table/virtual-table'
import { OutcomeBadge } from '../outcome-badge'
import type { AuditEntry } from '../types'
import { AuditExportMenu } from './audit-export-menu'
import { AuditFilters } from './audit-filters'
import { useAudit, type AuditChoiceFilter, type AuditFilter } from './use-audit'

const timeOf = (entry: AuditEntry) => new Date(entry.time).toLocaleString()

/** Every login attempt over the chain (never a password), newest first, filtered, exportable. */
export function AuditView() {
  const [username, setUsername] = useState('')
  const [debounced] = useDebouncedValue(username.trim(), 250)
  const [filter, setFilter] = useState<AuditChoiceFilter>({})
  const applied: AuditFilter = { ...filter, ...(debounced ? { username: debounced } : {}) }
  const { audit, entries, total, loadMore } = useAudit(applied)
  const filtered = Object.values(applied).some((value) => value !== undefined)

  return (
    <Stack gap="xs">
      <Group justify="space-between">
        <AuditFilters username={username} onUsername={setUsername} filter={filter} onFilter={setFilter} />
        <Group gap="xs">
          <Button variant="default" leftSection={<IconRefresh size={14} />} loading={audit.isRefetching} onClick={() => void audit.refetch()}>
            Refresh
          </Button>
          <AuditExportMenu filter={applied} disabled={entries.length === 0} />
        </Group>
      </Group>
      {audit.isPending && (
        <Center py="lg">
          <Loader size="sm" aria-label="Loading the audit log" />
        </Center>
      )}
      {audit.isError && <ErrorAlert error={audit.error} title="Could not read the audit log" />}
      {audit.isSuccess && entries.length === 0 && (
        <EmptyMessage title={filtered ? 'No attempt matches' : 'No login attempts yet'}>
          {filtered ? 'Clear a filter to see more.' : 'Each login through Backplane is recorded here: try one in the Login tester, or from the API (auth.authenticate).'}
        </EmptyMessage>
      )}
      {entries.length > 0 && (
        <>
          <Text size="xs" c="dimmed" aria-label="Attempt count">
            {countOf(total, 'attempt')}
            {filtered ? (total === 1 ? ' matches' : ' match') : ''}
          </Text>
          <VirtualTable
            aria-label="Audit log"
            maxHeight="calc(100vh - 320px)"
            rows={entries}
            rowKey={(entry) => String(entry.id)}
            onEndReached={loadMore}
            resizable
            columns={[
              { id: 'time', header: 'Time', width: 170, render: timeOf, title: (e) => e.time },
              { id: 'username', header: 'Username', width: 140, monospace: true, render: (e) => e.username, title: (e) => e.username },
              { id: 'source', header: 'Source', width: 120, render: (e) => e.source, title: (e) => e.source },
              { id: 'backend', header: 'Backend', width: 110, monospace: true, render: (e) => e.alias ?? '—' },
              { id: 'outcome', header: 'Outcome', width: 140, render: (e) => <OutcomeBadge outcome={e.outcome} /> },
              { id: 'reason', header: 'Reason', width: 240, grow: true, render: (e) => e.reason, title: (e) => e.reason },
              { id: 'ms', header: 'Took', width: 90, align: 'right', render: (e) => formatMs(e.ms) },
            ]}
          />
          <LoadMoreFooter count={entries.length} noun="attempt" hasMore={audit.hasNextPage} loading={audit.isFetchingNextPage} onLoadMore={loadMore} />
        </>
      )}
    </Stack>
  )
}
