import { Group, Loader, Stack, TextInput } from '@mantine/core'
import { useDebouncedValue } from '@mantine/hooks'
import { IconSearch } from '@tabler/icons-react'
import { useState } from 'react'
import type { CacheEntryView } from '../../../main/api/contract'
import type { z } from 'zod'
import { useApiPagedQuery, useLoadMore } from '../../api/hooks'
import { EmptyMessage } from '../../components/empty-message'
import { ErrorAlert } from '../../components/error-alert'
import { formatBytes, formatSeconds } from '../../components/format'
import { VirtualTable } from '../../components/virtual-table/virtual-table'
import { LoadMoreFooter } from '../../components/load-more-footer'

export type CacheEntry = z.infer<typeof CacheEntryView>

interface KeyBrowserProps {
  alias: string
  selected: string | null
  onSelect: (entry: CacheEntry) => void
}

/** Stored keys by glob pattern, a SCAN page at a time (never KEYS: a big server must not freeze). */
export function KeyBrowser({ alias, selected, onSelect }: KeyBrowserProps) {
  const [pattern, setPattern] = useState('*')
  const [debounced] = useDebouncedValue(pattern.trim() || '*', 300)
  const scan = useApiPagedQuery(
    'cache.scan',
    { alias, pattern: debounced },
    {
      firstPage: null as string | null,
      inputFor: (cursor) => ({ alias, pattern: debounced, cursor, count: 200 }),
      nextPage: (last) => last.cursor ?? undefined,
    },
  )
  const entries = scan.data?.pages.flatMap((page) => page.entries) ?? []
  const { hasNextPage, isFetchingNextPage } = scan
  const loadMore = useLoadMore(scan)

  return (
    <Stack gap={6}>
      <Group gap="xs" align="flex-end">
        <TextInput
          style={{ flex: 1 }}
          label="Pattern"
          description="Glob: * any characters, ? one character."
          leftSection={<IconSearch size={14} />}
          value={pattern}
          onChange={(event) => setPattern(event.currentTarget.value)}
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
        />
        {scan.isFetching && <Loader size={14} mb={8} aria-label="Scanning" />}
      </Group>
      {scan.isError && <ErrorAlert error={scan.error} title="Could not list the keys" />}
      {scan.isSuccess && entries.length === 0 && (
        <EmptyMessage title="No keys match">
          {debounced === '*' ? 'The cache is empty. Store a key with the form on the right.' : 'Try a wider pattern, such as *.'}
        </EmptyMessage>
      )}
      {entries.length > 0 && (
        <>
          <VirtualTable
            aria-label="Cache keys"
            maxHeight="calc(100vh - 300px)"
            rows={entries}
            rowKey={(entry) => entry.key}
            selectedKey={selected}
            onRowClick={onSelect}
            onEndReached={loadMore}
            columns={[
              { id: 'key', header: 'Key', width: 220, grow: true, monospace: true, render: (e) => e.userKey ?? e.key, title: (e) => e.key },
              { id: 'version', header: 'Ver.', width: 48, align: 'right', monospace: true, render: (e) => e.version ?? '' },
              { id: 'ttl', header: 'TTL', width: 96, align: 'right', render: (e) => formatSeconds(e.ttl) },
              { id: 'size', header: 'Size', width: 80, align: 'right', render: (e) => formatBytes(e.size) },
            ]}
          />
          <LoadMoreFooter count={entries.length} noun="key" hasMore={hasNextPage} loading={isFetchingNextPage} onLoadMore={loadMore} />
        </>
      )}
    </Stack>
  )
}
