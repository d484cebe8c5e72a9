import { Group, Loader, Text } from '@mantine/core'
import { IconFile, IconFolder } from '@tabler/icons-react'
import { useApiPagedQuery, useLoadMore } from '../../api/hooks'
import { EmptyMessage } from '../../components/empty-message'
import { ErrorAlert } from '../../components/error-alert'
import { formatBytes } from '../../components/format'
import { VirtualTable } from '../../components/virtual-table/virtual-table'
import type { StorageEntry } from './file-preview'
import { LoadMoreFooter } from '../../components/load-more-footer'

interface FileListProps {
  alias: string
  path: string
  selected: string | null
  onOpen: (entry: StorageEntry) => void
}

const baseName = (name: string) => name.split('/').pop() ?? name

/** One folder's entries, a page at a time from the storage (buckets can hold millions). */
export function FileList({ alias, path, selected, onOpen }: FileListProps) {
  const listing = useApiPagedQuery(
    'storage.list',
    { alias, path },
    { firstPage: null as string | null, inputFor: (cursor) => ({ alias, path, cursor, limit: 500 }), nextPage: (last) => last.cursor ?? undefined },
  )
  const entries = listing.data?.pages.flatMap((page) => page.entries) ?? []
  const { hasNextPage, isFetchingNextPage } = listing
  const loadMore = useLoadMore(listing)

  if (listing.isPending) return <Loader size="sm" m="md" aria-label="Loading the folder" />
  if (listing.isError) return <ErrorAlert error={listing.error} title="Could not list the folder" />
  if (entries.length === 0) return <EmptyMessage title="This folder is empty">Drop files here or use “Upload files”.</EmptyMessage>
  return (
    <>
      <VirtualTable
        aria-label="Files"
        maxHeight="calc(100vh - 330px)"
        rows={entries}
        rowKey={(entry) => entry.name}
        selectedKey={selected}
        onRowClick={onOpen}
        onEndReached={loadMore}
        columns={[
          {
            id: 'name',
            header: 'Name',
            width: 220,
            grow: true,
            render: (e) => (
              <Group gap={6} wrap="nowrap">
                {e.type === 'dir' ? <IconFolder size={14} color="var(--mantine-color-yellow-6)" aria-label="folder" /> : <IconFile size={14} aria-label="file" />}
                <Text span size="xs" ff="monospace" truncate>
                  {baseName(e.name)}
                  {e.type === 'dir' ? '/' : ''}
                </Text>
              </Group>
            ),
            title: (e) => e.name,
          },
          { id: 'size', header: 'Size', width: 90, align: 'right', render: (e) => (e.type === 'dir' || e.size === undefined ? '' : formatBytes(e.size)) },
          { id: 'modified', header: 'Modified', width: 170, render: (e) => (e.modified ? new Date(e.modified).toLocaleString() : '') },
        ]}
      />
      <LoadMoreFooter count={entries.length} noun="entry" hasMore={hasNextPage} loading={isFetchingNextPage} onLoadMore={loadMore} />
    </>
  )
}
